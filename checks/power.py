"""PWR: power protection — UPS units and their management."""

from __future__ import annotations

from collections.abc import Iterator

from checks.common import host_label, scan_saw_nothing
from checks.context import Context
from checks.model import Result, Severity, Status
from checks.registry import check

UPS_PORTS = {3493: "NUT UPS server", 3052: "APC PowerChute"}


@check(
    id="PWR-001", title="No UPS found on the network",
    severity=Severity.MEDIUM,
    risk="""A power cut or brown-out takes the server and network down hard, which corrupts
    data and can kill disks. Without a managed UPS nobody is warned, and the server is not shut
    down cleanly.""",
    remediation=("Put the server, firewall and core switch on a UPS with a network card.",
                 "Configure automatic clean shutdown of the server on low battery.",
                 "Monitor the UPS and test its battery twice a year."),
    service="Power protection monitoring",
    references=("https://www.apc.com/us/en/faqs/FA158852/",),
)
def ups_present(ctx: Context) -> Iterator[Result]:
    """PASS when a UPS (by identification or UPS service ports) is on the network."""
    nothing = scan_saw_nothing(ctx)
    if nothing:
        yield nothing
        return
    evidence = [f"{host_label(h)} is a UPS ({h.manufacturer or 'make unknown'})"
                for h in ctx.inventory.by_class("ups")]
    for host in ctx.hosts:
        evidence += [f"{host_label(host)} {port}/tcp: {UPS_PORTS[port]}"
                     for port in sorted(host.open_ports() & UPS_PORTS.keys())]
    if evidence:
        yield Result(Status.PASS, "A network-managed UPS was found.", evidence=tuple(evidence))
    else:
        yield Result(Status.FAIL, "No network-managed UPS was seen (a UPS without a network "
                     "card may still exist: ask on site).",
                     evidence=(f"{len(ctx.hosts)} devices scanned; none is a UPS",))
