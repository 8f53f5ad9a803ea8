"""Privileged membership, worked out by us: recursive ``member`` plus primary groups.

Samba does not maintain ``adminCount`` (no SDProp), and ``adminCount`` on Windows keeps
leftovers anyway, so membership is computed from the groups themselves: every group's
``member`` values, followed into nested groups (cycles are cut), plus every account whose
``primaryGroupID`` is the group's RID (primary membership is not listed in ``member``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# (key, display name, SID: "D-<rid>" relative to the domain, else absolute)
PRIVILEGED_GROUPS = (
    ("administrators", "Administrators", "S-1-5-32-544"),
    ("domain_admins", "Domain Admins", "D-512"),
    ("enterprise_admins", "Enterprise Admins", "D-519"),
    ("schema_admins", "Schema Admins", "D-518"),
    ("account_operators", "Account Operators", "S-1-5-32-548"),
    ("server_operators", "Server Operators", "S-1-5-32-549"),
    ("print_operators", "Print Operators", "S-1-5-32-550"),
    ("backup_operators", "Backup Operators", "S-1-5-32-551"),
    ("group_policy_creator_owners", "Group Policy Creator Owners", "D-520"),
    ("dns_admins", "DnsAdmins", "name:DnsAdmins"),
    ("protected_users", "Protected Users", "D-525"),
)
# Groups whose members can take over the domain (the "admin" set of the checks).
ADMIN_GROUPS = ("administrators", "domain_admins", "enterprise_admins", "schema_admins")
MAX_DEPTH = 20


@dataclass(frozen=True)
class GroupRecord:
    """A group as read: its DN, name, SID and direct ``member`` DNs."""

    dn: str
    name: str
    sid: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class AccountRecord:
    """A user or computer as far as membership goes."""

    dn: str
    name: str
    kind: str  # "user" or "computer"
    primary_group_rid: int | None


def resolve_sid(spec: str, domain_sid: str) -> str:
    """``D-512`` → ``<domain SID>-512``; absolute SIDs unchanged."""
    return f"{domain_sid}-{spec[2:]}" if spec.startswith("D-") else spec


def recursive_members(group: GroupRecord, groups_by_dn: Mapping[str, GroupRecord],
                      accounts_by_dn: Mapping[str, AccountRecord],
                      primary_members: Mapping[str, list[AccountRecord]]
                      ) -> list[tuple[AccountRecord, str]]:
    """Every account inside ``group``, with how it got there ("direct", "via X", "primary")."""
    found: dict[str, tuple[AccountRecord, str]] = {}
    seen_groups: set[str] = set()

    def walk(current: GroupRecord, path: str, depth: int) -> None:
        if current.dn.lower() in seen_groups or depth > MAX_DEPTH:
            return
        seen_groups.add(current.dn.lower())
        for account in primary_members.get(current.sid, []):
            found.setdefault(account.dn.lower(), (account, f"primary group{path}"))
        keys = [m.lower() for m in current.members]
        for key in keys:  # accounts first, so a direct member is reported as direct
            if key in accounts_by_dn:
                found.setdefault(key, (accounts_by_dn[key], path.removeprefix(", ")
                                       or "direct"))
        for key in keys:
            if key in groups_by_dn and key not in accounts_by_dn:
                nested = groups_by_dn[key]
                walk(nested, f", via {nested.name}", depth + 1)

    walk(group, "", 0)
    return sorted(found.values(), key=lambda pair: pair[0].name.lower())


def primary_index(accounts: Iterable[AccountRecord], domain_sid: str
                  ) -> dict[str, list[AccountRecord]]:
    """Accounts by the SID of their primary group."""
    index: dict[str, list[AccountRecord]] = {}
    for account in accounts:
        if account.primary_group_rid is not None:
            index.setdefault(f"{domain_sid}-{account.primary_group_rid}", []).append(account)
    return index
