"""Port and service detection with nmap, and normalising nmap's results.

The scan runs in two passes. The TCP sweep (:mod:`scanner.sweep`, in host batches built from
the helpers here) asks which ports are open (a SYN sweep as root; the office UDP ports in a
second run, :func:`sweep_udp`). :func:`detect_services`
then runs version detection and the evidence scripts on the open ports of one host, with capped
probe waits (:mod:`scanner.nmap_data`), so a slow or hostile host costs only its own bounded
time. Every run's XML is saved as evidence at once. The normalising functions also serve
``sitewalk import``.

Every nmap is started by :func:`run_nmap`, which knows how it ended (killed by a signal,
failed, timed out) and keeps the running ones in :data:`RUNS`, so a scan whose network link
went away can stop them at once instead of waiting out their timeouts.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import nmap

from scanner.folder import write_text_atomic
from scanner.macvendor import normalise_mac
from scanner.model import Service
from scanner.nmap_data import version_datadir
from scanner.nse import condense_script
from scanner.profiles import (
    EVIDENCE_SCRIPT_ARGS,
    EVIDENCE_SCRIPTS,
    TLS_SCRIPTS,
    UDP_SCRIPTS,
    ScanProfile,
)
from scanner.textsafe import bounded, bounded_name

HOST_TIMEOUT_S = 300
SERVICE_HOST_TIMEOUT_S = 120
UDP_SCRIPT_TIMEOUT_S = 1.5
SCRIPT_TIMEOUT_S = 4  # on a LAN a script that has not finished in 4 s is waiting on nothing
MAX_SCRIPT_OUTPUT = 2000
MAX_PORT_SPEC = 20000  # characters of a -p list; far below the kernel's argument limit
MAX_VERSION_PORTS = 100  # a host answering on more ports is a tarpit or proxy: probe only these


class NmapMissing(RuntimeError):
    """The nmap binary is not installed."""


class NmapRuns:
    """The nmap processes running now, and whether the scan was told to stop them.

    Once :meth:`stop` is called (the network link went away), every running nmap is killed
    and no new one starts until :meth:`reset`, so no wait outlives the link.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen[bytes]] = set()
        self.stopped = ""  # why the runs were stopped; "" while they may run

    def start(self, argv: list[str]) -> subprocess.Popen[bytes] | None:
        """Start one nmap, or None when the runs were stopped."""
        with self._lock:
            if self.stopped:
                return None
            process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE)
            self._running.add(process)
            return process

    def finish(self, process: subprocess.Popen[bytes]) -> None:
        """One nmap has ended."""
        with self._lock:
            self._running.discard(process)

    def stop(self, reason: str) -> None:
        """Kill every running nmap and start no more; ``reason`` goes into their errors."""
        with self._lock:
            self.stopped = self.stopped or reason
            for process in self._running:
                process.kill()

    def reset(self) -> None:
        """Allow runs again (a new scan)."""
        with self._lock:
            self.stopped = ""


RUNS = NmapRuns()


@dataclass
class HostPorts:
    """What nmap said about one host."""

    ip: str
    services: list[Service] = field(default_factory=list)
    mac: str | None = None
    hostnames: list[str] = field(default_factory=list)
    host_scripts: dict[str, str] = field(default_factory=dict)  # NSE host script id -> output
    errors: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)  # those errors that lost results

    def fail(self, message: str) -> None:
        """Record an error that lost results (a failed run, ports that stopped answering)."""
        self.errors.append(message)
        self.lost.append(message)


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
            scripts = {bounded_name(k): bounded(condense_script(k, str(v)), MAX_SCRIPT_OUTPUT)
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
    host_scripts = {bounded_name(s.get("id")): bounded(s.get("output"), MAX_SCRIPT_OUTPUT)
                    for s in info.get("hostscript") or [] if s.get("id")}
    return HostPorts(ip=ip, services=services_from_result(ip, info, tunnels),
                     mac=normalise_mac(addresses.get("mac")), hostnames=names,
                     host_scripts=host_scripts)


def _parse(xml_text: str) -> nmap.PortScanner:
    scanner = nmap.PortScanner.__new__(nmap.PortScanner)
    scanner._scan_result = {}
    scanner.analyse_nmap_xml_scan(nmap_xml_output=xml_text)
    return scanner


def partial_path(path: Path) -> Path:
    """Where the hosts a stopped run had finished are kept: ``x.xml`` -> ``x.partial.xml``."""
    return path.with_name(path.stem + ".partial.xml")


def salvage(output: bytes) -> str | None:
    """The hosts nmap had finished when it was stopped, as a whole XML report (or None).

    nmap writes each host's ``<host>`` element when that host is done, so the output of a
    stopped run, cut after its last ``</host>`` and closed, is a valid report of those hosts.
    """
    text = output.decode("utf-8", errors="replace")
    end = text.rfind("</host>")
    if end < 0:
        return None
    kept = text[:end + len("</host>")]
    count = kept.count("</host>")
    # python-nmap reads the run's statistics; a stopped run never wrote them.
    closed = (f'{kept}\n<runstats><finished time="0" timestr="" elapsed="0" exit="stopped"/>'
              f'<hosts up="{count}" down="0" total="{count}"/></runstats>\n</nmaprun>\n')
    try:
        ET.fromstring(closed)
    except ET.ParseError:
        return None
    return closed


def run_nmap(hosts: list[str], arguments: list[str], path: Path, reuse: bool,
             timeout: float, keep_partial: bool = False) -> tuple[str | None, str]:
    """nmap's XML for one run (read back from ``path`` when reusing), or (None, the error).

    The error is one line that says how the run ended: ``nmap was killed (SIGKILL)``,
    ``nmap failed (exit 1: …)``, ``nmap did not finish within 180 s``, or ``nmap was stopped:
    …`` when :data:`RUNS` was stopped. A run that did not end well is not saved as ``path``;
    with ``keep_partial`` the hosts it had finished are saved to :func:`partial_path`.
    """
    if reuse and path.exists():
        return path.read_text(encoding="utf-8", errors="replace"), ""
    process = RUNS.start([nmap_path(), "-oX", "-", *hosts, *arguments])
    if process is None:
        return None, f"nmap was not run: {RUNS.stopped}"
    try:
        output, errors = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _errors = process.communicate()
        _keep(output, path, keep_partial)
        return None, f"nmap did not finish within {timeout:g} s"
    finally:
        RUNS.finish(process)
    code = process.returncode
    if code != 0:
        _keep(output, path, keep_partial)
    if code != 0 and RUNS.stopped:
        return None, f"nmap was stopped: {RUNS.stopped}"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return None, f"nmap was killed ({name})"
    said = next((line for line in errors.decode("utf-8", "replace").splitlines()
                 if line.strip() and not line.startswith("Warning")), "")
    if code != 0:
        return None, bounded(f"nmap failed (exit {code}" + (f": {said})" if said else ")"), 300)
    xml_text = output.decode("utf-8", errors="replace")
    try:
        ET.fromstring(xml_text)
    except ET.ParseError:
        return None, bounded("nmap's output was not a whole XML report"
                             + (f" ({said})" if said else ""), 300)
    write_text_atomic(path, xml_text)
    return xml_text, ""


def _keep(output: bytes, path: Path, keep_partial: bool) -> None:
    if keep_partial and (kept := salvage(output)) is not None:
        write_text_atomic(partial_path(path), kept)


def by_host(xml_text: str, hosts: list[str]) -> dict[str, HostPorts]:
    """ip -> what one nmap report says about each of ``hosts`` that it mentions."""
    result = _parse(xml_text)._scan_result.get("scan", {})
    tunnels = _tunnels(xml_text)
    return {ip: _host_ports(ip, result[ip], tunnels) for ip in hosts if ip in result}


def expand_ports(spec: str) -> list[int]:
    """"1-3,7" -> [1, 2, 3, 7] (nmap's port list syntax, numbers only)."""
    ports: list[int] = []
    for part in spec.split(","):
        low, _sep, high = part.strip().partition("-")
        if low.isdigit() and (not high or high.isdigit()):
            ports.extend(range(int(low), int(high or low) + 1))
    return [p for p in ports if 0 < p < 65536]


def compress_ports(ports: list[int]) -> str:
    """[1, 2, 3, 7] -> "1-3,7"."""
    ranges: list[str] = []
    ordered = sorted(set(ports))
    start = previous = None
    for port in [*ordered, None]:
        if port is not None and previous is not None and port == previous + 1:
            previous = port
            continue
        if start is not None:
            ranges.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = port
    return ",".join(ranges)


def silent_ports(xml_text: str, ip: str) -> list[int]:
    """TCP ports of ``ip`` that got no answer at all (filtered, no-response) in one report."""
    try:
        root = ET.fromstring(xml_text)
    except ET.ParseError:
        return []
    silent: list[int] = []
    for host in root.iter("host"):
        if not any(a.get("addr") == ip for a in host.findall("address")):
            continue
        for extra in host.iter("extraports"):
            for reason in extra.iter("extrareasons"):
                if extra.get("state") == "filtered" and reason.get("reason") == "no-response":
                    silent.extend(expand_ports(reason.get("ports", "")))
        for port in host.iter("port"):
            state = port.find("state")
            if (port.get("protocol") == "tcp" and state is not None
                    and state.get("state") == "filtered"
                    and state.get("reason") == "no-response"):
                silent.append(int(port.get("portid", "0")))
    return sorted(set(silent))


def lost_ports(xml_text: str) -> dict[str, list[int]]:
    """ip -> TCP ports that got no answer on a host that answers closed ports with a reset.

    A host that resets closed ports resets all of them unless a firewall drops some; when such
    a host also has unanswered ports, the sweep may have lost their answers (a busy scanner, a
    full queue). Those are worth asking again. A host that answers nothing (a stealthy
    firewall) has no such ports.
    """
    try:
        root = ET.fromstring(xml_text)
    except ET.ParseError:
        return {}
    found: dict[str, list[int]] = {}
    for host in root.iter("host"):
        ip = next((a.get("addr", "") for a in host.findall("address")
                   if a.get("addrtype") == "ipv4"), "")
        closed = silent = 0
        unanswered: list[int] = []
        for extra in host.iter("extraports"):
            count = int(extra.get("count", "0"))
            if extra.get("state") == "closed":
                closed += count
            elif extra.get("state") == "filtered":
                silent += count
                for reason in extra.iter("extrareasons"):
                    if reason.get("reason") == "no-response":
                        unanswered.extend(expand_ports(reason.get("ports", "")))
        for port in host.iter("port"):
            state = port.find("state")
            if state is None or port.get("protocol") != "tcp":
                continue
            if state.get("state") == "closed":
                closed += 1
            elif state.get("state") == "filtered" and state.get("reason") == "no-response":
                unanswered.append(int(port.get("portid", "0")))
        if ip and closed and unanswered:
            found[ip] = sorted(set(unanswered))
    return found


def sweep_udp(hosts: list[str], profile: ScanProfile, evidence_dir: Path,
              reuse: bool = False) -> tuple[dict[str, HostPorts], str]:
    """The office UDP ports of every host (root only), with the NetBIOS name table script."""
    if not profile.udp_ports:
        return {}, ""
    arguments = ["-sU", "-n", "-Pn", "-T4", "--max-retries", "1",
                 "--host-timeout", f"{HOST_TIMEOUT_S}s",
                 "-p", ",".join(map(str, profile.udp_ports)),
                 "--min-rate", "1000", "--script", ",".join(UDP_SCRIPTS),
                 # A NetBIOS name table answer is immediate; a silent host would hold the
                 # script (and the whole run) for the full script timeout otherwise.
                 "--script-timeout", f"{UDP_SCRIPT_TIMEOUT_S}s"]
    # The limit follows the work (probes at the rate asked, each host's name-table script),
    # never below the run's own per-host timeout.
    work = 4 * len(hosts) * len(profile.udp_ports) / 1000 + 2 * len(hosts)
    xml_text, error = run_nmap(hosts, arguments, evidence_dir / "nmap-sweep-udp.xml", reuse,
                               max(HOST_TIMEOUT_S + 120, 60 + work))
    if xml_text is None:
        return {}, f"{error} during the UDP sweep"
    return by_host(xml_text, hosts), ""


def service_arguments(ports: list[int], profile: ScanProfile) -> list[str]:
    """nmap arguments for version detection and evidence scripts on known-open ports.

    The ports are known to be open, so a connect scan is enough; ``--unprivileged`` keeps
    nmap from capturing packets, so a sweep running at the same time loses no answers to it.
    """
    arguments = ["-sT", "--unprivileged", "-sV",
                 "--version-intensity", str(profile.version_intensity),
                 "-n", "-Pn", "-T4", "--max-retries", "1",
                 "--host-timeout", f"{SERVICE_HOST_TIMEOUT_S}s",
                 "-p", ",".join(map(str, sorted(ports))),
                 "--script", ",".join(EVIDENCE_SCRIPTS),
                 *(["--script-args", EVIDENCE_SCRIPT_ARGS] if EVIDENCE_SCRIPT_ARGS else []),
                 "--script-timeout", f"{SCRIPT_TIMEOUT_S}s"]
    datadir = version_datadir(profile.probe_wait_ms, profile.banner_wait_ms)
    if datadir is not None:
        arguments += ["--datadir", str(datadir)]
    return arguments


def detect_services(ip: str, open_ports: list[int], profile: ScanProfile, evidence_dir: Path,
                    reuse: bool = False, label: str = "services") -> HostPorts:
    """Version detection and evidence scripts on one host's open TCP ports.

    With ``reuse`` (``--resume``), a run whose XML is already saved is read back instead of
    run again: evidence files are written atomically, so one that exists is whole.
    """
    found = HostPorts(ip=ip)
    ports = sorted(open_ports)
    if not ports:
        return found
    if len(ports) > MAX_VERSION_PORTS:
        found.errors.append(f"{len(ports)} TCP ports answer (a tarpit or proxy?): versions "
                            f"were checked on the first {MAX_VERSION_PORTS} only")
        ports = ports[:MAX_VERSION_PORTS]
    xml_text, error = run_nmap([ip], service_arguments(ports, profile),
                           evidence_dir / f"nmap-{ip}-{label}.xml", reuse,
                           SERVICE_HOST_TIMEOUT_S + 60)
    if xml_text is None:
        found.fail(f"{error} during the service scan")
        return found
    parsed = by_host(xml_text, [ip]).get(ip)
    if parsed is None:
        found.fail("the service scan returned nothing for this host")
        return found
    parsed.errors[:0] = found.errors
    silent = sorted(set(silent_ports(xml_text, ip)) & set(ports))
    if silent:
        # Open in the sweep a moment ago, silent now: the host or the link went away.
        parsed.fail(f"{len(silent)} of {len(ports)} open ports stopped answering during the "
                    f"service scan (ports {bounded(compress_ports(silent), 80)}): the device "
                    "or the network link went away; their services were not identified")
    _add_certificates(parsed, evidence_dir, reuse, label)
    return parsed


def detect_group(ips: list[str], open_ports: list[int], profile: ScanProfile,
                 evidence_dir: Path, reuse: bool = False,
                 label: str = "services") -> dict[str, HostPorts]:
    """Version detection and evidence scripts on hosts that have the same open TCP ports.

    One nmap for the whole group, which nmap scans in parallel, each host still bounded by
    its own ``--host-timeout``: at scale, one nmap per host costs each time the parse of the
    probe file (CPU) and a process (memory). A group that is stopped keeps the hosts nmap had
    finished; the others lose their services (the sweep's ports stay).
    """
    if len(ips) == 1:
        return {ips[0]: detect_services(ips[0], open_ports, profile, evidence_dir, reuse, label)}
    ports = sorted(open_ports)[:MAX_VERSION_PORTS]
    path = evidence_dir / f"nmap-{ips[0]}+{len(ips) - 1}-{label}.xml"
    xml_text, error = run_nmap(ips, service_arguments(ports, profile), path, reuse,
                               SERVICE_HOST_TIMEOUT_S + 60 + 10 * len(ips), keep_partial=True)
    if xml_text is None and partial_path(path).exists():
        xml_text = partial_path(path).read_text(encoding="utf-8", errors="replace")
    parsed = by_host(xml_text, ips) if xml_text is not None else {}
    found: dict[str, HostPorts] = {}
    for ip in ips:
        host = parsed.get(ip)
        if host is None:
            host = HostPorts(ip=ip)
            host.fail(f"{error} during the service scan" if error
                      else "the service scan returned nothing for this host")
            found[ip] = host
            continue
        silent = sorted(set(silent_ports(xml_text or "", ip)) & set(ports))
        if silent:
            host.fail(f"{len(silent)} of {len(ports)} open ports stopped answering during the "
                      f"service scan (ports {bounded(compress_ports(silent), 80)}): the device "
                      "or the network link went away; their services were not identified")
        _add_certificates(host, evidence_dir, reuse, label)
        found[ip] = host
    return found


def _add_certificates(found: HostPorts, evidence_dir: Path, reuse: bool, label: str) -> None:
    """Run ssl-cert on the ports where TLS was seen and add its output to their scripts."""
    tls = sorted(s.port for s in found.services
                 if s.protocol == "tcp" and (s.tunnel == "ssl" or s.name == "https"))
    if not tls:
        return
    # "+" runs the script whatever its port rule says: these ports are known to speak TLS.
    arguments = ["-sT", "--unprivileged", "-n", "-Pn", "-p", ",".join(map(str, tls)),
                 "--script", ",".join(f"+{name}" for name in TLS_SCRIPTS),
                 "--script-timeout", f"{SCRIPT_TIMEOUT_S}s",
                 "--host-timeout", f"{SERVICE_HOST_TIMEOUT_S}s"]
    xml_text, error = run_nmap([found.ip], arguments,
                           evidence_dir / f"nmap-{found.ip}-{label}-tls.xml", reuse,
                           SERVICE_HOST_TIMEOUT_S + 60)
    if xml_text is None:
        found.fail(f"{error} during the certificate scan")
        return
    certificates = by_host(xml_text, [found.ip]).get(found.ip)
    scripts = {s.port: s.scripts for s in certificates.services} if certificates else {}
    found.services = [replace(s, scripts={**s.scripts, **scripts.get(s.port, {})})
                      if s.protocol == "tcp" and s.port in scripts else s
                      for s in found.services]


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
