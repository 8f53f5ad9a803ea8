"""AD-032 … AD-038: computer accounts — stale, delegation, history, DES, end of support."""

from __future__ import annotations

from collections.abc import Iterator

from checks.ad.common import (
    ANSSI,
    PINGCASTLE,
    STALE_DAYS,
    audited,
    days_since,
    listed,
    logon_text,
    user_line,
)
from checks.ad.support import directory_computers_support
from checks.context import Context
from checks.lifecycle.model import ENDED, ENDING_SOON
from checks.model import Result, Severity
from checks.registry import check
from scanner.directory.model import DirComputer, Directory

HARDEN = "Server and domain management"
USER_PRIMARY_GROUPS = (513, 514)  # Domain Users, Domain Guests
COMPUTER_PRIMARY_GROUPS = (515, 516, 521)  # Domain Computers, Domain Controllers, RODCs


def computer_line(computer: DirComputer, now: object) -> str:
    """``NAME (Windows 10 Pro 10.0 (19045)): last logon …``."""
    system = " ".join(p for p in (computer.operating_system,
                                  computer.operating_system_version) if p) or "OS not recorded"
    return f"{computer.name} ({system}): {logon_text(computer, now)}"


@check(
    id="AD-032", title=f"Computer accounts have not been used for more than {STALE_DAYS} days",
    severity=Severity.LOW,
    risk="""Computers that left long ago still have valid accounts: they clutter the
    inventory, hide which PCs really exist, and can be reused to impersonate a machine.""",
    remediation=("Confirm with the owner which listed computers are gone.",
                 "Disable them, then delete after 30 days."),
    service=HARDEN, references=(PINGCASTLE, f"{ANSSI}#vuln_password_change_inactive_servers"),
    threshold=f"enabled computers (DCs aside) with lastLogonTimestamp older than {STALE_DAYS} "
              "days",
    anchors=("PingCastle S-C-Inactive (%, above 20 computers)", "Netwrix stale computers (90 d)"),
)
@audited
def stale_computers(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Enabled non-DC computers whose last logon is older than 90 days."""
    stale = [c for c in directory.computers if c.enabled and not c.is_dc
             and c.last_logon is not None
             and (days_since(c.last_logon, ctx.now) or 0) > STALE_DAYS]
    yield from listed(stale, lambda n: f"{n} computer accounts are stale.",
                      lambda c: computer_line(c, ctx.now),
                      f"Every enabled computer logged on in the last {STALE_DAYS} days.")


@check(
    id="AD-033", title="Accounts are trusted for unconstrained delegation",
    severity=Severity.HIGH,
    risk="""A computer or account trusted for unconstrained delegation keeps the login
    tickets of everyone who connects to it, admins included. Taking it over means taking
    over their identities.""",
    remediation=("Switch the listed accounts to constrained delegation, or remove delegation.",
                 "Mark admin accounts 'sensitive and cannot be delegated'."),
    service=HARDEN, references=(PINGCASTLE, f"{ANSSI}#vuln_delegation_t4d"),
    threshold="any enabled non-DC user or computer with TRUSTED_FOR_DELEGATION (0x80000)",
    anchors=("PingCastle P-UnconstrainedDelegation", "ANSSI vuln2_delegation_t4d"),
)
@audited
def unconstrained(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Enabled users and non-DC computers trusted for unconstrained delegation."""
    found = [user_line(u, ctx.now) for u in directory.users
             if u.enabled and u.trusted_for_delegation]
    found += [computer_line(c, ctx.now) for c in directory.computers
              if c.enabled and not c.is_dc and c.trusted_for_delegation]
    yield from listed(found, lambda n: f"{n} accounts are trusted for unconstrained "
                      "delegation.", str, "No account outside the DCs has unconstrained "
                      "delegation.")


@check(
    id="AD-034", title="Accounts carry SID history",
    severity=Severity.MEDIUM,
    risk="""SID history lets an account act with the rights of another, older identity.
    Left over from migrations it grants forgotten access; added by an attacker it is a
    hidden back door.""",
    remediation=("Clear sIDHistory on the listed accounts once the migration is finished.",),
    service=HARDEN, references=(PINGCASTLE,),
    threshold="any user with a sIDHistory value",
    anchors=("PingCastle S-SIDHistory, T-SIDHistorySameDomain",
             "Purple Knight SIDHistoryPrivilegedSID"),
)
@audited
def sid_history(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Users whose sIDHistory is set."""
    yield from listed([u for u in directory.users if u.sid_history],
                      lambda n: f"{n} accounts carry SID history.",
                      lambda u: user_line(u, ctx.now), "No account carries SID history.")


@check(
    id="AD-035", title="Accounts allow only DES Kerberos encryption",
    severity=Severity.MEDIUM,
    risk="""DES was broken decades ago; tickets for these accounts can be cracked quickly.""",
    remediation=("Clear 'Use only Kerberos DES encryption types' and reset the password.",),
    service=HARDEN, references=(PINGCASTLE, f"{ANSSI}#vuln_kerberos_properties_deskey"),
    threshold="any enabled user with USE_DES_KEY_ONLY (0x200000)",
    anchors=("PingCastle S-DesEnabled", "ANSSI vuln2_kerberos_properties_deskey"),
)
@audited
def des_only(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Enabled users restricted to DES Kerberos keys."""
    yield from listed([u for u in directory.users if u.enabled and u.des_only],
                      lambda n: f"{n} accounts use DES-only Kerberos.",
                      lambda u: user_line(u, ctx.now), "No account is limited to DES.")


@check(
    id="AD-036", title="Accounts have an unusual primary group (hidden membership)",
    severity=Severity.MEDIUM,
    risk="""Membership through the primary group does not show in the group's member list,
    so an account made Domain Admin this way is missed by most reviews.""",
    remediation=("Set the primary group back to Domain Users (computers: Domain Computers).",
                 "Then review whether the account should be in that group at all."),
    service=HARDEN, references=(PINGCASTLE, f"{ANSSI}#vuln_primary_group_id_nochange"),
    threshold="enabled users (RID ≥ 1000) with primaryGroupID not 513/514; computers not "
              "515/516/521",
    anchors=("PingCastle S-PrimaryGroup, S-C-PrimaryGroup",
             "ANSSI vuln3_primary_group_id_nochange"),
)
@audited
def primary_group(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Primary group IDs of enabled users and computers against the defaults."""
    found = [f"{u.name}: primary group RID {u.primary_group_rid}" for u in directory.users
             if u.enabled and (u.rid or 0) >= 1000 and u.primary_group_rid is not None
             and u.primary_group_rid not in USER_PRIMARY_GROUPS]
    found += [f"computer {c.name}: primary group RID {c.primary_group_rid}"
              for c in directory.computers if c.enabled and c.primary_group_rid is not None
              and c.primary_group_rid not in COMPUTER_PRIMARY_GROUPS]
    yield from listed(found, lambda n: f"{n} accounts have an unusual primary group.", str,
                      "Every account has its default primary group.")


@check(
    id="AD-037", title="Domain computers run a Windows release past its end of support",
    severity=Severity.HIGH,
    risk="""Microsoft no longer fixes security holes in these releases; every flaw found from
    now on stays open, and attack tools for them are public. The directory lists them even
    when they were switched off during the visit.""",
    remediation=("Upgrade or replace each listed computer (Windows 11 25H2 or later; Windows "
                 "Server 2022 or later).",
                 "Until then, isolate them and consider Microsoft's paid Extended Security "
                 "Updates where offered."),
    service="Patch management",
    references=("https://learn.microsoft.com/en-us/lifecycle/products/",
                "https://endoflife.date/windows", "https://endoflife.date/windows-server"),
    threshold="every enabled computer whose operatingSystem and operatingSystemVersion (build "
              "and edition) place it in a release past its end of security support, as of "
              "the audit day, from the bundled lifecycle table; ESU not assumed",
    anchors=("PingCastle S-OS-Win7/W10/2012, S-DC-2012 (presence; more points at ≥6/≥15)",
             "Purple Knight CompObsoleteOS"),
)
@audited
def unsupported_windows(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Every enabled computer account judged by its Windows release, build and edition."""
    yield from directory_computers_support(ctx, ENDED, "run a Windows release past its end "
                                           "of support")


@check(
    id="AD-038", title="Domain computers reach the end of Windows support within six months",
    severity=Severity.MEDIUM,
    risk="""These computers will stop getting security fixes soon. Replacing or upgrading
    them takes budget and planning, so it belongs in this year's plan.""",
    remediation=("Schedule the upgrade or replacement before the date listed.",),
    service="Patch management",
    references=("https://learn.microsoft.com/en-us/lifecycle/products/",
                "https://endoflife.date/windows"),
    threshold="every enabled computer whose release leaves security support within six "
              "months of the audit day",
    anchors=("sitewalk's own: PingCastle and Purple Knight flag only releases already ended",),
)
@audited
def ending_windows(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Every enabled computer account whose Windows release ends support within six months."""
    yield from directory_computers_support(ctx, ENDING_SOON, "run a Windows release whose "
                                           "support ends within six months")
