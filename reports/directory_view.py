"""The directory chapter's view-model, from ``directory.json`` and ``inventory.json`` as dicts.

Like the rest of ``reports``, it never imports ``scanner`` or ``checks``: it reads the public
JSON format defensively, cleans and bounds every string (LDAP values are hostile), and works
out what the template shows — the domain card, the privileged accounts, the policy beside
the recommended values, the operating systems, and the computers the directory knows that
the scan did not see.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from reports import dates
from reports.text import clean_name, clean_text

MAX_ROWS = 400
STALE_DAYS = 90


@dataclass(frozen=True)
class PrivilegedRow:
    """One account with admin-level rights."""

    name: str
    groups: str
    state: str  # "enabled" / "disabled"
    last_logon: str
    notes: str  # service account, SPN, protected …


@dataclass(frozen=True)
class PolicyRow:
    """One password or lockout setting beside the recommended value."""

    setting: str
    value: str
    recommended: str
    weak: bool


@dataclass(frozen=True)
class ComputerRow:
    """One computer account with its operating system."""

    name: str
    system: str
    version: str
    last_logon: str
    stale: bool
    role: str  # "domain controller", "server", "workstation"
    on_network: bool
    support: str = ""  # end of support as the lifecycle table says, when known


@dataclass(frozen=True)
class CountRow:
    """A label and a number."""

    label: str
    count: int


@dataclass(frozen=True)
class DirectoryChapter:
    """Everything the directory chapter shows."""

    domain: str
    status_note: str  # "" when complete; what was not read otherwise
    facts: tuple[tuple[str, str], ...]  # the domain card
    user_counts: tuple[CountRow, ...]
    privileged: tuple[PrivilegedRow, ...]
    policy: tuple[PolicyRow, ...]
    os_counts: tuple[CountRow, ...]
    computers: tuple[ComputerRow, ...]
    not_seen: tuple[ComputerRow, ...]
    gpp_accounts: tuple[str, ...]


def _dicts(value: object) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)][:MAX_ROWS] if isinstance(value, list) else []


def _when(value: object) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)


def _logon(value: object, now: datetime) -> tuple[str, bool]:
    moment = _when(value)
    if moment is None:
        return "never", False
    days = max(0, (now - moment).days)
    return f"{dates.long_date(moment.date())} ({days} days ago)", days > STALE_DAYS


def _seen_names(inventory: dict[str, Any]) -> set[str]:
    names = set()
    for host in _dicts(inventory.get("hosts")):
        for name in host.get("hostnames") or []:
            names.add(str(name).split(".")[0].casefold())
        for key in ("netbios_name",):
            if host.get(key):
                names.add(str(host[key]).casefold())
    return names


def _role(computer: dict[str, Any]) -> str:
    if computer.get("is_dc"):
        return "domain controller"
    return "server" if "server" in str(computer.get("operating_system", "")).casefold() \
        else "workstation"


def _policy_rows(policy: dict[str, Any]) -> tuple[PolicyRow, ...]:
    def row(setting: str, value: object, shown: str, recommended: str, weak: bool) -> PolicyRow:
        return PolicyRow(setting, shown if value is not None else "not readable", recommended,
                         weak and value is not None)

    length, history = policy.get("min_length"), policy.get("history")
    lockout, age = policy.get("lockout_threshold"), policy.get("max_age_days")
    complexity = policy.get("complexity")
    return (
        row("Minimum length", length, f"{length} characters", "12 or more (at least 8)",
            isinstance(length, int) and length < 8),
        row("Complexity", complexity, "on" if complexity else "off",
            "on, or passphrases of 14+", complexity is False and (length or 0) < 14),
        row("Password history", history, f"{history} remembered", "24",
            isinstance(history, int) and history < 10),
        row("Maximum age", True, "never" if not age else f"{age:.0f} days",
            "365 days or less for short passwords", not age and (length or 0) < 14),
        row("Lockout after", lockout, "never" if lockout == 0 else f"{lockout} wrong passwords",
            "5 to 10 wrong passwords", lockout == 0 or (isinstance(lockout, int)
                                                        and lockout > 10)),
        row("Reversible encryption", policy.get("reversible_encryption"),
            "on" if policy.get("reversible_encryption") else "off", "off",
            bool(policy.get("reversible_encryption"))),
    )


def _privileged(directory: dict[str, Any], now: datetime) -> tuple[PrivilegedRow, ...]:
    users = {str(u.get("name")): u for u in _dicts(directory.get("users"))}
    groups: dict[str, list[str]] = {}
    for group in _dicts(directory.get("privileged_groups")):
        if group.get("key") == "protected_users":
            continue
        for member in _dicts(group.get("members")):
            groups.setdefault(str(member.get("name")), []).append(clean_name(group.get("name")))
    rows = []
    for name, in_groups in sorted(groups.items(), key=lambda item: item[0].casefold()):
        user = users.get(name, {})
        notes = [text for flag, text in (
            ("spns", "service principal name"), ("password_never_expires",
                                                  "password never expires"),
            ("protected_users", "in Protected Users"), ("not_delegated", "cannot be delegated"),
        ) if user.get(flag)]
        rows.append(PrivilegedRow(
            name=clean_name(name), groups=", ".join(dict.fromkeys(in_groups)),
            state="enabled" if user.get("enabled", True) else "disabled",
            last_logon=_logon(user.get("last_logon"), now)[0], notes=", ".join(notes)))
    return tuple(rows)


def build_directory(directory: dict[str, Any] | None, inventory: dict[str, Any],
                    support: dict[str, str] | None = None) -> DirectoryChapter | None:
    """The chapter, or None when no directory audit ran (the chapter is then left out)."""
    if not isinstance(directory, dict) or directory.get("status") not in ("complete", "partial"):
        return None
    now = _when(directory.get("collected_at")) or datetime.now(UTC)
    domain = directory.get("domain") if isinstance(directory.get("domain"), dict) else {}
    controller = directory.get("controller") if isinstance(directory.get("controller"),
                                                           dict) else {}
    users = _dicts(directory.get("users"))
    computers = _dicts(directory.get("computers"))
    seen = _seen_names(inventory)
    support = support or {}
    rows = []
    for computer in computers:
        logon, stale = _logon(computer.get("last_logon"), now)
        name = clean_name(computer.get("name"))
        rows.append(ComputerRow(
            name=name, system=clean_name(computer.get("operating_system")) or "not recorded",
            version=clean_name(computer.get("operating_system_version")), last_logon=logon,
            stale=stale, role=_role(computer), on_network=name.casefold() in seen,
            support=clean_text(support.get(name, ""), 160)))
    rows.sort(key=lambda r: (r.role != "domain controller", r.role, r.name.casefold()))
    level = domain.get("domain_functional_level") or {}
    forest = domain.get("forest_functional_level") or {}
    laps = domain.get("laps") or {}
    enabled = [u for u in users if u.get("enabled")]
    stale_users = [u for u in enabled if _logon(u.get("last_logon"), now)[1]]
    facts = (
        ("Domain", clean_name(domain.get("dns_name"))),
        ("Read from", f"{clean_name(controller.get('address'))} "
                      f"({clean_name(controller.get('transport'))}) as "
                      f"{clean_name(directory.get('account'))}"),
        ("Read on", dates.long_date(now.date())),
        ("Functional level", f"domain {clean_name(level.get('name')) or '?'}, forest "
                             f"{clean_name(forest.get('name')) or '?'}"),
        ("Domain controllers", ", ".join(f"{r.name} ({r.system} {r.version})".strip()
                                         for r in rows if r.role == "domain controller")
         or "none readable"),
        ("LAPS", "Windows LAPS" if laps.get("windows_schema") else "legacy LAPS"
         if laps.get("legacy_schema") else "not installed"),
        ("AD Recycle Bin", {True: "on", False: "off"}.get(domain.get("recycle_bin_enabled"),
                                                          "unknown")),
        ("Computers may be joined by", "any user (quota "
         f"{domain.get('machine_account_quota')})" if domain.get("machine_account_quota")
         else "administrators only"),
    )
    sources = directory.get("sources") if isinstance(directory.get("sources"), dict) else {}
    note = "" if sources.get("sysvol", "ok") == "ok" else \
        f"Group Policy files (SYSVOL) could not be read: {clean_text(sources.get('sysvol'))}"
    os_counts = Counter(f"{r.system} {r.version}".strip() for r in rows)
    return DirectoryChapter(
        domain=clean_name(domain.get("dns_name")) or "the domain",
        status_note=note, facts=facts,
        user_counts=(CountRow("user accounts", len(users)),
                     CountRow("enabled", len(enabled)),
                     CountRow("disabled", len(users) - len(enabled)),
                     CountRow(f"enabled, unused for {STALE_DAYS}+ days", len(stale_users)),
                     CountRow("enabled, never used",
                              sum(1 for u in enabled if not u.get("last_logon")))),
        privileged=_privileged(directory, now),
        policy=_policy_rows(directory.get("password_policy")
                            if isinstance(directory.get("password_policy"), dict) else {}),
        os_counts=tuple(CountRow(label, count) for label, count in os_counts.most_common()),
        computers=tuple(rows), not_seen=tuple(r for r in rows if not r.on_network),
        gpp_accounts=tuple(clean_name(s.get("account")) for s in
                           _dicts(directory.get("gpp_passwords"))),
    )
