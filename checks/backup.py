"""BAK: is there anywhere for backups to go, and any sign that backups run."""

from __future__ import annotations

from collections.abc import Iterator

from checks.common import host_label, scan_saw_nothing
from checks.context import Context
from checks.model import Result, Severity, Status
from checks.registry import check

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
