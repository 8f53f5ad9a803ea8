"""NET: network design — one flat network, consumer gear, unmanaged switching, unknown devices."""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from collections.abc import Iterator

from checks.common import fail_each, host_label, identity_evidence, scan_saw_nothing
from checks.context import Context
from checks.model import Result, Severity, Status
from checks.registry import check
from scanner.model import Host

CONSUMER_GEAR = re.compile(r"tp-?link|linksys|d-?link|belkin|tenda|netgear|asus|eero|"
                           r"google|amazon|buffalo|trendnet", re.IGNORECASE)
SENSITIVE = ("server", "domain_controller", "hypervisor", "nas", "backup_appliance")
EVERYDAY = ("workstation", "printer", "phone", "iot", "unknown")


def _subnet(ip: str) -> str:
    return str(ipaddress.IPv4Network(f"{ip}/24", strict=False))


@check(
    id="NET-001", title="Servers share one flat network with PCs, printers and other devices",
    severity=Severity.MEDIUM,
    risk="""Everything can talk to everything: one infected PC, printer or smart device can
    reach the server and the backups directly. Separating them is what stops an infection
    at the first machine.""",
    remediation=("Put servers and backups in their own network (VLAN) behind firewall rules.",
                 "Move guest Wi-Fi, phones and smart devices to separate VLANs."),
    service="Network device management",
    references=("https://www.cisa.gov/sites/default/files/publications/"
                "layering-network-security-segmentation_infographic_508_0.pdf",),
)
def flat_network(ctx: Context) -> Iterator[Result]:
    """FAIL per subnet holding both servers/backups and everyday devices."""
    nothing = scan_saw_nothing(ctx)
    if nothing:
        yield nothing
        return
    by_subnet: dict[str, Counter[str]] = {}
    for host in ctx.hosts:
        by_subnet.setdefault(_subnet(host.ip), Counter())[host.device_class] += 1
    flat = {net: classes for net, classes in by_subnet.items()
            if any(classes[c] for c in SENSITIVE) and any(classes[c] for c in EVERYDAY)}
    for net, classes in sorted(flat.items()):
        summary = ", ".join(f"{n} {c.replace('_', ' ')}" for c, n in sorted(classes.items()))
        yield Result(Status.FAIL, f"Servers and everyday devices share the network {net}.",
                     evidence=(f"{net}: {summary}",))
    if not flat:
        yield Result(Status.PASS, "Servers and backups are kept apart from everyday devices.",
                     evidence=tuple(f"{net}: {sum(c.values())} devices"
                                    for net, c in sorted(by_subnet.items())))


@check(
    id="NET-002", title="Consumer-grade switches or access points carry the office network",
    severity=Severity.MEDIUM,
    risk="""Home-grade switches and Wi-Fi get few security updates, cannot separate traffic
    and cannot be monitored. When one fails or is attacked, nobody knows until people
    complain.""",
    remediation=("Replace them with business-grade managed switches and access points.",
                 "Put the new devices under central management and monitoring."),
    service="Network device management",
    references=("https://www.cisa.gov/news-events/news/securing-network-infrastructure-devices",),
)
def consumer_gear(ctx: Context) -> Iterator[Result]:
    """FAIL for each switch, access point or non-gateway router from a consumer brand."""
    gear = [h for h in ctx.inventory.by_class("switch", "access_point", "router")
            if not h.is_gateway
            and CONSUMER_GEAR.search(" ".join(p for p in (h.manufacturer, h.vendor) if p))]
    yield from fail_each(
        gear, lambda h: f"{host_label(h)} is consumer network equipment.",
        lambda h: [f"{h.ip}: {h.device_class}, {h.manufacturer or h.vendor}"],
        "No consumer-grade switch or access point was found.")


MANAGED_SWITCH_FROM_DEVICES = 10


@check(
    id="NET-003", title="No managed switch was found",
    severity=Severity.LOW,
    risk="""An office this size runs on switches. If none can be managed, there is no way to
    separate servers from PCs, see a failing cable or port, or spot a rogue device.""",
    remediation=("Confirm what switches connect the office (look in the network cabinet).",
                 "Replace unmanaged switches at the core with managed ones."),
    service="Network device management",
    references=("https://www.cisa.gov/news-events/news/securing-network-infrastructure-devices",),
)
def managed_switch(ctx: Context) -> Iterator[Result]:
    """FAIL when a network of ten or more devices shows no managed switch: none answered the
    scan or announced itself by LLDP/CDP (those become switch devices), and no spanning-tree
    BPDU was heard."""
    switches = ctx.inventory.by_class("switch")
    segment = ctx.inventory.segment
    if switches:
        yield Result(Status.PASS, "Managed switches were found.",
                     evidence=tuple(f"{host_label(h)}: {identity_evidence(h, limit=1)[-1]}"
                                    + (f", laptop on port {h.switch_port}" if h.switch_port else "")
                                    for h in switches[:10]))
    elif segment is not None and segment.stp is not None:
        # Only a managed switch (or a bridge) sends spanning-tree BPDUs.
        yield Result(Status.PASS, "A switch running spanning tree was heard on the laptop's "
                     "port.", evidence=(f"spanning-tree BPDUs, root bridge "
                                        f"{segment.stp.root_bridge}",))
    elif len(ctx.hosts) < MANAGED_SWITCH_FROM_DEVICES:
        yield Result(Status.NOT_APPLICABLE, "The network is too small to expect one.",
                     reason=f"fewer than {MANAGED_SWITCH_FROM_DEVICES} devices")
    else:
        heard = ("; no LLDP, CDP or spanning tree heard in "
                 f"{segment.listened_s:.0f} s on the laptop's port" if segment else "")
        yield Result(Status.FAIL, f"{len(ctx.hosts)} devices and no managed switch answered "
                     "(unmanaged switches, or management closed to the LAN).",
                     evidence=(f"{len(ctx.hosts)} devices scanned; none identified as a "
                               f"switch{heard}",))


UNKNOWN_SHARE = 0.2


def _why_unknown(host: Host) -> str:
    """The identification's reason for "unknown", or what little was seen."""
    reason = next((line for line in reversed(host.evidence) if line.startswith("unknown:")), "")
    return reason.removeprefix("unknown:").removesuffix("→ unknown").strip() or \
        (host.manufacturer or host.vendor or "no identifying evidence")


@check(
    id="NET-004", title="Many devices on the network could not be identified",
    severity=Severity.LOW,
    risk="""Devices nobody can name are devices nobody patches: forgotten PCs, smart TVs,
    cameras, or equipment a visitor left behind. Each is a possible way in.""",
    remediation=("Walk the office with the list and label every device.",
                 "Remove what is not needed; move the rest to the right network."),
    service="Remote monitoring and alerting",
    references=("https://www.cisa.gov/resources-tools/resources/"
                "cyber-essentials-starter-kit",),
)
def unidentified(ctx: Context) -> Iterator[Result]:
    """FAIL when more than a fifth of the devices have no device class."""
    nothing = scan_saw_nothing(ctx)
    if nothing:
        yield nothing
        return
    unknown = ctx.inventory.by_class("unknown")
    share = len(unknown) / len(ctx.hosts)
    evidence = tuple(f"{host_label(h)}: {_why_unknown(h)}" for h in unknown[:20])
    if share > UNKNOWN_SHARE:
        yield Result(Status.FAIL, f"{len(unknown)} of {len(ctx.hosts)} devices could not be "
                     "identified.", evidence=evidence)
    else:
        yield Result(Status.PASS, f"{len(ctx.hosts) - len(unknown)} of {len(ctx.hosts)} "
                     "devices were identified.", evidence=evidence)


@check(
    id="NET-005", title="Personal devices share the office network",
    severity=Severity.LOW,
    risk="""Phones and laptops with randomised addresses are usually personal devices. On the
    same network as the server they bring whatever they picked up elsewhere.""",
    remediation=("Give staff and guests' personal devices a separate Wi-Fi network.",
                 "Allow only company devices on the office network."),
    service="Network device management",
    references=("https://www.cisa.gov/resources-tools/resources/"
                "cyber-essentials-starter-kit",),
)
def personal_devices(ctx: Context) -> Iterator[Result]:
    """FAIL for each host with a randomised (locally administered) MAC."""
    yield from fail_each(
        (h for h in ctx.hosts if h.mac_private),
        lambda h: f"{host_label(h)} uses a randomised address, typical of a personal device.",
        lambda h: [f"{h.ip}: MAC {h.mac} is locally administered"],
        "No device with a randomised address was seen.")
