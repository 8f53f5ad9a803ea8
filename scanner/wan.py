"""The WAN view: what the internet sees of the office, scanned from outside the firewall.

Run from outside (a phone hotspot on site; the lab's ``swlab-isp`` namespace), against the one
public address of the office's firewall, then merged into the assessment folder's
``inventory.json`` as ``wan_view``. The target must be exactly one IPv4 address: a public
address is allowed here, and only here, because it names the client's own firewall; ranges and
networks are refused, as every public target is refused by ``sitewalk scan``.
"""

from __future__ import annotations

import ipaddress
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from scanner.folder import evidence_dir, load_inventory, save_inventory
from scanner.model import Inventory, Service, WanView
from scanner.nmap_scan import by_host, detect_services, nmap_path, run_nmap
from scanner.profiles import PROFILES
from scanner.targets import TargetError

WAN_TCP_PORTS = "1-65535"
WAN_UDP_PORTS = (53, 123, 161, 500, 1194, 1900, 4500, 51820)  # DNS, NTP, SNMP, VPNs, UPnP
WAN_MIN_RATE = 10000  # one host over an internet link: gentler than the LAN sweep
TIMEOUT_S = 420


def wan_target(spec: str) -> str:
    """The one IPv4 address to scan from outside, or :class:`TargetError`."""
    try:
        address = ipaddress.IPv4Address(spec.strip())
    except ipaddress.AddressValueError:
        raise TargetError(f"WAN target {spec!r} must be one IPv4 address (the firewall's "
                          "public address), not a name, range or network") from None
    if address.is_loopback or address.is_multicast or address.is_unspecified:
        raise TargetError(f"WAN target {spec!r} is not a firewall's address")
    return str(address)


def nothing_answered(xml_text: str) -> bool | None:
    """True when every asked TCP port was silently dropped (no open, no closed)."""
    try:
        root = ET.fromstring(xml_text)
    except ET.ParseError:
        return None
    host = root.find("host")
    if host is None:
        return None
    answered = sum(int(e.get("count", "0")) for e in host.iter("extraports")
                   if e.get("state") in ("closed", "open"))
    answered += sum(1 for p in host.iter("port") if p.get("protocol") == "tcp"
                    and (p.find("state") is not None
                         and p.find("state").get("state") in ("open", "closed")))
    return answered == 0


def scan_wan(target: str, folder: Path, privileged: bool) -> WanView:
    """Scan ``target`` from here and return what answered (evidence goes to ``folder``)."""
    nmap_path()
    evidence = evidence_dir(folder)
    scan_type = "-sS" if privileged else "-sT"
    arguments = [scan_type, "-n", "-Pn", "-T4", "--min-rate", str(WAN_MIN_RATE),
                 "--max-retries", "1", "-p", WAN_TCP_PORTS]
    errors: list[str] = []
    xml_text, error = run_nmap([target], arguments, evidence / "wan-nmap-tcp.xml", False, TIMEOUT_S)
    if xml_text is None:
        return WanView(target=target, scanned_at=_now(), ports_scanned=f"tcp {WAN_TCP_PORTS}",
                       errors=(f"nmap TCP scan failed: {error}",))
    found = by_host(xml_text, [target]).get(target)
    open_tcp = sorted(s.port for s in found.services) if found else []
    services: list[Service] = []
    if open_tcp:
        detail = detect_services(target, open_tcp, PROFILES["standard"], evidence,
                                 label="wan-services")
        services = detail.services or (found.services if found else [])
        errors += detail.errors
    scanned = f"tcp {WAN_TCP_PORTS}"
    if privileged:
        udp_xml, error = run_nmap([target], ["-sU", "-n", "-Pn", "-T4", "--max-retries", "1", "-p",
                                         ",".join(map(str, WAN_UDP_PORTS))],
                              evidence / "wan-nmap-udp.xml", False, TIMEOUT_S)
        if udp_xml is None:
            errors.append(f"nmap UDP scan failed: {error}")
        else:
            udp = by_host(udp_xml, [target]).get(target)
            services += [s for s in (udp.services if udp else []) if s.protocol == "udp"]
            scanned += f", udp {','.join(map(str, WAN_UDP_PORTS))}"
    else:
        errors.append("not running as root: no UDP scan from outside")
    return WanView(target=target, services=tuple(services), scanned_at=_now(),
                   ports_scanned=scanned, filtered=nothing_answered(xml_text),
                   errors=tuple(errors))


def merge_wan_view(folder: Path, view: WanView) -> Inventory:
    """Put ``view`` into the folder's inventory (replacing an earlier WAN view) and save it."""
    inventory = replace(load_inventory(folder), wan_view=view)
    save_inventory(folder, inventory)
    return inventory


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
