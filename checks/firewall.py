"""FW: the firewall and gateway between the office and the internet."""

from __future__ import annotations

from collections.abc import Iterator

from checks.common import host_label
from checks.context import Context
from checks.model import Result, Severity, Status
from checks.registry import check


@check(
    id="FW-001", title="No business firewall identified at the internet gateway",
    severity=Severity.HIGH,
    risk="""The device between the office and the internet is the front door. A consumer
    router, or a device nobody can identify, usually means no security updates, no intrusion
    filtering and no one watching it — the most common way small offices get breached.""",
    remediation=("Identify the gateway's make, model and firmware, and who manages it.",
                 "Replace a consumer router with a business firewall that is under support.",
                 "Put the firewall under managed monitoring and firmware updates."),
    service="Managed firewall",
    references=("https://www.cisa.gov/resources-tools/resources/"
                "cyber-essentials-starter-kit",),
)
def business_firewall(ctx: Context) -> Iterator[Result]:
    """PASS when the default gateway is identified as a business firewall."""
    gateway = ctx.gateway
    if gateway is None:
        yield Result(Status.UNKNOWN, "The default gateway was not among the scanned devices.",
                     reason=f"gateway {ctx.inventory.gateway or 'unknown'} was not scanned or "
                            "did not answer")
        return
    evidence = (f"{gateway.ip} is the scanner's default gateway",
                *(f"{line}" for line in gateway.evidence[:4]))
    if gateway.device_class == "firewall":
        make = " ".join(p for p in (gateway.manufacturer, gateway.model) if p) or "a firewall"
        yield Result(Status.PASS, f"The gateway {host_label(gateway)} is {make}.",
                     ip=gateway.ip, evidence=evidence)
    else:
        yield Result(Status.FAIL, f"The gateway {host_label(gateway)} could not be identified "
                     f"as a business firewall (it looks like: {gateway.device_class}).",
                     ip=gateway.ip, evidence=evidence)
