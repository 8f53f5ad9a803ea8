"""Port and service detection with python-nmap, and normalising nmap's results.

Each host gets its own nmap run (TCP ports with version detection, then the office UDP ports),
so a slow or hostile host costs only its own bounded time and every finished host's XML is
saved as evidence at once. The normalising functions also serve ``sitewalk import``.
"""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nmap

from scanner.folder import write_text_atomic
from scanner.macvendor import normalise_mac
from scanner.model import Service
from scanner.profiles import EVIDENCE_SCRIPTS, ScanProfile
from scanner.textsafe import bounded, bounded_name

HOST_TIMEOUT_S = 300
MAX_SCRIPT_OUTPUT = 2000


class NmapMissing(RuntimeError):
    """The nmap binary is not installed."""


@dataclass
class HostPorts:
    """What nmap said about one host."""

    ip: str
    services: list[Service] = field(default_factory=list)
    mac: str | None = None
    hostnames: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def nmap_path() -> str:
    """The nmap binary, or :class:`NmapMissing` with what to do about it."""
    path = shutil.which("nmap")
    if not path:
        raise NmapMissing("nmap is not installed: run `make setup` (or apt-get install nmap)")
    return path


def _scanner() -> nmap.PortScanner:
    nmap_path()
    return nmap.PortScanner()


def _tunnels(xml_text: str) -> dict[tuple[str, str, int], str]:
    """(ip, protocol, port) -> tunnel ("ssl"), which python-nmap's dict leaves out."""
    tunnels: dict[tuple[str, str, int], str] = {}
    try:
        root = ET.fromstring(xml_text)
    except ET.ParseError:
        return tunnels
    for host in root.iter("host"):
        address = next((a.get("addr", "") for a in host.findall("address")
                        if a.get("addrtype") == "ipv4"), "")
        for port in host.iter("port"):
            service = port.find("service")
            if service is not None and service.get("tunnel"):
                key = (address, port.get("protocol", ""), int(port.get("portid", "0")))
                tunnels[key] = service.get("tunnel", "")
    return tunnels


def services_from_result(ip: str, host_result: dict[str, Any],
                         tunnels: dict[tuple[str, str, int], str]) -> list[Service]:
    """The open services in one python-nmap host entry ("open" only, not "open|filtered")."""
    services = []
    for protocol in ("tcp", "udp"):
        for port, info in sorted((host_result.get(protocol) or {}).items()):
            if info.get("state") != "open":
                continue
            scripts = {bounded_name(k): bounded(v, MAX_SCRIPT_OUTPUT)
                       for k, v in (info.get("script") or {}).items()}
            services.append(Service(
                port=int(port), protocol=protocol, name=bounded_name(info.get("name")),
                product=bounded_name(info.get("product")),
                version=bounded_name(info.get("version")),
                extra_info=bounded_name(info.get("extrainfo")),
                tunnel=tunnels.get((ip, protocol, int(port)), ""), scripts=scripts))
    return services


def hosts_from_xml(xml_text: str) -> list[HostPorts]:
    """Every host that is up in an nmap XML report (for ``sitewalk import``)."""
    result = _parse(xml_text)._scan_result
    tunnels = _tunnels(xml_text)
    found = []
    for ip, info in result.get("scan", {}).items():
        if (info.get("status") or {}).get("state") != "up":
            continue
        found.append(_host_ports(ip, info, tunnels))
    return found


def _host_ports(ip: str, info: dict[str, Any],
                tunnels: dict[tuple[str, str, int], str]) -> HostPorts:
    addresses = info.get("addresses") or {}
    names = [bounded_name(h.get("name")) for h in info.get("hostnames", []) if h.get("name")]
    return HostPorts(ip=ip, services=services_from_result(ip, info, tunnels),
                     mac=normalise_mac(addresses.get("mac")), hostnames=names)


def _parse(xml_text: str) -> nmap.PortScanner:
    scanner = nmap.PortScanner.__new__(nmap.PortScanner)
    scanner._scan_result = {}
    scanner.analyse_nmap_xml_scan(nmap_xml_output=xml_text)
    return scanner


def _host_runs(profile: ScanProfile, privileged: bool) -> list[tuple[str, list[str]]]:
    tcp_type = "-sS" if privileged else "-sT"
    runs = [("tcp", [tcp_type, "-sV", "--version-intensity", str(profile.version_intensity),
                     *profile.tcp_arguments(), "--script", ",".join(EVIDENCE_SCRIPTS),
                     "--script-timeout", "20s"])]
    if privileged and profile.udp_ports:
        runs.append(("udp", ["-sU", "-p", ",".join(map(str, profile.udp_ports)),
                             "--max-retries", "1"]))
    return runs


def scan_host(ip: str, profile: ScanProfile, privileged: bool, evidence_dir: Path,
              reuse_evidence: bool = False) -> HostPorts:
    """Scan one host's TCP and UDP ports; the raw XML goes to ``evidence_dir``.

    With ``reuse_evidence`` (``--resume``), a run whose XML is already saved is read back
    instead of run again: evidence files are written atomically, so one that exists is whole.
    """
    merged = HostPorts(ip=ip)
    for label, arguments in _host_runs(profile, privileged):
        path = evidence_dir / f"nmap-{ip}-{label}.xml"
        if reuse_evidence and path.exists():
            xml_text = path.read_text(encoding="utf-8", errors="replace")
        else:
            common = ["-n", "-Pn", "-T4", "--min-rate", str(profile.min_rate),
                      "--max-retries", "2", "--host-timeout", f"{HOST_TIMEOUT_S}s"]
            scanner = _scanner()
            try:
                scanner.scan(hosts=ip, arguments=" ".join(common + arguments),
                             timeout=HOST_TIMEOUT_S + 60)
            except (nmap.PortScannerError, nmap.PortScannerTimeout) as exc:
                merged.errors.append(f"nmap {label} scan failed: {bounded(exc, 300)}")
                continue
            xml_text = scanner.get_nmap_last_output()
            if isinstance(xml_text, bytes):
                xml_text = xml_text.decode("utf-8", errors="replace")
            write_text_atomic(path, xml_text)
        host_info = _parse(xml_text)._scan_result.get("scan", {}).get(ip)
        if not host_info:
            merged.errors.append(f"nmap {label} scan returned nothing for {ip}")
            continue
        found = _host_ports(ip, host_info, _tunnels(xml_text))
        merged.services.extend(found.services)
        merged.mac = merged.mac or found.mac
    return merged


def ping_sweep(addresses: list[str], privileged: bool) -> dict[str, str | None]:
    """Live hosts by nmap host discovery (ICMP/ARP/TCP ping): ip -> MAC when on the LAN."""
    scanner = _scanner()
    probes = "-PE -PS22,80,443,445,3389 -PA80" if privileged else "-PS22,80,443,445,3389"
    result = scanner.scan(hosts=" ".join(addresses), arguments=f"-sn -n {probes} -T4",
                          timeout=300)
    live = {}
    for ip, info in result.get("scan", {}).items():
        if (info.get("status") or {}).get("state") == "up":
            live[ip] = normalise_mac((info.get("addresses") or {}).get("mac"))
    return live
