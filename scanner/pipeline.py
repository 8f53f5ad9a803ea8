"""The scan, stage by stage, saving the assessment folder as it goes.

discovery (ARP on the local segment, nmap ping elsewhere); then one fast sweep of every TCP
port of every host, which runs alone (at its rate, anything else busy makes it lose answers;
answers it lost on hosts that reset closed ports are asked again, more slowly); then, at the
same time:

* version detection and the evidence scripts on each host's open ports (one nmap per host),
  each host's protocol probes (web, NUT, SMB shares) as soon as its services are known;
* the office UDP ports with the NetBIOS name table;
* names: reverse DNS and mDNS/DNS-SD; UPnP gateways by SSDP;
* SNMP: system group and deeper collection, then the harmless write test;

then identification and the protection signals. After every
stage, and after every host's services, ``inventory.json`` is rewritten atomically with
``complete: false``, so an interrupted scan keeps what it had.

A scan that runs to its end but loses results (an nmap killed or failing, the network link
going away — :mod:`scanner.linkwatch` stops the running nmaps at once) records why as errors
with ``lost=True`` and saves ``partial: true``; :func:`partial_summary` says it in one line.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scanner import __version__
from scanner.discovery import LiveHost, discover_hosts
from scanner.folder import (
    evidence_dir,
    load_inventory,
    read_json,
    remove_stale_temporaries,
    save_inventory,
    write_json_atomic,
)
from scanner.host_probes import ProbeResult, add_protection, finish_host, probe_host
from scanner.identify import classify
from scanner.linkwatch import LinkWatch
from scanner.macvendor import is_locally_administered, vendor_for
from scanner.model import Authorisation, Host, Inventory, ScannerInfo, SourceError
from scanner.netinfo import LocalAddress, default_route, interface_for, local_addresses
from scanner.nmap_scan import (
    MAX_VERSION_PORTS,
    RUNS,
    HostPorts,
    detect_services,
    nmap_path,
    sweep_tcp,
    sweep_udp,
)
from scanner.profiles import OFFICE_TCP_PORTS, PROFILES
from scanner.segment.scan import finish_listening, start_listening
from scanner.snmp.v3 import V3User
from scanner.targets import default_targets, resolve_targets
from scanner.ups import ups_from_snmp

# Version detection mostly waits on answers (each nmap parses its probe file once, then
# waits): one nmap per host, up to eight at a time, so the slowest host alone sets the pace.
SERVICE_WORKERS = 8
SIDE_WORKERS = 5


@dataclass(frozen=True)
class ScanRequest:
    """What the consultant asked for."""

    client: str
    folder: Path
    targets: tuple[str, ...] = ()  # empty: the default interface's private subnet
    exclude: tuple[str, ...] = ()
    profile: str = "standard"
    communities: tuple[str, ...] = ("public",)
    allow_public: bool = False
    allow_large: bool = False  # the consultant confirmed a range above 4096 addresses
    snmp_v3_users: tuple[V3User, ...] = ()  # keys in memory only, never saved
    authorisation: Authorisation | None = None  # the client's written authorisation, if given


class Progress:
    """Receives progress; the CLI shows it with rich, tests and libraries ignore it."""

    def stage(self, name: str, total: int | None = None) -> None:
        """A new stage starts, with ``total`` steps if known."""

    def advance(self, detail: str = "") -> None:
        """One step of the current stage is done."""

    def note(self, message: str) -> None:
        """Something the consultant should know (a fallback, a source that failed)."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _is_privileged() -> bool:
    return os.geteuid() == 0


class _Scan:
    """The state of one running scan: the inventory so far and where it is saved."""

    def __init__(self, request: ScanRequest, progress: Progress) -> None:
        self.request = request
        self.progress = progress
        self.hosts: dict[str, Host] = {}
        self.errors: list[SourceError] = []
        self.inventory = Inventory(client=request.client, targets=request.targets,
                                   excluded=request.exclude, profile=request.profile,
                                   started_at=_now(), tool_version=__version__,
                                   authorisation=request.authorisation)
        self.evidence = evidence_dir(request.folder)
        self.host_scripts: dict[str, dict[str, str]] = {}
        # ip -> how many TCP ports answered, for hosts that answer on every port they are asked
        self.every_port: dict[str, int] = {}
        self.nbstat: dict[str, str] = {}
        self.probes: dict[str, ProbeResult] = {}

    def save(self, complete: bool = False) -> Inventory:
        self.inventory = replace(
            self.inventory.with_hosts(list(self.hosts.values())), errors=tuple(self.errors),
            partial=any(e.lost for e in self.errors),
            complete=complete, finished_at=_now() if complete else "")
        save_inventory(self.request.folder, self.inventory)
        return self.inventory

    def error(self, source: str, message: str, target: str = "", lost: bool = False) -> None:
        """Record what a source could not do; ``lost`` when results were lost by it."""
        self.errors.append(SourceError(source, message, target, lost))
        self.progress.note(f"{source}: {message}" + (f" ({target})" if target else ""))


def _discover(scan: _Scan, addresses: list[str], privileged: bool, resume: bool) -> None:
    record = scan.evidence / "discovery.json"
    if resume and record.exists():
        saved = read_json(record).get("live", {})
        live = [LiveHost(ip, info.get("mac"), info.get("method", "arp"))
                for ip, info in saved.items() if ip in set(addresses)]
    else:
        live = discover_hosts(addresses, privileged, on_error=lambda m: scan.error("arp", m))
        write_json_atomic(record, {"privileged": privileged, "addresses_asked": len(addresses),
                                   "live": {h.ip: {"mac": h.mac, "method": h.method}
                                            for h in live}})
    for found in live:
        mac = found.mac
        scan.hosts[found.ip] = Host(ip=found.ip, mac=mac, vendor=vendor_for(mac) if mac else None,
                                    mac_private=bool(mac and is_locally_administered(mac)),
                                    discovered_by=(found.method,))


def _merge_ports(scan: _Scan, found: HostPorts, protocol: str) -> None:
    """Put what nmap said about one host's ``protocol`` ports into the inventory.

    A later, deeper run (version detection) overrides the sweep port by port; ports it did not
    look at keep what the sweep said.
    """
    host = scan.hosts[found.ip]
    mac = host.mac or found.mac
    by_port = {s.port: s for s in host.services if s.protocol == protocol}
    by_port.update({s.port: s for s in found.services if s.protocol == protocol})
    others = [s for s in host.services if s.protocol != protocol]
    scan.hosts[found.ip] = replace(host, services=tuple(sorted(
        [*others, *by_port.values()], key=lambda s: (s.protocol != "tcp", s.port))),
        mac=mac, vendor=host.vendor or (vendor_for(mac) if mac else None))
    for message in found.errors:
        scan.error("nmap", message, found.ip, lost=message in found.lost)


def _sweep(scan: _Scan, port_arguments: list[str], label: str, privileged: bool,
           resume: bool) -> dict[str, list[int]]:
    """One sweep of all hosts; its open ports are merged and returned (ip -> ports)."""
    profile = PROFILES[scan.request.profile]
    ips = sorted(scan.hosts)
    swept, notes, failures = sweep_tcp(ips, port_arguments, profile, privileged, scan.evidence,
                                       label, resume)
    for note in notes:  # lost answers asked again is a note; a failed run lost results
        progress_note(scan, note)
    for failure in failures:
        scan.error("nmap", failure, _hosts_label(ips), lost=True)
    ports: dict[str, list[int]] = {}
    for ip in ips:
        found = swept.get(ip)
        ports[ip] = sorted(s.port for s in found.services) if found else []
        if found is None:
            continue
        if len(ports[ip]) > MAX_VERSION_PORTS:
            # A SYN proxy or a tarpit: the sweep's "open" means nothing here. Version detection
            # looks at a sample, and only what it identifies is kept (_services_and_probes).
            scan.every_port[ip] = len(ports[ip])
            scan.error("nmap", f"{len(ports[ip])} TCP ports answered, more than any real "
                       "device opens (a firewall's SYN proxy or a tarpit): only services "
                       f"identified on {MAX_VERSION_PORTS} of them are kept", ip)
            ports[ip] = version_sample(ports[ip])
            found = replace(found, services=[])
        _merge_ports(scan, found, "tcp")
    return ports


def version_sample(ports: list[int]) -> list[int]:
    """At most MAX_VERSION_PORTS of a host's answering ports, the office's usual ones first."""
    common = set(OFFICE_TCP_PORTS)
    chosen = [p for p in ports if p in common][:MAX_VERSION_PORTS]
    rest = [p for p in ports if p not in common]
    return sorted(chosen + rest[:MAX_VERSION_PORTS - len(chosen)])


def _hosts_label(ips: list[str]) -> str:
    """The target column of a run over many hosts: the address of one, else how many."""
    return ips[0] if len(ips) == 1 else f"{len(ips)} hosts"


def _scan_ports(scan: _Scan, privileged: bool, resume: bool, side: ThreadPoolExecutor,
                side_stages: dict[str, Future[Any]]) -> Future[Any] | None:
    """The sweep, version detection per host, and the start of the UDP sweep and SNMP."""
    from scanner.lan_stages import snmp_answers

    profile = PROFILES[scan.request.profile]
    ips = sorted(scan.hosts)
    scan.progress.stage("Ports and services", None)
    asked: dict[str, set[int]] = {ip: set() for ip in ips}
    with ThreadPoolExecutor(max_workers=max(1, min(SERVICE_WORKERS, len(ips)))) as pool:
        jobs: dict[Future[tuple[HostPorts, ProbeResult | None]], str] = {}

        def detect(ip: str, ports: list[int], label: str) -> None:
            new = sorted(set(ports) - asked[ip])
            if new:
                asked[ip].update(new)
                jobs[pool.submit(_services_and_probes, scan, ip, new, label, resume)] = ip

        # One sweep, then version detection: on two cores any nmap running beside the sweep
        # (even an unprivileged -sV, which compiles thousands of regexes) makes it lose answers.
        for ip, ports in _sweep(scan, profile.tcp_arguments(), "tcp", privileged,
                                resume).items():
            detect(ip, ports, "services")
        # The sweep runs alone: at its rate, anything else busy on two cores (a second nmap
        # capturing packets, SNMP's CPU-hungry Python, even name lookups) makes it lose
        # answers. Everything else starts once it is over, beside version detection.
        side_stages.update(_start_side_stages(scan, side))
        side_stages["snmp"] = side.submit(snmp_answers, ips, scan.request.communities,
                                          scan.request.snmp_v3_users)
        udp = (side.submit(sweep_udp, ips, profile, scan.evidence, resume)
               if privileged and profile.udp_ports else None)
        for future in as_completed(jobs):
            ip = jobs[future]
            try:
                found, probes = future.result()
            except Exception as exc:  # one host's failure must not stop the others
                scan.error("nmap", f"service scan failed: {exc}", ip, lost=True)
                continue
            _merge_ports(scan, found, "tcp")
            scan.host_scripts.setdefault(ip, {}).update(found.host_scripts)
            if probes is not None:
                scan.probes[ip] = probes
                for note in probes.notes:
                    scan.error("probe", note, ip)
            scan.save()
            scan.progress.advance(ip)
    return udp


def _services_and_probes(scan: _Scan, ip: str, ports: list[int], label: str,
                         resume: bool) -> tuple[HostPorts, ProbeResult | None]:
    """One host's version detection, then at once its protocol probes (in a worker thread),
    so they overlap the other hosts' version detection."""
    profile = PROFILES[scan.request.profile]
    found = detect_services(ip, ports, profile, scan.evidence, resume, label)
    if ip in scan.every_port:
        found.services = [s for s in found.services if s.product]  # identified, not illusion
    services = found.services or [s for s in scan.hosts[ip].services if s.protocol == "tcp"]
    return found, probe_host(replace(scan.hosts[ip], services=tuple(services)))


def progress_note(scan: _Scan, message: str) -> None:
    """Tell the consultant without recording a source error (nothing was lost)."""
    scan.progress.note(message)


def _merge_udp(scan: _Scan, udp: Future[Any] | None) -> None:
    if udp is None:
        return
    found, error = udp.result()
    if error:
        scan.error("nmap", error, lost=True)
    for ip, ports in found.items():
        _merge_ports(scan, ports, "udp")
        if "nbstat" in ports.host_scripts:
            scan.nbstat[ip] = ports.host_scripts["nbstat"]


def _start_side_stages(scan: _Scan, side: ThreadPoolExecutor) -> dict[str, Future[Any]]:
    """Names and SSDP: they need only the live hosts, so they run beside version detection."""
    local_ip = scan.inventory.scanner.ip
    from scanner.lan_stages import mdns_names, upnp_gateways
    from scanner.names import reverse_dns

    ips = sorted(scan.hosts)
    stages = {"dns": side.submit(reverse_dns, ips)}
    if scan.request.exclude:
        # A multicast query reaches every device on the segment, the excluded ones too (and
        # they answer): with exclusions, mDNS and SSDP are not asked at all.
        reason = ("not asked: addresses are excluded from this scan, and a multicast query "
                  "would reach them too")
        stages["mdns"] = side.submit(lambda: reason)
        stages["ssdp"] = side.submit(lambda: reason)
        return stages
    stages["mdns"] = side.submit(mdns_names, local_ip, set(ips))
    stages["ssdp"] = side.submit(upnp_gateways, local_ip, scan.inventory.gateway)
    return stages


def _collect_side_stages(scan: _Scan, futures: dict[str, Future[Any]]) -> None:
    from scanner.lan_stages import apply_side_results

    scan.progress.stage("Names, SNMP and UPnP", None)
    results = {}
    for name, future in futures.items():
        try:
            results[name] = future.result()
        except Exception as exc:  # a side stage's failure is reported, the scan goes on
            scan.error(name, f"failed: {exc}")
    apply_side_results(scan.hosts, results, scan.evidence, scan.error)


def _identify(scan: _Scan) -> None:
    gateway = scan.inventory.gateway
    for ip, host in scan.hosts.items():
        host = finish_host(replace(host, is_gateway=(ip == gateway)),
                           scan.host_scripts.get(ip, {}), scan.nbstat.get(ip, ""),
                           scan.probes.get(ip))
        host = classify(host)
        if host.ups is None and host.snmp is not None:
            host = replace(host, ups=ups_from_snmp(host.snmp, host.manufacturer, host.model))
        if ip in scan.every_port:
            host = replace(host, answers_every_port=True, evidence=(
                f"answered on {scan.every_port[ip]} TCP ports: a firewall's SYN proxy or a "
                "tarpit; only identified services kept", *host.evidence))
        scan.hosts[ip] = add_protection(host)
    write_json_atomic(scan.evidence / "probes.json", {
        ip: {"web": [vars(w) | {"certificate": vars(w.certificate) if w.certificate else None}
                     for w in p.web],
             "ups": vars(p.ups) if p.ups else None,
             "anonymous_shares": p.anonymous_shares, "notes": p.notes,
             "open_doors": {"exposures": [vars(e) for e in p.doors.exposures],
                            "probed": sorted(p.doors.probed), "raw": p.doors.raw}
             if p.doors else None}
        for ip, p in sorted(scan.probes.items())})


def _resumed_request(request: ScanRequest) -> tuple[ScanRequest, Inventory]:
    """The request an interrupted scan was started with, read back from its folder."""
    previous = load_inventory(request.folder)
    return replace(request, client=previous.client, targets=previous.targets,
                   exclude=previous.excluded, profile=previous.profile,
                   authorisation=request.authorisation or previous.authorisation), previous


def watched_interfaces(addresses: list[str], local: list[LocalAddress],
                       route_interface: str | None) -> tuple[str, ...]:
    """The links the scan's traffic goes out on: the on-link ones, else the default route's."""
    names: set[str] = set()
    routed = False
    for ip in addresses:
        link = interface_for(ip, local)
        if link is not None:
            names.add(link.interface)
        else:
            routed = True
    if routed and route_interface:
        names.add(route_interface)
    return tuple(sorted(names))


def partial_summary(inventory: Inventory) -> str:
    """One line on why the inventory is partial ("" when it is not), for the command line.

    The lost link comes first: it is the cause of the gaps after it.
    """
    gaps = sorted(inventory.gaps, key=lambda gap: gap.source != "network")
    if not inventory.partial or not gaps:
        return ""
    first = gaps[0]
    line = " ".join((first.message + (f" (while scanning {first.target})"
                                      if first.target else "")).split())
    line = line[:300]  # the message may quote nmap: one bounded line
    if len(gaps) > 1:
        line += f" (and {len(gaps) - 1} more gaps, listed in inventory.json)"
    return line


def _link_lost(scan: _Scan, interface: str, state: str) -> None:
    """The watched link went down or away: record the gap, stop every nmap at once."""
    what = "went down" if state == "down" else "disappeared"
    scan.error("network", f"the network link {interface} {what} during the scan; devices and "
               "services not yet scanned were not seen", lost=True)
    RUNS.stop(f"the network link {interface} {what}")


def run_scan(request: ScanRequest, progress: Progress | None = None,
             on_targets: Callable[[list[str]], None] | None = None,
             resume: bool = False) -> Inventory:
    """Scan the request's targets and write the assessment folder; returns the inventory.

    With ``resume``, the folder's interrupted scan is completed: its targets and profile are
    reused, and the discovery and nmap evidence already saved are read back, not re-scanned.
    A folder whose scan is complete is returned as it is.
    """
    progress = progress or Progress()
    previous = None
    if resume:
        request, previous = _resumed_request(request)
        remove_stale_temporaries(request.folder)  # left by the killed scan, if any
        if previous.complete:
            progress.note("that scan is already complete; nothing to resume")
            return previous
    nmap_path()  # fail before any traffic if the scan could not finish
    local = local_addresses()
    route = default_route()
    specs = list(request.targets) or default_targets(local, route)
    addresses = resolve_targets(specs, allow_public=request.allow_public,
                                exclude=request.exclude, own_addresses=[a.ip for a in local],
                                allow_large=request.allow_large)
    if on_targets:
        on_targets(specs)
    request.folder.mkdir(parents=True, exist_ok=True)
    scan = _Scan(replace(request, targets=tuple(specs)), progress)
    if previous is not None:
        scan.inventory = replace(scan.inventory, started_at=previous.started_at)
    privileged = _is_privileged()
    scanner_link = (next((a for a in local if a.interface == route.interface), None)
                    if route else None)
    scan.inventory = replace(scan.inventory, targets=tuple(specs),
                             gateway=route.gateway if route else None,
                             scanner=ScannerInfo(
                                 ip=scanner_link.ip if scanner_link else None,
                                 mac=scanner_link.mac if scanner_link else None,
                                 interface=route.interface if route else None,
                                 privileged=privileged))
    if not privileged:
        progress.note("not running as root: no ARP discovery, TCP connect scan instead of "
                      "SYN, no UDP scan. Run as root for a complete assessment.")
    RUNS.reset()
    listening = start_listening(scanner_link, scan.inventory.gateway, request.profile,
                                privileged, addresses)  # the segment, heard all scan long
    watched = watched_interfaces(addresses, local, route.interface if route else None)
    with LinkWatch(watched, lambda name, state: _link_lost(scan, name, state)):
        progress.stage("Discovery", None)
        _discover(scan, addresses, privileged, resume)
        scan.save()
        with ThreadPoolExecutor(max_workers=SIDE_WORKERS) as side:
            side_stages: dict[str, Future[Any]] = {}
            udp = _scan_ports(scan, privileged, resume, side, side_stages)
            _merge_udp(scan, udp)
            _collect_side_stages(scan, side_stages)
    RUNS.reset()
    scan.save()
    _identify(scan)
    segment, scan.hosts = finish_listening(listening, scan.hosts)
    scan.inventory = replace(scan.inventory, segment=segment)
    return scan.save(complete=True)
