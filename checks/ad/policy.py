"""AD-019 … AD-024: the password and lockout policy.

Read from the domain object first (what Samba and the domain controllers enforce), then the
fine-grained policies (PSOs) the account can see, then the GPO security templates
(GptTmpl.inf, which PingCastle reads alone and which Samba does not write).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from checks.ad.common import ANSSI, PINGCASTLE, audited, listed
from checks.context import Context
from checks.model import Result, Severity, Status
from checks.registry import check
from scanner.directory.model import Directory, PasswordPolicy

HARDEN = "Server and domain management"
MIN_LENGTH = 8
PASSPHRASE_LENGTH = 14  # long enough that complexity and expiry rules matter less (NIST)
MIN_HISTORY = 10
MAX_LOCKOUT = 10
MAX_AGE_DAYS = 365
CIS_WINDOWS = "https://www.cisecurity.org/benchmark/microsoft_windows_server"
NIST_63B = "https://pages.nist.gov/800-63-4/sp800-63b.html"


def _policies(directory: Directory) -> list[PasswordPolicy]:
    return ([directory.policy] if directory.policy else []) + list(directory.fine_grained)


def _gpo_lines(directory: Directory, key: str, bad: Callable[[int], bool]) -> list[str]:
    return [f"GPO {t.get('gpo_name') or t.get('gpo')} sets {key} = {t['system_access'][key]} "
            "(GptTmpl.inf; applies where the GPO is linked)"
            for t in directory.gpo_security_templates
            if key in t.get("system_access", {}) and bad(t["system_access"][key])]


def _policy_check(ctx: Context, directory: Directory, bad: Callable[[PasswordPolicy], bool],
                  line: Callable[[PasswordPolicy], str], gpo_key: str,
                  gpo_bad: Callable[[int], bool], message: str, ok: str) -> Iterator[Result]:
    if directory.policy is None:
        yield Result(Status.UNKNOWN, "The password policy could not be read.",
                     reason="the domain object's policy attributes were not readable")
        return
    found = [f"{p.name}: {line(p)}" for p in _policies(directory) if bad(p)]
    found += _gpo_lines(directory, gpo_key, gpo_bad)
    yield from listed(found, lambda n: message, str, ok)


@check(
    id="AD-019", title=f"The password policy allows passwords shorter than {MIN_LENGTH} characters",
    severity=Severity.HIGH,
    risk="""Short passwords are guessed or cracked in minutes with ordinary hardware, and
    people choose the shortest password the system accepts.""",
    remediation=(f"Set the minimum password length to at least {MIN_LENGTH} (12–14 is "
                 "better, with passphrases).",
                 "Apply the same to every fine-grained password policy."),
    service=HARDEN, references=(PINGCASTLE, f"{ANSSI}#vuln_privileged_members_password",
                                NIST_63B),
    threshold=f"minPwdLength below {MIN_LENGTH} on the domain object, a visible PSO or a GPO "
              "security template",
    anchors=("PingCastle A-MinPwdLen (< 8, GPO and PSO only)",
             "ANSSI vuln2_privileged_members_password", "NIST SP 800-63B (≥ 8)"),
)
@audited
def min_length(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Minimum password length of the domain policy, PSOs and GPO templates against 8."""
    yield from _policy_check(
        ctx, directory, lambda p: p.min_length is not None and p.min_length < MIN_LENGTH,
        lambda p: f"minimum length {p.min_length}", "MinimumPasswordLength",
        lambda v: v < MIN_LENGTH, "Passwords may be shorter than 8 characters.",
        f"Passwords must have at least {MIN_LENGTH} characters.")


@check(
    id="AD-020", title="Short passwords need no mix of characters (complexity off)",
    severity=Severity.MEDIUM,
    risk="""Without complexity and with a short minimum, 'password1' and the company name
    are accepted: the first things an attacker tries.""",
    remediation=("Turn on 'Password must meet complexity requirements', or",
                 f"raise the minimum length to {PASSPHRASE_LENGTH}+ (passphrases) and block "
                 "known-breached passwords."),
    service=HARDEN, references=(CIS_WINDOWS, NIST_63B),
    threshold=f"complexity off while the minimum length is below {PASSPHRASE_LENGTH}",
    anchors=("CIS Windows benchmark 1.1.5 (complexity on)",
             "Purple Knight PrivilegedUsersWeakPasswordPolicy"),
)
@audited
def complexity(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Complexity flag of each policy, unless its minimum length is passphrase-long."""
    yield from _policy_check(
        ctx, directory,
        lambda p: p.complexity is False and (p.min_length or 0) < PASSPHRASE_LENGTH,
        lambda p: f"complexity off, minimum length {p.min_length}", "PasswordComplexity",
        lambda v: v == 0, "Short passwords are accepted without complexity.",
        "Passwords need complexity or are passphrase-long.")


@check(
    id="AD-021", title="Old passwords can be reused",
    severity=Severity.LOW,
    risk="""When the system remembers few old passwords, people alternate between two
    favourites, and a leaked old password keeps working.""",
    remediation=("Set 'Enforce password history' to 24 (Microsoft's and CIS's baseline).",),
    service=HARDEN, references=(CIS_WINDOWS,),
    threshold=f"pwdHistoryLength below {MIN_HISTORY} (baseline 24)",
    anchors=("CIS Windows benchmark 1.1.1 (24 remembered)",),
)
@audited
def history(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Password history length of each policy against 10."""
    yield from _policy_check(
        ctx, directory, lambda p: p.history is not None and p.history < MIN_HISTORY,
        lambda p: f"remembers {p.history} old passwords", "PasswordHistorySize",
        lambda v: v < MIN_HISTORY, "Old passwords can be reused.",
        f"At least {MIN_HISTORY} old passwords are remembered.")


@check(
    id="AD-022", title="Accounts are never locked out after wrong passwords",
    severity=Severity.HIGH,
    risk="""Without a lockout, anyone on the network (or a remote login page tied to the
    domain) can try thousands of passwords per account until one works.""",
    remediation=(f"Set the account lockout threshold to {MAX_LOCKOUT} or fewer (CIS: 5), "
                 "with a 15-minute lockout duration.",),
    service=HARDEN, references=(CIS_WINDOWS, "https://docs.liongard.com/docs/active-directory-kb"),
    threshold=f"lockoutThreshold 0 (never) or above {MAX_LOCKOUT}",
    anchors=("CIS Windows benchmark 1.2.2 (≤ 5, not 0)", "Liongard AD user score (≤ 5)"),
)
@audited
def lockout(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Lockout threshold of each policy: 0 means never, above 10 is too lax."""
    yield from _policy_check(
        ctx, directory, lambda p: p.lockout_threshold is not None
        and (p.lockout_threshold == 0 or p.lockout_threshold > MAX_LOCKOUT),
        lambda p: "no lockout" if p.lockout_threshold == 0
        else f"locks after {p.lockout_threshold} attempts", "LockoutBadCount",
        lambda v: v == 0 or v > MAX_LOCKOUT, "Wrong passwords never lock an account.",
        f"Accounts lock after at most {MAX_LOCKOUT} wrong passwords.")


@check(
    id="AD-023", title="Short passwords never have to be changed",
    severity=Severity.LOW,
    risk="""A short password that is valid forever gives anyone who once saw or cracked it
    lasting access. Long passphrases may live longer; short ones should not.""",
    remediation=(f"Either raise the minimum length to {PASSPHRASE_LENGTH}+ and check "
                 "passwords against breach lists,",
                 f"or set a maximum password age of {MAX_AGE_DAYS} days or less."),
    service=HARDEN, references=(NIST_63B, CIS_WINDOWS),
    threshold=f"maxPwdAge never or above {MAX_AGE_DAYS} days while the minimum length is "
              f"below {PASSPHRASE_LENGTH}",
    anchors=("CIS Windows benchmark 1.1.2 (≤ 365 days)", "NIST SP 800-63B (no forced expiry "
             "for long passwords)"),
)
@audited
def max_age(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Maximum password age of each policy whose minimum length is below 14."""
    yield from _policy_check(
        ctx, directory, lambda p: (p.min_length or 0) < PASSPHRASE_LENGTH
        and (p.max_age_days is None or p.max_age_days == 0 or p.max_age_days > MAX_AGE_DAYS),
        lambda p: f"minimum length {p.min_length}, passwords "
                  + ("never expire" if not p.max_age_days else
                     f"expire after {p.max_age_days:.0f} days"), "MaximumPasswordAge",
        lambda v: v <= 0 or v > MAX_AGE_DAYS, "Short passwords stay valid indefinitely.",
        "Short passwords expire within a year (or passwords are passphrase-long).")


@check(
    id="AD-024", title="A fine-grained password policy is weaker than the baseline",
    severity=Severity.MEDIUM,
    risk="""Fine-grained policies quietly exempt some accounts, usually service or admin
    accounts, from the domain's rules: the accounts that matter most get the weakest
    passwords.""",
    remediation=(f"Give every fine-grained policy a minimum length of at least {MIN_LENGTH} "
                 "and a lockout threshold.", "Review whom each policy applies to."),
    service=HARDEN, references=(PINGCASTLE,),
    threshold=f"a PSO with minimum length below {MIN_LENGTH} or no lockout; UNKNOWN when no "
              "PSO is visible (by default only administrators can read them)",
    anchors=("PingCastle A-MinPwdLen (PSO part)",),
)
@audited
def weak_pso(ctx: Context, directory: Directory) -> Iterator[Result]:
    """Each fine-grained policy the audit account could read."""
    if not directory.fine_grained:
        yield Result(Status.UNKNOWN, "No fine-grained password policy was visible.",
                     reason="none readable by the audit account (domain admins only by "
                            "default), so none can be ruled out")
        return
    weak = [p for p in directory.fine_grained
            if (p.min_length is not None and p.min_length < MIN_LENGTH)
            or p.lockout_threshold == 0]
    yield from listed(weak, lambda n: f"{n} fine-grained policies are weaker than the baseline.",
                      lambda p: f"{p.name}: minimum length {p.min_length}, lockout "
                                f"{p.lockout_threshold or 'never'}; applies to "
                                + (", ".join(p.applies_to) or "nobody"),
                      "Every fine-grained policy meets the baseline.")
