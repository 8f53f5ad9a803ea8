"""NET-010: two MACs claiming one address, or the gateway's MAC changing during the scan."""

from __future__ import annotations

from collections.abc import Iterator

from checks.context import Context
from checks.model import Result, Severity, Status
from checks.registry import check
from checks.segment import not_heard


@check(
    id="NET-010", title="Two devices claim the same network address (ARP conflict or spoofing)",
    severity=Severity.HIGH,
    risk="""Two devices answered for one address during the visit. At best it is a
    misconfiguration that makes a device drop off at random; when the address is the
    gateway's, another device may be placing itself between the office and the internet to
    read its traffic.""",
    remediation=("Identify both devices from the MAC addresses in the evidence and fix the "
                 "duplicate address.",
                 "If the gateway's address is involved, treat it as a possible attack: find "
                 "the second device and turn on Dynamic ARP Inspection on the switches."),
    service="Network device management",
    references=("https://attack.mitre.org/techniques/T1557/002/",),
)
def arp_conflicts(ctx: Context) -> Iterator[Result]:
    """FAIL per address claimed by more than one MAC in the ARP traffic heard during the scan
    (the gateway's own address named as such)."""
    unknown = not_heard(ctx)
    if unknown:
        yield unknown
        return
    events = ctx.inventory.segment.arp_events  # type: ignore[union-attr]
    for event in events:
        what = "the gateway's MAC changed" if event.kind == "gateway_changed" else "two MACs"
        yield Result(Status.FAIL, f"{event.ip}: {what} during the scan "
                     f"({', '.join(event.macs)}).", ip=event.ip,
                     evidence=tuple(f"{event.ip} is-at {mac}" for mac in event.macs))
    if not events:
        yield Result(Status.PASS, "Every address was claimed by one device only.")
