"""The typed directory the checks read: ``directory.json`` as frozen dataclasses.

Fields mirror ``scanner/schema/directory.schema.json``; times are parsed to aware datetimes.
A failed audit is a :class:`Directory` with ``status == "failed"`` and its one-line ``error``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


def _time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class DirUser:
    """A user account (people and service accounts; computers are :class:`DirComputer`)."""

    name: str
    sid: str
    enabled: bool
    rid: int | None = None
    display_name: str = ""
    last_logon: datetime | None = None
    created: datetime | None = None
    password_last_set: datetime | None = None
    password_never_expires: bool = False
    password_not_required: bool = False
    reversible_encryption: bool = False
    no_preauth: bool = False
    des_only: bool = False
    trusted_for_delegation: bool = False
    not_delegated: bool = False
    sid_history: bool = False
    protected_users: bool = False
    spns: tuple[str, ...] = ()
    primary_group_rid: int | None = None
    admin_count: int | None = None
    description: str = ""

    @property
    def is_service(self) -> bool:
        """A service account by its traits: an SPN, or a password set never to expire."""
        return bool(self.spns) or self.password_never_expires


@dataclass(frozen=True)
class DirComputer:
    """A computer account with its operating system as the directory records it."""

    name: str
    enabled: bool
    operating_system: str = ""
    operating_system_version: str = ""
    dns_name: str = ""
    is_dc: bool = False
    last_logon: datetime | None = None
    created: datetime | None = None
    password_last_set: datetime | None = None
    trusted_for_delegation: bool = False
    no_preauth: bool = False
    primary_group_rid: int | None = None
    laps: bool | None = None


@dataclass(frozen=True)
class Member:
    """One account inside a privileged group, and how it got there."""

    name: str
    kind: str
    via: str = ""


@dataclass(frozen=True)
class PrivilegedGroup:
    """A privileged (or protective) group with its recursive membership."""

    key: str
    name: str
    sid: str = ""
    members: tuple[Member, ...] = ()


@dataclass(frozen=True)
class PasswordPolicy:
    """A password and lockout policy (the domain's, or a fine-grained one)."""

    name: str = "Domain policy"
    source: str = "domain object"
    min_length: int | None = None
    complexity: bool | None = None
    reversible_encryption: bool | None = None
    history: int | None = None
    max_age_days: float | None = None
    lockout_threshold: int | None = None
    lockout_duration_minutes: float | None = None
    applies_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class Directory:
    """Everything one directory audit read."""

    status: str  # complete | partial | failed
    collected_at: datetime
    account: str = ""
    error: str = ""
    controller: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    domain: dict[str, Any] = field(default_factory=dict)
    controllers: tuple[dict[str, str], ...] = ()
    policy: PasswordPolicy | None = None
    fine_grained: tuple[PasswordPolicy, ...] = ()
    users: tuple[DirUser, ...] = ()
    computers: tuple[DirComputer, ...] = ()
    groups: tuple[PrivilegedGroup, ...] = ()
    gpos: tuple[dict[str, Any], ...] = ()
    gpp_passwords: tuple[dict[str, str], ...] = ()
    gpo_security_templates: tuple[dict[str, Any], ...] = ()

    @property
    def ok(self) -> bool:
        """True when LDAP was read (complete, or partial with SYSVOL missing)."""
        return self.status in ("complete", "partial")

    @property
    def sysvol_read(self) -> bool:
        """True when SYSVOL (GPO files) was read."""
        return self.sources.get("sysvol") == "ok"

    def group(self, key: str) -> PrivilegedGroup | None:
        """The privileged group with this key (``domain_admins`` …), if it exists."""
        return next((g for g in self.groups if g.key == key), None)

    def user(self, name: str) -> DirUser | None:
        """The user account with this sAMAccountName."""
        return next((u for u in self.users if u.name.lower() == name.lower()), None)

    @property
    def people(self) -> tuple[DirUser, ...]:
        """Enabled user accounts that look like people: not built-in, not service accounts."""
        return tuple(u for u in self.users if u.enabled and (u.rid or 0) >= 1000
                     and not u.is_service)


def _user(data: dict[str, Any]) -> DirUser:
    return DirUser(
        name=data["name"], sid=data.get("sid", ""), enabled=bool(data["enabled"]),
        rid=data.get("rid"), display_name=data.get("display_name", ""),
        last_logon=_time(data.get("last_logon")), created=_time(data.get("created")),
        password_last_set=_time(data.get("password_last_set")),
        **{k: bool(data.get(k, False)) for k in (
            "password_never_expires", "password_not_required", "reversible_encryption",
            "no_preauth", "des_only", "trusted_for_delegation", "not_delegated",
            "sid_history", "protected_users")},
        spns=tuple(data.get("spns", ())), primary_group_rid=data.get("primary_group_rid"),
        admin_count=data.get("admin_count"), description=data.get("description", ""))


def _computer(data: dict[str, Any]) -> DirComputer:
    return DirComputer(
        name=data["name"], enabled=bool(data["enabled"]),
        operating_system=data.get("operating_system", ""),
        operating_system_version=data.get("operating_system_version", ""),
        dns_name=data.get("dns_name", ""), is_dc=bool(data.get("is_dc", False)),
        last_logon=_time(data.get("last_logon")), created=_time(data.get("created")),
        password_last_set=_time(data.get("password_last_set")),
        trusted_for_delegation=bool(data.get("trusted_for_delegation", False)),
        no_preauth=bool(data.get("no_preauth", False)),
        primary_group_rid=data.get("primary_group_rid"), laps=data.get("laps"))


def _policy(data: dict[str, Any] | None, name: str = "Domain policy") -> PasswordPolicy | None:
    if not data:
        return None
    return PasswordPolicy(
        name=data.get("name", name), source=data.get("source", "fine-grained policy"),
        min_length=data.get("min_length"), complexity=data.get("complexity"),
        reversible_encryption=data.get("reversible_encryption"), history=data.get("history"),
        max_age_days=data.get("max_age_days"), lockout_threshold=data.get("lockout_threshold"),
        lockout_duration_minutes=data.get("lockout_duration_minutes"),
        applies_to=tuple(data.get("applies_to", ())))


def directory_from_dict(data: dict[str, Any]) -> Directory:
    """The typed directory from a (validated) ``directory.json`` document."""
    return Directory(
        status=data["status"],
        collected_at=_time(data.get("collected_at")) or datetime.now(UTC),
        account=data.get("account", ""), error=data.get("error", ""),
        controller=dict(data.get("controller", {})), sources=dict(data.get("sources", {})),
        domain=dict(data.get("domain", {})),
        controllers=tuple(data.get("controllers", ())),
        policy=_policy(data.get("password_policy")),
        fine_grained=tuple(p for p in (_policy(d) for d in data.get("fine_grained_policies", ()))
                           if p is not None),
        users=tuple(_user(u) for u in data.get("users", ())),
        computers=tuple(_computer(c) for c in data.get("computers", ())),
        groups=tuple(PrivilegedGroup(key=g["key"], name=g["name"], sid=g.get("sid", ""),
                                     members=tuple(Member(m["name"], m["kind"], m.get("via", ""))
                                                   for m in g.get("members", ())))
                     for g in data.get("privileged_groups", ())),
        gpos=tuple(data.get("gpos", ())), gpp_passwords=tuple(data.get("gpp_passwords", ())),
        gpo_security_templates=tuple(data.get("gpo_security_templates", ())))
