"""NET-007: IPv6 router advertisements (or DHCPv6) that nobody in the office manages."""

from __future__ import annotations

from collections.abc import Iterator

from checks.context import Context
from checks.model import Result, Severity, Status
from checks.registry import check
from checks.segment import not_heard
from scanner.segment.records import Ipv6Router


def _said(router: Ipv6Router) -> str:
    what = "router advertisement" if router.kind == "ra" else "DHCPv6 Advertise"
    flags = (f", managed={router.managed}, other={router.other}, router lifetime "
             f"{router.router_lifetime} s" if router.kind == "ra" else "")
    return (f"{what} from {router.source} ({router.source_mac or 'MAC unknown'}): prefixes "
            f"{', '.join(router.prefixes) or 'none'}{flags}")


@check(
    id="NET-007", title="A device announces IPv6 routing the office does not manage",
    severity=Severity.MEDIUM,
    risk="""The office runs on IPv4, but every modern computer also speaks IPv6 and follows
    any device that announces itself as an IPv6 router. That device then sees and can change
    their traffic, past the firewall's IPv4 rules — a known way to take over a network.""",
    remediation=("Find the announcing device by its MAC address and turn its IPv6 router "
                 "advertisements and DHCPv6 off (connection sharing, a home router).",
                 "Turn on RA Guard (and DHCPv6 Guard) on the managed switches, or plan IPv6 "
                 "properly on the firewall."),
    service="Network device management",
    references=("https://www.rfc-editor.org/rfc/rfc6105",
                "https://attack.mitre.org/techniques/T1557/"),
)
def unmanaged_ipv6(ctx: Context) -> Iterator[Result]:
    """FAIL per device sending router advertisements or answering a DHCPv6 Solicit, unless it
    is the scan's own gateway (whose MAC the inventory knows): the firewall managing IPv6 is
    a plan, anyone else is not."""
    unknown = not_heard(ctx, "rs", "dhcpv6")
    if unknown:
        yield unknown
        return
    gateway = ctx.inventory.host(ctx.inventory.gateway or "")
    gateway_mac = gateway.mac if gateway else None
    by_mac: dict[str, list[Ipv6Router]] = {}
    for router in ctx.inventory.segment.ipv6_routers:  # type: ignore[union-attr]
        by_mac.setdefault(router.source_mac or router.source, []).append(router)
    ips = {h.mac: h.ip for h in ctx.hosts if h.mac}
    failed = False
    for mac, routers in sorted(by_mac.items()):
        if mac == gateway_mac:
            continue
        failed = True
        yield Result(Status.FAIL, f"{ips.get(mac, mac)} announces IPv6 "
                     f"({', '.join(sorted({r.kind for r in routers}))}) that the office's "
                     "gateway does not.", ip=ips.get(mac),
                     evidence=tuple(_said(r) for r in routers))
    if not failed:
        yield Result(Status.PASS, "No device other than the gateway announces IPv6 routing.")
