"""AD-011 … AD-018: who holds admin rights, and how well those accounts are protected."""

from __future__ import annotations

from collections.abc import Iterator

from checks.ad.common import (
    ANSSI,
    MS_BEST_PRACTICES,
    PINGCASTLE,
    STALE_DAYS,
    admin_users,
    audited,
    days_since,
    evidence,
    listed,
    user_line,
)
from checks.context import Context
from checks.model import Result, Severity, Status
from checks.registry import check
from scanner.directory.model import Directory

HARDEN = "Server and domain management"
MIN_ADMINS_ALLOWED = 2
ADMIN_SHARE = 0.10


def admin_limit(directory: Directory) -> int:
    """How many enabled admins (built-in Administrator aside) a domain this size needs at most."""
    return max(MIN_ADMINS_ALLOWED, int(len(directory.people) * ADMIN_SHARE))


@check(
    id="AD-011", title="Too many accounts have domain admin rights",
    severity=Severity.HIGH,
    risk="""Every admin account is a key to the whole network: each one phished or reused
    elsewhere gives an attacker everything. Small offices often make everyone an admin to
    avoid support calls.""",
    remediation=("Agree with the owner who really needs to administer the domain.",
                 "Remove everyone else from Domain Admins and Administrators.",
                 "Give the remaining admins a separate admin account for admin work only."),
    service=HARDEN, references=(PINGCASTLE, f"{ANSSI}#vuln_privileged_members",
                                MS_BEST_PRACTICES),
    threshold=f"more than max({MIN_ADMINS_ALLOWED}, 10 % of enabled people accounts) enabled "
              "members (recursive, primary group included) of Administrators, Domain, "
              "Enterprise or Schema Admins, the built-in Administrator not counted",
    anchors=("PingCastle P-AdminNum (>10 % or >50, only above 100 users)",
             "ANSSI vuln1_privileged_members", "Purple Knight ManyAdministratorsInForest (>50)",
             "Microsoft Appendix F (Domain Admins empty day to day)"),
)
@audited
def too_many_admins(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Counts enabled admin users (built-in Administrator aside) against the office's size."""
    admins = [(u, g) for u, g in admin_users(directory) if u.enabled and u.rid != 500]
    limit = admin_limit(directory)
    lines = evidence(admins, lambda pair: user_line(pair[0], ctx.now, ", ".join(pair[1])))
    if len(admins) > limit:
        yield Result(Status.FAIL, f"{len(admins)} accounts have domain admin rights; an office "
                     f"of {len(directory.people)} people needs at most {limit}.", evidence=lines)
    else:
        yield Result(Status.PASS, f"{len(admins)} accounts have domain admin rights (at most "
                     f"{limit} for {len(directory.people)} people).", evidence=lines)


@check(
    id="AD-012", title="Service accounts are domain admins",
    severity=Severity.HIGH,
    risk="""Service accounts run backup, databases and line-of-business software with a
    password that never changes and is stored on servers. As domain admins, whoever gets
    that password owns the network.""",
    remediation=("Give each service account only the rights its software needs.",
                 "Move services to group managed service accounts (gMSA)."),
    service=HARDEN, references=(PINGCASTLE, f"{ANSSI}#vuln_dont_expire_priv"),
    threshold="any enabled admin-group member with a service trait: an SPN or a password "
              "set never to expire; no 30-day exemption",
    anchors=("PingCastle P-ServiceDomainAdmin (≥2, skips passwords < 30 days)",
             "ANSSI vuln1_dont_expire_priv", "Purple Knight UsersPwdNeverExpiresAdmin"),
)
@audited
def service_admins(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Enabled admin users that look like service accounts (SPN or never-expiring password)."""
    found = [(u, g) for u, g in admin_users(directory)
             if u.enabled and u.is_service and u.rid != 502]
    yield from listed(found, lambda n: f"{n} service accounts have domain admin rights.",
                      lambda p: user_line(p[0], ctx.now, ("SPN" if p[0].spns else
                                                          "password never expires")
                                          + " · " + ", ".join(p[1])),
                      "No service account has domain admin rights.")


@check(
    id="AD-013", title=f"Admin accounts have not been used for more than {STALE_DAYS} days",
    severity=Severity.MEDIUM,
    risk="""An admin account nobody uses is nobody's responsibility: its password is old,
    often known to a former contractor, and its use would go unnoticed.""",
    remediation=("Disable or remove the listed admin accounts.",
                 "Review admin membership every quarter."),
    service=HARDEN, references=(PINGCASTLE,),
    threshold=f"enabled admin-group members with no logon in {STALE_DAYS} days (or never)",
    anchors=("PingCastle P-Inactive (%, above 20 admins)",
             "Purple Knight EnabledAdminsNotInUse (90 days)"),
)
@audited
def idle_admins(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Enabled admin users whose last logon is older than 90 days, or who never logged on."""
    found = [(u, g) for u, g in admin_users(directory) if u.enabled and u.rid != 502
             and (u.last_logon is None or (days_since(u.last_logon, ctx.now) or 0) > STALE_DAYS)]
    yield from listed(found, lambda n: f"{n} admin accounts are idle.",
                      lambda p: user_line(p[0], ctx.now, ", ".join(p[1])),
                      f"Every enabled admin account was used in the last {STALE_DAYS} days.")


@check(
    id="AD-014", title="Schema Admins or Enterprise Admins have permanent members",
    severity=Severity.MEDIUM,
    risk="""These groups can change the whole forest and are needed only for rare upgrades.
    Permanent members are standing targets for no daily benefit.""",
    remediation=("Empty Schema Admins and Enterprise Admins.",
                 "Add an account only for the duration of a schema or forest change."),
    service=HARDEN,
    references=(PINGCASTLE, "https://learn.microsoft.com/en-us/windows-server/identity/ad-ds/"
                "plan/security-best-practices/appendix-e--securing-enterprise-admins-groups-"
                "in-active-directory"),
    threshold="any member of Schema Admins (RID 518) or Enterprise Admins (RID 519)",
    anchors=("PingCastle P-SchemaAdmin", "Purple Knight NonEmptySchemaAdminsGroup",
             "Microsoft Appendix E"),
)
@audited
def forest_admins(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Members of Schema Admins and Enterprise Admins."""
    found = [f"{m.name} in {g.name} ({m.via})" for key in ("schema_admins", "enterprise_admins")
             if (g := directory.group(key)) for m in g.members]
    yield from listed(found, lambda n: f"{n} standing memberships of forest-wide admin groups.",
                      str, "Schema Admins and Enterprise Admins are empty.")


@check(
    id="AD-015", title="Operator groups have members",
    severity=Severity.LOW,
    risk="""Account, Server, Backup and Print Operators can log on to domain controllers and
    have well-known ways to become domain admin; they are rarely meant to be used.""",
    remediation=("Remove the members and grant the specific rights needed instead.",),
    service=HARDEN, references=(PINGCASTLE,),
    threshold="any member of Account/Server/Backup/Print Operators",
    anchors=("PingCastle P-OperatorsEmpty", "Purple Knight OperatorsGroupsAreNotEmpty"),
)
@audited
def operators(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Members of the four built-in operator groups."""
    found = [f"{m.name} in {g.name}" for key in ("account_operators", "server_operators",
                                                 "backup_operators", "print_operators")
             if (g := directory.group(key)) for m in g.members]
    yield from listed(found, lambda n: f"{n} operator-group memberships.", str,
                      "The operator groups are empty.")


@check(
    id="AD-016", title="Admin accounts are not protected against credential theft",
    severity=Severity.MEDIUM,
    risk="""Admin credentials left on an ordinary PC can be stolen and replayed. Windows can
    refuse to cache or delegate them (the Protected Users group, 'sensitive and cannot be
    delegated'); here it does not.""",
    remediation=("Add admin accounts to Protected Users (test service accounts first).",
                 "Mark admin accounts 'Account is sensitive and cannot be delegated'."),
    service=HARDEN,
    references=(PINGCASTLE, "https://learn.microsoft.com/en-us/windows-server/security/"
                "credentials-protection-and-management/protected-users-security-group"),
    threshold="enabled admin users (built-in Administrator aside) neither in Protected Users "
              "nor marked NOT_DELEGATED",
    anchors=("PingCastle P-ProtectedUsers, P-Delegated", "Purple Knight ProtectedUsersNotUsed"),
)
@audited
def unprotected_admins(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Enabled admin users with neither Protected Users membership nor NOT_DELEGATED."""
    protected_group = directory.group("protected_users")
    protected = {m.name for m in (protected_group.members if protected_group else ())}
    found = [(u, g) for u, g in admin_users(directory) if u.enabled and u.rid not in (500, 502)
             and u.name not in protected and not u.protected_users and not u.not_delegated]
    yield from listed(found, lambda n: f"{n} admin accounts lack credential-theft protection.",
                      lambda p: user_line(p[0], ctx.now, ", ".join(p[1])),
                      "Every admin account is protected against delegation and caching.")


@check(
    id="AD-017", title="Former admins keep the protected-admin mark (AdminSDHolder leftovers)",
    severity=Severity.LOW,
    risk="""Accounts that were once admins keep locked-down permissions (adminCount=1) after
    leaving the admin groups. Help-desk delegation then fails on them, and they point to
    admin rights handed out and taken back without a record.""",
    remediation=("Clear adminCount on the listed accounts and re-enable permission "
                 "inheritance.",),
    service=HARDEN,
    references=(PINGCASTLE, "https://learn.microsoft.com/en-us/openspecs/windows_protocols/"
                "ms-adts/a0d0b4fa-2895-4c64-b182-ba64ad0f84b8"),
    threshold="users with adminCount=1 that are in no privileged group by our own recursive "
              "computation (Samba does not set adminCount, so it never fires there)",
    anchors=("PingCastle A-AdminSDHolder", "MS-ADTS 3.1.1.6.1.2 protected objects"),
)
@audited
def admin_leftovers(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Users marked adminCount=1 that are not members of any privileged group."""
    privileged = {m.name for g in directory.groups if g.key != "protected_users"
                  for m in g.members}
    found = [u for u in directory.users if u.admin_count == 1 and u.name not in privileged
             and u.rid != 502]
    yield from listed(found, lambda n: f"{n} accounts keep the admin mark without admin rights.",
                      lambda u: user_line(u, ctx.now),
                      "No account keeps the admin mark without admin rights.")


@check(
    id="AD-018", title="DnsAdmins has members",
    severity=Severity.MEDIUM,
    risk="""Members of DnsAdmins can make the DNS service on a domain controller load their
    own code, which makes them domain admins in all but name.""",
    remediation=("Empty DnsAdmins; manage DNS as a domain admin when needed.",),
    service=HARDEN, references=(PINGCASTLE, f"{ANSSI}#vuln_dnsadmins"),
    threshold="any member of DnsAdmins",
    anchors=("PingCastle P-DNSAdmin", "ANSSI vuln4_dnsadmins",
             "Purple Knight UnprivilegedDNSAdmin"),
)
@audited
def dns_admins(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Members of the DnsAdmins group (found by name; it has no fixed RID)."""
    group = directory.group("dns_admins")
    if group is None:
        yield Result(Status.NOT_APPLICABLE, "There is no DnsAdmins group.",
                     reason="the domain has no DnsAdmins group")
        return
    yield from listed(group.members, lambda n: f"DnsAdmins has {n} members.",
                      lambda m: f"{m.name} ({m.via})", "DnsAdmins is empty.")
