"""BAK: is there anywhere for backups to go, and any sign that backups run."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

from checks.common import fail_where_known, host_label, interview_missing, scan_saw_nothing
from checks.context import Context
from checks.model import Result, Severity, Status
from checks.registry import check
from scanner.model import Host

# TCP ports of backup agents and targets: Bacula/Bareos file daemon and storage, Veeam,
# Acronis, Arcserve UDP, rsync.
BACKUP_PORTS = {9102: "Bacula/Bareos file daemon", 9103: "Bacula/Bareos storage daemon",
                9392: "Veeam Backup service", 6160: "Veeam installer/agent",
                9876: "Acronis agent", 8014: "Arcserve UDP", 873: "rsync daemon"}
BACKUP_CLASSES = ("nas", "backup_appliance")


@check(
    id="BAK-001", title="No backup target or backup software found on the network",
    severity=Severity.CRITICAL,
    risk="""Nothing on the network looks like a place backups go. If a server or PC dies, or
    ransomware encrypts the files, the business may have no copy to restore from — the single
    most common reason small businesses close after an IT incident.""",
    remediation=("Ask who runs backups, where they go and when a restore was last tested.",
                 "Put in an automated backup of servers and key PCs to a local target.",
                 "Add an offsite or cloud copy, and test a restore every quarter."),
    service="Backup with offsite copy",
    references=("https://www.cisa.gov/stopransomware/ransomware-guide",),
)
def backup_target_present(ctx: Context) -> Iterator[Result]:
    """PASS with the evidence when a NAS, backup appliance or backup agent port is seen."""
    nothing = scan_saw_nothing(ctx)
    if nothing:
        yield nothing
        return
    evidence = [f"{host_label(h)} is a {h.device_class.replace('_', ' ')}"
                for h in ctx.inventory.by_class(*BACKUP_CLASSES)]
    for host in ctx.hosts:
        evidence += [f"{host_label(host)} {port}/tcp: {BACKUP_PORTS[port]}"
                     for port in sorted(host.open_ports() & BACKUP_PORTS.keys())]
    if evidence:
        yield Result(Status.PASS, "Backup infrastructure was seen on the network (whether it "
                     "works, and whether a copy is kept offsite, the scan cannot tell).",
                     evidence=tuple(evidence))
    else:
        yield Result(Status.FAIL, "No NAS, backup appliance or backup agent was seen on the "
                     "network.", evidence=(f"{len(ctx.hosts)} devices scanned; none matched a "
                                           "backup signature",))


def _is_yes(value: object) -> bool:
    return str(value).lower() in ("yes", "true")


@check(
    id="BAK-002", title="No offsite copy of the backups is confirmed",
    severity=Severity.CRITICAL,
    risk="""Backups kept only in the office burn, flood and get encrypted together with the
    originals. Ransomware looks for backup disks and NAS units first. Without a copy
    elsewhere, one bad day can erase years of records.""",
    remediation=("Add an automatic offsite or cloud copy of the backups.",
                 "Keep at least one copy that cannot be changed or deleted (immutable).",
                 "Check weekly that the offsite copy is current."),
    service="Backup with offsite copy",
    references=("https://www.cisa.gov/resources-tools/resources/data-backup-options",),
)
def offsite_copy(ctx: Context) -> Iterator[Result]:
    """From the interview: PASS only when someone confirms an offsite copy exists."""
    missing = interview_missing(ctx, "offsite_backup")
    if missing:
        yield missing
        return
    value = ctx.interview["offsite_backup"]
    if _is_yes(value):
        yield Result(Status.PASS, "The client confirms an offsite copy of the backups.",
                     evidence=("interview: offsite_backup = yes",))
    else:
        said = "nobody knew" if value == "dont_know" else "no"
        yield Result(Status.FAIL, f"No offsite copy of the backups is confirmed ({said}).",
                     evidence=(f"interview: offsite_backup = {value}",))


RESTORE_TEST_MAX_AGE_DAYS = 183


def _scan_date(ctx: Context) -> date:
    stamp = ctx.inventory.finished_at or ctx.inventory.started_at
    try:
        return datetime.fromisoformat(stamp).date()
    except ValueError:
        return date.today()


@check(
    id="BAK-003", title="Restoring from backup has not been tested in the last six months",
    severity=Severity.HIGH,
    risk="""A backup that has never been restored is a hope, not a plan: jobs fail silently,
    disks fill up and passwords are lost. Businesses usually learn this on the day they need
    the files back.""",
    remediation=("Restore a sample of files and one whole server or PC to spare hardware.",
                 "Write down how long it took and what was missing.",
                 "Repeat every quarter and keep the record."),
    service="Backup with offsite copy",
    references=("https://www.cisa.gov/resources-tools/resources/data-backup-options",),
)
def restore_tested(ctx: Context) -> Iterator[Result]:
    """From the interview: PASS when a restore test is dated within six months of the scan."""
    missing = interview_missing(ctx, "last_restore_test")
    if missing:
        yield missing
        return
    value = str(ctx.interview["last_restore_test"])
    try:
        tested = date.fromisoformat(value)
    except ValueError:
        yield Result(Status.FAIL, f"No recent restore test ({value.replace('_', ' ')}).",
                     evidence=(f"interview: last_restore_test = {value}",))
        return
    age = (_scan_date(ctx) - tested).days
    status = Status.PASS if age <= RESTORE_TEST_MAX_AGE_DAYS else Status.FAIL
    yield Result(status, f"The last restore test was {age} days before the assessment.",
                 evidence=(f"interview: last_restore_test = {value}",))


@check(
    id="BAK-004", title="The backup target can be read without a password",
    severity=Severity.HIGH,
    risk="""The backups hold a copy of everything the business has. If anyone on the network
    can read them without a password, one infected PC or curious visitor can copy — or
    destroy — all of it at once.""",
    remediation=("Require accounts on every share and rsync module of the backup target.",
                 "Give the backup software its own account; no one else gets write access.",
                 "Keep an offline or immutable copy out of reach of the network."),
    service="Backup with offsite copy",
    references=("https://www.cisa.gov/stopransomware/ransomware-guide",),
)
def backup_target_anonymous(ctx: Context) -> Iterator[Result]:
    """FAIL for a backup target with anonymous SMB shares or listed rsync modules, and for any
    host whose rsync modules or SMB shares named like backups read without a password (the
    open-door probes; such modules are raised here from SEC-015/SEC-018)."""
    from checks.access import looks_like_backup

    def backup_doors(host: Host) -> list[str]:
        on_target = host.device_class in BACKUP_CLASSES
        shown = set(host.smb.anonymous_shares if host.smb else ())
        return [f"{host.ip} {e.port}/tcp {'rsync module' if e.kind == 'rsync_module' else 'SMB'}"
                f" {e.name!r} readable without a password"
                for e in host.exposures if e.kind in ("rsync_module", "smb_share")
                and not (e.kind == "smb_share" and e.name in shown)
                and ((on_target and e.kind == "rsync_module") or looks_like_backup(e.name))]

    def anonymous(host: Host) -> list[str]:
        found = [f"{host.ip} SMB share {s!r} readable without a password"
                 for s in (host.smb.anonymous_shares if host.smb else ())]
        found += backup_doors(host)
        rsync = host.service(873)
        if not found and rsync and rsync.scripts.get("rsync-list-modules", "").strip():
            first = rsync.scripts["rsync-list-modules"].strip().splitlines()[0]
            found.append(f"{host.ip} 873/tcp rsync modules listed anonymously: {first[:80]}")
        return found

    targets = [h for h in ctx.hosts if h.device_class in BACKUP_CLASSES
               or any(s.kind == "backup_target" for s in h.signals) or backup_doors(h)]
    yield from fail_where_known(
        targets, lambda h: h.smb is not None or "rsync_module" in h.doors_probed
        or "rsync-list-modules" in (
            h.service(873).scripts if h.service(873) else {}),
        lambda h: bool(anonymous(h)),
        lambda h: f"The backup target {host_label(h)} can be read without a password.",
        anonymous, "The backup targets require a password.",
        "the backup target's shares could not be listed",
        "no backup target was found")
