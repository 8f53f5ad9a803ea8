"""FW: the firewall and gateway between the office and the internet."""

from __future__ import annotations

import re
from collections.abc import Iterator

from checks.common import host_label, identity_evidence
from checks.context import Context
from checks.model import Result, Severity, Status
from checks.registry import check
from scanner.model import Host


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
                *identity_evidence(gateway))
    if gateway.device_class == "firewall":
        make = " ".join(p for p in (gateway.manufacturer, gateway.model) if p) or "a firewall"
        yield Result(Status.PASS, f"The gateway {host_label(gateway)} is {make}.",
                     ip=gateway.ip, evidence=evidence)
    else:
        yield Result(Status.FAIL, f"The gateway {host_label(gateway)} could not be identified "
                     f"as a business firewall (it looks like: {gateway.device_class}).",
                     ip=gateway.ip, evidence=evidence)


CONSUMER_GATEWAY_VENDORS = re.compile(
    r"netgear|tp-?link|linksys|asus|d-?link|belkin|sagemcom|technicolor|arris|zyxel|"
    r"huawei|zte|actiontec|2wire|avm|tenda|buffalo|eero|google|amazon|sercomm|askey",
    re.IGNORECASE)
REMOTE_ADMIN_PORTS = {22: "SSH", 23: "telnet", 80: "web admin (HTTP)", 443: "web admin (HTTPS)",
                      3389: "Remote Desktop", 5900: "VNC", 8080: "web admin", 8443: "web admin",
                      4444: "web admin", 10443: "web admin/SSL VPN portal"}


def _who(host: Host) -> str:
    return " ".join(p for p in (host.manufacturer, host.vendor) if p)


@check(
    id="FW-002", title="The internet gateway is a consumer router",
    severity=Severity.HIGH,
    risk="""Consumer and ISP-supplied routers are built for homes: few security updates, no
    logging, no intrusion filtering and no one responsible for them. They are a favourite
    target of automated attacks.""",
    remediation=("Replace the router with a business firewall under vendor support.",
                 "Put the ISP's device in bridge mode behind it, if it cannot be removed."),
    service="Managed firewall",
    references=("https://www.cisa.gov/news-events/news/securing-network-infrastructure-devices",),
)
def consumer_gateway(ctx: Context) -> Iterator[Result]:
    """FAIL when the gateway's maker or MAC vendor is a consumer brand and it is no firewall."""
    gateway = ctx.gateway
    if gateway is None:
        yield Result(Status.UNKNOWN, "The gateway was not scanned.",
                     reason="the default gateway was not among the scanned devices")
    elif gateway.device_class != "firewall" and CONSUMER_GATEWAY_VENDORS.search(_who(gateway)):
        yield Result(Status.FAIL, f"The gateway {host_label(gateway)} is consumer equipment "
                     f"({_who(gateway)}).", ip=gateway.ip,
                     evidence=(f"{gateway.ip}: MAC vendor {gateway.vendor}, maker "
                               f"{gateway.manufacturer or 'unknown'}",
                               *identity_evidence(gateway, limit=2)))
    else:
        yield Result(Status.PASS, "The gateway is not consumer equipment.", ip=gateway.ip,
                     evidence=(f"{gateway.ip}: {_who(gateway) or 'make unknown'}, "
                               f"{gateway.device_class}",))


@check(
    id="FW-003", title="The firewall's admin page is offered over plain HTTP",
    severity=Severity.MEDIUM,
    risk="""The firewall's administrator password crosses the office network unencrypted
    every time someone logs in. Anyone on the network — an infected PC, a visitor on
    Wi-Fi — can pick it up and take over the firewall.""",
    remediation=("Turn off HTTP administration; allow HTTPS only.",
                 "Limit administration to the IT admin's address or a management network."),
    service="Managed firewall",
    references=("https://www.cisa.gov/news-events/news/securing-network-infrastructure-devices",),
)
def gateway_admin_over_http(ctx: Context) -> Iterator[Result]:
    """FAIL when the gateway serves a web page over HTTP that does not redirect to HTTPS."""
    gateway = ctx.gateway
    if gateway is None or not gateway.web:
        if gateway is not None and not gateway.open_ports() & {80, 8080}:
            yield Result(Status.PASS, "The gateway offers no plain-HTTP admin page.",
                         ip=gateway.ip, evidence=(f"{gateway.ip}: no web server on 80/8080",))
            return
        yield Result(Status.UNKNOWN, "The gateway's web interface was not examined.",
                     reason="no web interface details were collected for the gateway")
        return
    plain = [w for w in gateway.web if w.scheme == "http" and not w.redirects_to_https]
    if plain:
        yield Result(Status.FAIL, f"The gateway {host_label(gateway)} serves its admin page "
                     "over plain HTTP.", ip=gateway.ip,
                     evidence=tuple(f"{gateway.ip}:{w.port} http, title {w.title!r}"
                                    for w in plain))
    else:
        yield Result(Status.PASS, "The gateway's admin page is HTTPS only.", ip=gateway.ip,
                     evidence=tuple(f"{gateway.ip}:{w.port} {w.scheme}" for w in gateway.web))


@check(
    id="FW-004", title="The gateway offers UPnP port opening to the LAN",
    severity=Severity.MEDIUM,
    risk="""With UPnP any program on any PC — including malware — can open a door from the
    internet into the office without anyone knowing. Business firewalls leave it off.""",
    remediation=("Disable UPnP (IGD) on the gateway.",
                 "Create any needed port forwards by hand, documented and reviewed."),
    service="Managed firewall",
    references=("https://www.cisa.gov/news-events/alerts/2013/01/29/"
                "portable-sdk-upnp-devices-libupnp-contains-multiple-buffer-overflows",),
)
def gateway_upnp(ctx: Context) -> Iterator[Result]:
    """FAIL when the gateway answered SSDP as an Internet Gateway Device."""
    gateway = ctx.gateway
    if gateway is None or gateway.upnp_igd is None:
        yield Result(Status.UNKNOWN, "UPnP on the gateway was not tested.",
                     reason="no UPnP (SSDP) probe result for the gateway")
    elif gateway.upnp_igd:
        yield Result(Status.FAIL, f"The gateway {host_label(gateway)} answers UPnP IGD "
                     "requests from the LAN.", ip=gateway.ip,
                     evidence=(f"{gateway.ip}: SSDP reply for InternetGatewayDevice",))
    else:
        yield Result(Status.PASS, "The gateway does not offer UPnP port opening.",
                     ip=gateway.ip, evidence=(f"{gateway.ip}: no IGD reply to SSDP",))


def _wan_unknown(ctx: Context) -> Result | None:
    if ctx.inventory.wan_view is None:
        return Result(Status.UNKNOWN, "The office was not scanned from the internet side.",
                      reason="no WAN-side scan (sitewalk scan --from-wan) in this assessment")
    return None


@check(
    id="FW-005", title="Services are reachable from the internet",
    severity=Severity.HIGH,
    risk="""Every service open to the internet is scanned by attackers within hours. Unless
    each one is needed, patched and watched, it is a way in.""",
    remediation=("List every port forward and open service on the firewall's WAN side.",
                 "Close what is not needed; put what is needed behind a VPN.",
                 "Monitor what remains and keep it patched."),
    service="Managed firewall",
    references=("https://www.cisa.gov/resources-tools/services/cyber-hygiene-services",),
)
def wan_services(ctx: Context) -> Iterator[Result]:
    """FAIL when the WAN-side scan found open services."""
    unknown = _wan_unknown(ctx)
    if unknown:
        yield unknown
        return
    wan = ctx.inventory.wan_view
    if wan.services:
        yield Result(Status.FAIL, f"{len(wan.services)} services answer on the office's "
                     f"internet address {wan.target}.", evidence=tuple(
                         f"{wan.target} {s.port}/{s.protocol} open: {s.name} {s.product}".strip()
                         for s in wan.services))
    else:
        yield Result(Status.PASS, f"Nothing answers on the internet address {wan.target}.",
                     evidence=(f"WAN-side scan of {wan.target}: no open ports",))


@check(
    id="FW-006", title="Remote administration is exposed to the internet",
    severity=Severity.CRITICAL,
    risk="""Remote Desktop, SSH, VNC or a device's admin page open to the internet is how
    most ransomware attacks on small businesses begin: attackers try stolen and guessed
    passwords around the clock.""",
    remediation=("Close the port forward or disable WAN-side administration today.",
                 "Give remote staff a VPN with multi-factor authentication instead.",
                 "Check the exposed systems for signs of compromise."),
    service="Managed firewall",
    references=("https://www.cisa.gov/stopransomware/ransomware-guide",),
)
def wan_remote_admin(ctx: Context) -> Iterator[Result]:
    """FAIL when the WAN-side scan found a remote administration port open."""
    unknown = _wan_unknown(ctx)
    if unknown:
        yield unknown
        return
    wan = ctx.inventory.wan_view
    exposed = [s for s in wan.services if s.port in REMOTE_ADMIN_PORTS]
    if exposed:
        yield Result(Status.FAIL, "Remote administration answers on the internet address "
                     f"{wan.target}.", evidence=tuple(
                         f"{wan.target} {s.port}/tcp: {REMOTE_ADMIN_PORTS[s.port]}"
                         for s in exposed))
    else:
        yield Result(Status.PASS, "No remote administration is open to the internet.",
                     evidence=(f"WAN-side scan of {wan.target}",))
