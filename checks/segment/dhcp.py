"""NET-006: more than one DHCP server, or one handing out another gateway."""

from __future__ import annotations

from collections.abc import Iterator

from checks.context import Context
from checks.model import Result, Severity, Status
from checks.registry import check
from checks.segment import not_heard
from scanner.segment.records import DhcpServer


def _offer(server: DhcpServer) -> str:
    return (f"{server.server_ip} ({server.server_mac or 'MAC unknown'}) offered "
            f"{server.offered_ip or '?'}/{server.subnet_mask or '?'}, gateway "
            f"{', '.join(server.routers) or 'none'}, DNS {', '.join(server.dns_servers) or 'none'}"
            + (f", domain {server.domain}" if server.domain else ""))


@check(
    id="NET-006", title="A second (rogue) DHCP server hands out addresses on the office network",
    severity=Severity.HIGH,
    risk="""Computers take their network settings from whichever DHCP server answers first.
    A second one — a home router or a PC sharing its connection that someone plugged in —
    sends some of them to the wrong gateway: they lose the internet or the server at random,
    or an attacker sees everything they send.""",
    remediation=("Find the device by the MAC address in the evidence (switch port, or "
                 "the network cabinet) and disconnect it or turn its DHCP server off.",
                 "Turn on DHCP snooping on the managed switches, trusting only the "
                 "port of the real DHCP server."),
    service="Network device management",
    references=("https://www.cisco.com/c/en/us/td/docs/switches/lan/catalyst9300/software/"
                "release/17-3/configuration_guide/sec/b_173_sec_9300_cg/"
                "configuring_dhcp_snooping.html",
                "https://attack.mitre.org/techniques/T1557/003/"),
)
def rogue_dhcp(ctx: Context) -> Iterator[Result]:
    """FAIL per DHCP server that is not the office's own: every OFFER to one DISCOVER is read;
    the server whose offered gateway is the scan's gateway is the office's, any other one (or
    a single server offering another gateway) fails."""
    unknown = not_heard(ctx, "dhcp")
    if unknown:
        yield unknown
        return
    servers = ctx.inventory.segment.dhcp_servers  # type: ignore[union-attr]
    if not servers:
        yield Result(Status.NOT_APPLICABLE, "No DHCP server answered.",
                     reason="no OFFER to the DISCOVER (static addresses, or DHCP elsewhere)")
        return
    gateway = ctx.inventory.gateway
    rogue = [s for s in servers if gateway and gateway not in s.routers]
    if not gateway and len(servers) > 1:
        rogue = list(servers[1:])
    for server in rogue:
        yield Result(Status.FAIL, f"{server.server_ip} answers DHCP and sends computers to "
                     f"gateway {', '.join(server.routers) or 'none'}, not the office's "
                     f"{gateway or 'first server'}.", ip=server.server_ip,
                     evidence=tuple(_offer(s) for s in servers))
    if not rogue:
        yield Result(Status.PASS, f"One DHCP server answered ({servers[0].server_ip}), giving "
                     "the office's own gateway.", evidence=tuple(_offer(s) for s in servers))
