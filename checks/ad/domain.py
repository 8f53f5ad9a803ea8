"""AD-025 … AD-031: the domain itself — joins, LAPS, krbtgt, Recycle Bin, levels, DCs, SYSVOL."""

from __future__ import annotations

from collections.abc import Iterator

from checks.ad.common import ANSSI, PINGCASTLE, audited, days_since, listed
from checks.context import Context
from checks.model import Result, Severity, Status
from checks.registry import check
from scanner.directory.model import Directory

HARDEN = "Server and domain management"
KRBTGT_MAX_DAYS = 366
MODERN_LEVEL = 7  # Windows Server 2016


@check(
    id="AD-025", title="Any user can join computers to the domain",
    severity=Severity.MEDIUM,
    risk="""By default every employee may add up to ten computers to the domain. An attacker
    with one stolen password can add a machine of their own and use it in well-known attacks
    to become domain admin.""",
    remediation=("Set ms-DS-MachineAccountQuota to 0.",
                 "Delegate 'join computers' to the IT staff only."),
    service=HARDEN,
    references=(PINGCASTLE, "https://learn.microsoft.com/en-us/windows-server/identity/ad-ds/"
                "manage/active-directory-domain-join-permissions"),
    threshold="ms-DS-MachineAccountQuota above 0 on the domain object",
    anchors=("PingCastle S-ADRegistration", "ANSSI vuln4_user_accounts_machineaccountquota",
             "Purple Knight UsersCanAddComputers"),
)
@audited
def machine_quota(ctx: Context, directory: Directory) -> Iterator[Result]:
    """The domain object's ms-DS-MachineAccountQuota."""
    quota = directory.domain.get("machine_account_quota")
    if quota is None:
        yield Result(Status.UNKNOWN, "The machine account quota could not be read.",
                     reason="ms-DS-MachineAccountQuota not readable")
    elif quota > 0:
        yield Result(Status.FAIL, f"Every user may join {quota} computers to the domain.",
                     evidence=(f"ms-DS-MachineAccountQuota = {quota}",))
    else:
        yield Result(Status.PASS, "Ordinary users cannot join computers to the domain.")


@check(
    id="AD-026", title="Local administrator passwords are not managed (no LAPS)",
    severity=Severity.HIGH,
    risk="""Without LAPS every PC usually shares one local administrator password. Whoever
    learns it on one PC — a former technician, malware — opens every other PC.""",
    remediation=("Deploy Windows LAPS (built into current Windows) by Group Policy or Intune.",
                 "Give each computer a unique, rotated local admin password."),
    service="Patch management",
    references=(PINGCASTLE, "https://learn.microsoft.com/en-us/windows-server/identity/laps/"
                "laps-overview"),
    threshold="no LAPS schema (legacy or Windows LAPS), or enabled non-DC computers without a "
              "LAPS password expiry",
    anchors=("PingCastle A-LAPS-Not-Installed, A-LAPS-Joined-Computers",),
)
@audited
def laps(ctx: Context, directory: Directory) -> Iterator[Result]:
    """LAPS schema presence, then per computer whether a LAPS password expiry is set."""
    schema = directory.domain.get("laps", {})
    if not (schema.get("legacy_schema") or schema.get("windows_schema")):
        yield Result(Status.FAIL, "LAPS is not installed in the domain.",
                     evidence=("no ms-Mcs-AdmPwd or msLAPS-Password attribute in the schema",))
        return
    missing = [c for c in directory.computers if c.enabled and not c.is_dc and c.laps is False]
    yield from listed(missing, lambda n: f"{n} computers have no LAPS-managed password.",
                      lambda c: f"{c.name} ({c.operating_system or 'unknown OS'})",
                      "Every computer's local admin password is managed by LAPS.")


@check(
    id="AD-027", title="The krbtgt password has not been changed for over a year",
    severity=Severity.MEDIUM,
    risk="""The krbtgt key signs every login ticket. If it ever leaked, forged 'golden
    tickets' keep working until it is changed twice; an old key means a long open window.""",
    remediation=("Reset the krbtgt password twice, at least 10 hours apart (Microsoft's "
                 "New-KrbtgtKeys script).", "Repeat yearly."),
    service=HARDEN,
    references=(PINGCASTLE, f"{ANSSI}#vuln_krbtgt", "https://learn.microsoft.com/en-us/"
                "windows-server/identity/ad-ds/manage/"
                "ad-forest-recovery-resetting-the-krbtgt-password"),
    threshold=f"krbtgt pwdLastSet more than {KRBTGT_MAX_DAYS} days before the audit",
    anchors=("PingCastle A-Krbtgt (≥ 366 days)", "ANSSI vuln2_krbtgt",
             "Purple Knight KerberosGoldenTicket (180 days)"),
)
@audited
def krbtgt_age(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Days since the krbtgt account's password was set."""
    krbtgt = next((u for u in directory.users if u.rid == 502), None)
    age = days_since(krbtgt.password_last_set if krbtgt else None, ctx.now)
    if age is None:
        yield Result(Status.UNKNOWN, "The krbtgt password age could not be read.",
                     reason="krbtgt pwdLastSet not readable")
    elif age > KRBTGT_MAX_DAYS:
        yield Result(Status.FAIL, f"The krbtgt password is {age} days old.",
                     evidence=(f"krbtgt pwdLastSet {krbtgt.password_last_set:%Y-%m-%d}",))
    else:
        yield Result(Status.PASS, f"The krbtgt password is {age} days old.")


@check(
    id="AD-028", title="The Active Directory Recycle Bin is off",
    severity=Severity.LOW,
    risk="""A deleted user, group or computer cannot simply be restored with its memberships;
    recovery means restoring a domain controller from backup.""",
    remediation=("Enable the AD Recycle Bin (forest level 2008 R2 or later; cannot be undone).",),
    service=HARDEN,
    references=(PINGCASTLE, "https://learn.microsoft.com/en-us/windows-server/identity/ad-ds/"
                "get-started/adac/active-directory-recycle-bin"),
    threshold="Recycle Bin Feature object without msDS-EnabledFeatureBL",
    anchors=("PingCastle P-RecycleBin",),
)
@audited
def recycle_bin(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Whether the Recycle Bin optional feature is enabled."""
    enabled = directory.domain.get("recycle_bin_enabled")
    if enabled is None:
        yield Result(Status.UNKNOWN, "The Recycle Bin state could not be read.",
                     reason="the Recycle Bin Feature object was not readable")
    elif enabled:
        yield Result(Status.PASS, "The AD Recycle Bin is on.")
    else:
        yield Result(Status.FAIL, "The AD Recycle Bin is off.",
                     evidence=("CN=Recycle Bin Feature: not enabled",))


@check(
    id="AD-029", title="The domain or forest functional level is below Windows Server 2016",
    severity=Severity.LOW,
    risk="""Older functional levels keep weaker Kerberos and password-hashing behaviour and
    block newer protections.""",
    remediation=("Retire any domain controller older than 2016.",
                 "Raise the domain and forest functional levels to 2016."),
    service=HARDEN,
    references=(PINGCASTLE, "https://learn.microsoft.com/en-us/windows-server/identity/ad-ds/"
                "active-directory-functional-levels"),
    threshold="domainFunctionality or forestFunctionality below 7 (2016)",
    anchors=("PingCastle S-FunctionalLevel1/3/4", "Purple Knight DomainObsoleteFunctionalLevel"),
)
@audited
def functional_levels(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Domain and forest functional levels from the root DSE."""
    levels = {"domain": directory.domain.get("domain_functional_level"),
              "forest": directory.domain.get("forest_functional_level")}
    if not any(levels.values()):
        yield Result(Status.UNKNOWN, "The functional levels could not be read.",
                     reason="the root DSE gave no functional level")
        return
    low = [f"{what} functional level {level['name']} (level {level['level']})"
           for what, level in levels.items() if level and level["level"] < MODERN_LEVEL]
    yield from listed(low, lambda n: "The domain runs below the 2016 functional level.", str,
                      "The domain and forest run at 2016 level or later.")


@check(
    id="AD-030", title="The directory lists a single domain controller",
    severity=Severity.LOW,
    risk="""All logins depend on one machine. When it fails, nobody can log in until it is
    rebuilt from backup.""",
    remediation=("Add a second domain controller, or keep a tested backup of the only one.",),
    service=HARDEN, references=(PINGCASTLE,),
    threshold="fewer than 2 computer accounts of domain controllers (primary group 516/521)",
    anchors=("PingCastle A-NotEnoughDC",),
)
@audited
def one_dc(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Domain controller accounts in the directory (also those the scan did not see)."""
    dcs = [c for c in directory.computers if c.is_dc]
    names = tuple(f"{c.name} ({c.operating_system} {c.operating_system_version})".strip()
                  for c in dcs)
    if len(dcs) == 1:
        yield Result(Status.FAIL, f"{dcs[0].name} is the only domain controller.",
                     evidence=names)
    elif dcs:
        yield Result(Status.PASS, f"{len(dcs)} domain controllers.", evidence=names)
    else:
        yield Result(Status.UNKNOWN, "No domain controller account was readable.",
                     reason="no computer with a domain controller primary group")


@check(
    id="AD-031", title="Group Policy files hold passwords every user can read (GPP cpassword)",
    severity=Severity.CRITICAL,
    risk="""Passwords stored in Group Policy Preferences are readable by every employee and
    decryptable with a key Microsoft published years ago. They usually belong to a local
    admin or service account used everywhere.""",
    remediation=("Change the password of each listed account now: assume it is known.",
                 "Delete the preference items (or the files) holding cpassword; use LAPS "
                 "for local admin passwords.",
                 "Install KB2962486 on any old admin workstation so it cannot be set again."),
    service=HARDEN,
    references=(PINGCASTLE, "https://learn.microsoft.com/en-us/openspecs/windows_protocols/"
                "ms-gppref/2c15cbf0-f086-4c74-8b70-1f2fa45dd4be"),
    threshold="any Preferences XML in SYSVOL with a non-empty cpassword (the value is never "
              "read into the report)",
    anchors=("PingCastle A-PwdGPO", "Purple Knight GPPrefPasswords", "MS14-025"),
)
@audited
def gpp_passwords(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Group Policy Preferences files in SYSVOL that carry a cpassword (which account, where)."""
    if not directory.sysvol_read:
        yield Result(Status.UNKNOWN, "SYSVOL could not be read.",
                     reason=f"SYSVOL: {directory.sources.get('sysvol', 'not read')}"[:300])
        return
    yield from listed(directory.gpp_passwords,
                      lambda n: f"{n} passwords are stored in Group Policy files.",
                      lambda s: f"account {s.get('account') or '?'} in GPO "
                                f"{s.get('gpo_name') or s.get('gpo')} "
                                f"({s.get('file')}, changed {s.get('changed') or '?'})",
                      "No Group Policy file stores a password.")
