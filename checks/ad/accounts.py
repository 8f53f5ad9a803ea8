"""AD-001 … AD-010: user accounts — stale, never used, risky flags, roastable, built-ins."""

from __future__ import annotations

from collections.abc import Iterator

from checks.ad.common import (
    ANSSI,
    NEVER_USED_GRACE_DAYS,
    PINGCASTLE,
    STALE_DAYS,
    admin_groups_of,
    audited,
    days_since,
    listed,
    logon_text,
    user_line,
)
from checks.context import Context
from checks.model import Result, Severity, Status
from checks.registry import check
from scanner.directory.model import Directory

HARDEN = "Server and domain management"


@check(
    id="AD-001", title=f"Enabled user accounts have not been used for more than {STALE_DAYS} days",
    severity=Severity.HIGH,
    risk="""Accounts of people who left, or of projects long finished, still open the door to
    email, files and remote access. Nobody notices when someone else uses them.""",
    remediation=("Confirm with the owner which of the listed people have left.",
                 "Disable those accounts today; delete them after the retention period.",
                 "Add account removal to the leaver checklist."),
    service=HARDEN, references=(PINGCASTLE, f"{ANSSI}#vuln_user_accounts_dormant"),
    threshold=f"every enabled user whose lastLogonTimestamp is older than {STALE_DAYS} days "
              "(lastLogonTimestamp lags real logons by up to 14 days)",
    anchors=("PingCastle S-Inactive (≥25 % inactive for 6 months, only above 10 users)",
             "ANSSI vuln1_user_accounts_dormant", "Netwrix stale users (60 days)"),
)
@audited
def stale_users(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Enabled user accounts (krbtgt and Guest aside) whose last logon is older than 90 days."""
    stale = [u for u in directory.users if u.enabled and u.rid not in (501, 502)
             and u.last_logon is not None
             and (days_since(u.last_logon, ctx.now) or 0) > STALE_DAYS]
    yield from listed(stale, lambda n: f"{n} enabled accounts have not been used for more than "
                      f"{STALE_DAYS} days.", lambda u: user_line(u, ctx.now),
                      f"Every enabled account was used in the last {STALE_DAYS} days.")


@check(
    id="AD-002", title="Enabled user accounts have never been used",
    severity=Severity.MEDIUM,
    risk="""An account created and never used often has its first, set-by-IT password still.
    Anyone who learns the naming pattern and that password can log in as a new colleague.""",
    remediation=("Check with the owner whether each account is still needed.",
                 "Disable unused ones; give the others a fresh password and force a change."),
    service=HARDEN, references=(PINGCASTLE,),
    threshold=f"enabled users with no lastLogonTimestamp, created more than "
              f"{NEVER_USED_GRACE_DAYS} days ago",
    anchors=("Liongard AD inspector: never used > 7 days", "PingCastle issue #83"),
)
@audited
def never_used(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Enabled users that never logged on and are older than 30 days."""
    idle = [u for u in directory.users if u.enabled and u.rid not in (501, 502)
            and u.last_logon is None and u.created is not None
            and (days_since(u.created, ctx.now) or 0) > NEVER_USED_GRACE_DAYS]
    yield from listed(idle, lambda n: f"{n} enabled accounts have never been used.",
                      lambda u: f"{u.name}: created {u.created.date() if u.created else '?'}, "
                                "never logged on",
                      "Every enabled account older than a month has been used.")


@check(
    id="AD-003", title="Disabled accounts are still members of admin groups",
    severity=Severity.MEDIUM,
    risk="""A disabled admin account is one click away from full control of the network:
    anyone who can re-enable it (or a mistake) restores domain-wide rights nobody watches.""",
    remediation=("Remove the listed accounts from every admin group.",
                 "Then delete them once nothing depends on them."),
    service=HARDEN, references=(PINGCASTLE,),
    threshold="any disabled account in Administrators, Domain, Enterprise or Schema Admins",
    anchors=("Purple Knight DisabledPrivilegedUsers",),
)
@audited
def disabled_admins(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Disabled user accounts found (recursively) in the admin groups."""
    groups = admin_groups_of(directory)
    found = [u for u in directory.users if not u.enabled and u.name in groups]
    yield from listed(found, lambda n: f"{n} disabled accounts keep admin rights.",
                      lambda u: user_line(u, ctx.now, ", ".join(groups[u.name])),
                      "No disabled account is in an admin group.")


def _flagged(flag: str, title: str, ok: str) -> object:
    def run(ctx: Context, directory: Directory) -> Iterator[Result]:
        found = [u for u in directory.users if u.enabled and getattr(u, flag)]
        yield from listed(found, lambda n: f"{n} enabled accounts {title}.",
                          lambda u: user_line(u, ctx.now), ok)
    return run


@check(
    id="AD-004", title="User passwords are set never to expire",
    severity=Severity.LOW,
    risk="""A password that never changes stays valid for years after it leaked in a
    breach of another website; the office would never know.""",
    remediation=("Clear 'Password never expires' on people's accounts.",
                 "Or move to long passphrases with multi-factor sign-in and a breach check."),
    service=HARDEN, references=(PINGCASTLE, f"{ANSSI}#vuln_dont_expire"),
    threshold="enabled accounts of people (RID ≥ 1000, no SPN) with DONT_EXPIRE_PASSWORD",
    anchors=("PingCastle S-PwdNeverExpires", "ANSSI vuln2_dont_expire",
             "Purple Knight UsersPwdNeverExpires"),
)
@audited
def never_expires(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Enabled user accounts (not built-in, no SPN) whose password never expires."""
    found = [u for u in directory.users if u.enabled and u.password_never_expires
             and (u.rid or 0) >= 1000 and not u.spns]
    yield from listed(found, lambda n: f"{n} user accounts' passwords never expire (service "
                      "accounts with an SPN aside).", lambda u: user_line(u, ctx.now),
                      "No user's password is set never to expire.")


@check(
    id="AD-005", title="Accounts may log in with an empty password",
    severity=Severity.HIGH,
    risk="""These accounts are allowed to have no password at all. If one was ever set
    blank, anyone can log in with the name alone.""",
    remediation=("Clear the 'password not required' flag (PASSWD_NOTREQD) on the listed "
                 "accounts.", "Set a strong password on each."),
    service=HARDEN, references=(PINGCASTLE,),
    threshold="any enabled user with PASSWD_NOTREQD (userAccountControl 0x20)",
    anchors=("PingCastle S-PwdNotRequired", "Purple Knight UsersPWDNotReq"),
)
@audited
def password_not_required(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Enabled users with the PASSWD_NOTREQD flag."""
    yield from _flagged("password_not_required", "may have an empty password",
                        "No enabled account is allowed an empty password.")(ctx, directory)


@check(
    id="AD-006", title="Passwords are stored with reversible encryption",
    severity=Severity.HIGH,
    risk="""Reversible storage keeps passwords in a form that can be turned back into the
    password itself: whoever copies the directory reads them all.""",
    remediation=("Turn off 'Store password using reversible encryption' in the policy and on "
                 "each listed account.", "Have the listed people change their password."),
    service=HARDEN, references=(PINGCASTLE, f"{ANSSI}#vuln_reversible_password"),
    threshold="any enabled user with ENCRYPTED_TEXT_PWD_ALLOWED, or the domain setting on",
    anchors=("PingCastle S-Reversible, A-ReversiblePwd", "ANSSI vuln3_reversible_password"),
)
@audited
def reversible(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Users with reversible encryption, and the domain policy's reversible setting."""
    found = [user_line(u, ctx.now) for u in directory.users
             if u.enabled and u.reversible_encryption]
    if directory.policy and directory.policy.reversible_encryption:
        found.insert(0, "domain password policy: reversible encryption on for everyone")
    yield from listed(found, lambda n: f"{n} places store passwords reversibly.", str,
                      "No password is stored with reversible encryption.")


@check(
    id="AD-007", title="Accounts do not require Kerberos pre-authentication (AS-REP roasting)",
    severity=Severity.HIGH,
    risk="""Anyone on the network can ask the domain for these accounts' encrypted password
    data without knowing anything, and crack it offline at leisure.""",
    remediation=("Turn on Kerberos pre-authentication for the listed accounts (clear 'Do not "
                 "require Kerberos preauthentication').",
                 "Give them a new long password, as the old one may already be cracked."),
    service=HARDEN, references=(PINGCASTLE, f"{ANSSI}#vuln_kerberos_properties_preauth"),
    threshold="any enabled account with DONT_REQ_PREAUTH (userAccountControl 0x400000)",
    anchors=("PingCastle S-NoPreAuth, S-NoPreAuthAdmin", "ANSSI vuln2_kerberos_properties_preauth",
             "Purple Knight UsersWithPreAuth"),
)
@audited
def as_rep_roastable(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Enabled users and computers that do not require Kerberos pre-authentication."""
    found = [user_line(u, ctx.now) for u in directory.users if u.enabled and u.no_preauth]
    found += [f"computer {c.name}" for c in directory.computers if c.enabled and c.no_preauth]
    yield from listed(found, lambda n: f"{n} accounts can be AS-REP roasted.", str,
                      "Every account requires Kerberos pre-authentication.")


@check(
    id="AD-008", title="Admin accounts have a service principal name (Kerberoastable)",
    severity=Severity.CRITICAL,
    risk="""Any employee's account can request a ticket for these admin accounts and crack
    its password offline. Service passwords are rarely changed, so one weak one hands over
    the whole domain.""",
    remediation=("Take the service account out of the admin groups; give it only the rights "
                 "its service needs.",
                 "Use a group managed service account (gMSA), or a 25+ character password."),
    service=HARDEN, references=(PINGCASTLE, f"{ANSSI}#vuln_spn_priv"),
    threshold="any enabled member of Administrators, Domain, Enterprise or Schema Admins with "
              "a servicePrincipalName (krbtgt aside); no password-age exemption",
    anchors=("PingCastle P-Kerberoasting (skips passwords < 40 days)", "ANSSI vuln1_spn_priv",
             "Purple Knight PrivilegedSPN"),
)
@audited
def kerberoastable_admins(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Enabled admin-group members (recursive) that carry an SPN."""
    groups = admin_groups_of(directory)
    found = [u for u in directory.users if u.enabled and u.spns and u.rid != 502
             and u.name in groups]
    yield from listed(found, lambda n: f"{n} admin accounts can be Kerberoasted.",
                      lambda u: user_line(u, ctx.now, f"SPN {u.spns[0]} · "
                                          + ", ".join(groups[u.name])),
                      "No admin account has a service principal name.")


ADMIN_RECENT_DAYS = 35


@check(
    id="AD-009", title="The built-in Administrator account is used day to day",
    severity=Severity.MEDIUM,
    risk="""The built-in Administrator cannot be locked out and everyone knows its name.
    Used daily, its password is typed on many PCs and shared among staff and contractors,
    and nobody can tell who did what.""",
    remediation=("Give each admin a personal admin account and stop using Administrator.",
                 "Set a long random password on it, kept in a safe place."),
    service=HARDEN,
    references=(PINGCASTLE, "https://learn.microsoft.com/en-us/windows-server/identity/ad-ds/"
                "plan/security-best-practices/appendix-d--securing-built-in-administrator-"
                "accounts-in-active-directory"),
    threshold=f"RID-500 account with a last logon within {ADMIN_RECENT_DAYS} days",
    anchors=("PingCastle P-AdminLogin (35 days)", "Purple Knight AdminUsedRecently (14 days)",
             "Microsoft AD security Appendix D"),
)
@audited
def builtin_admin_used(ctx: Context, directory: Directory) -> Iterator[Result]:
    """The RID-500 account's last logon against a 35-day window."""
    admin = next((u for u in directory.users if u.rid == 500), None)
    if admin is None:
        yield Result(Status.UNKNOWN, "The built-in Administrator was not found.",
                     reason="no account with RID 500 was readable")
        return
    days = days_since(admin.last_logon, ctx.now)
    if admin.enabled and days is not None and days <= ADMIN_RECENT_DAYS:
        yield Result(Status.FAIL, f"The built-in Administrator ({admin.name}) was used "
                     f"{days} days ago.", evidence=(user_line(admin, ctx.now),))
    else:
        yield Result(Status.PASS, f"The built-in Administrator is not in daily use "
                     f"({logon_text(admin, ctx.now)}).")


@check(
    id="AD-010", title="The Guest account is enabled",
    severity=Severity.HIGH,
    risk="""The Guest account lets people without an account of their own into shared
    folders and printers, unnoticed.""",
    remediation=("Disable the Guest account.",),
    service=HARDEN, references=(PINGCASTLE,),
    threshold="RID-501 account enabled",
    anchors=("PingCastle A-Guest", "Purple Knight GuestAccountEnabled"),
)
@audited
def guest_enabled(ctx: Context, directory: Directory) -> Iterator[Result]:
    """The RID-501 (Guest) account's enabled flag."""
    guest = next((u for u in directory.users if u.rid == 501), None)
    if guest is None:
        yield Result(Status.UNKNOWN, "The Guest account was not found.",
                     reason="no account with RID 501 was readable")
    elif guest.enabled:
        yield Result(Status.FAIL, "The Guest account is enabled.",
                     evidence=(user_line(guest, ctx.now),))
    else:
        yield Result(Status.PASS, "The Guest account is disabled.")
