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
import threading
import time
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
from scanner.model import Authorisation, Host, Inventory, ScannerInfo, SourceError, StageGap
from scanner.netinfo import LocalAddress, default_route, interface_for, local_addresses
from scanner.nmap_scan import (
    MAX_VERSION_PORTS,
    RUNS,
    HostPorts,
    compress_ports,
    detect_group,
    nmap_path,
    sweep_udp,
)
from scanner.profiles import OFFICE_TCP_PORTS, PROFILES
from scanner.segment.scan import finish_listening, start_listening
from scanner.snmp.v3 import V3User
from scanner.sweep.batches import Rate, sweep_batches
from scanner.sweep.plan import (
    ALL_PORTS,
    end_device,
    judged,
    key_ports,
    rest_ports,
    spec_size,
    top_tcp_ports,
)
from scanner.targets import default_targets, resolve_targets
from scanner.ups import ups_from_snmp

# Version detection mostly waits on answers (each nmap parses its probe file once, then
# waits): one nmap per host, up to eight at a time, so the slowest host alone sets the pace.
SERVICE_WORKERS = 8
SIDE_WORKERS = 5
# At scale, hosts with the same open ports share one version-detection nmap (GROUP_HOSTS at
# most), and fewer run at once: memory stays bounded, and nmap parallelises inside each run.
# Beyond SMALL_OFFICE hosts: each version-detection nmap holds about 45 MB, so eight at once
# made 380 MB at 25 hosts; three runs of up to sixteen hosts stay near 150 MB.
SMALL_OFFICE = 8
GROUP_HOSTS = 16
GROUP_WORKERS = 3
PROBE_WORKERS = 3
# Each host's probes may start an smbclient (about 17 MB each): three at once in all, not one
# per worker thread (sixteen of them made 275 MB at 100 hosts).
PROBES_AT_ONCE = threading.BoundedSemaphore(3)
NOT_SWEPT = "not swept (the sweep did not complete)"
# The sweep's --min-rate floor (packets per second): nmap's own congestion control runs above
# it when the machine keeps up (a 250-host bench received 75 000–150 000 per second with no
# loss), and the floor halves after a batch that lost answers. Forced to 75 000–100 000, some
# batches lost 78–92 % of their answers and took 40–77 s instead of 3–4 s.
START_RATE = 20000
MAX_RATE = 40000


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
        self.swept: dict[str, str] = {}  # ip -> which TCP ports the sweep asked (methodology)
        self.sweep_rates: list[tuple[int, float, float]] = []  # per batch: asked, got, loss

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


def _sweep(scan: _Scan, privileged: bool, resume: bool) -> dict[str, list[int]]:
    """The TCP sweep of all hosts, batch by batch, as the port plan says (ip -> open ports).

    Each batch's ports go into the inventory, which is saved, as soon as the batch ends; hosts
    the sweep did not complete get a ``tcp`` gap (:class:`scanner.model.StageGap`).
    """
    profile = PROFILES[scan.request.profile]
    ips = sorted(scan.hosts)
    # An office of up to SMALL_OFFICE hosts keeps the profile's floor (the eight-host lab's
    # sweep took 26.7 s at 20 000 against 12.4 s at 50 000: nmap's own control slows there).
    small = len(ips) <= SMALL_OFFICE
    rate = Rate(profile.min_rate if small else min(profile.min_rate, START_RATE),
                ceiling=max(profile.min_rate, MAX_RATE) if small else MAX_RATE)
    ports: dict[str, set[int]] = {ip: set() for ip in ips}
    if judged(profile.name, len(ips)):
        key = key_ports()
        _sweep_round(scan, [(ips, compress_ports(key))], rate, "tcp", privileged, resume, ports)
        deeper = [ip for ip in ips if not scan.hosts[ip].missing("tcp")
                  and not end_device(ports[ip], scan.hosts[ip].vendor)]
        for ip in ips:
            kind = end_device(ports[ip], scan.hosts[ip].vendor)
            scan.swept[ip] = ("every TCP port" if ip in deeper else
                              f"the {len(key)} key TCP ports ({kind})" if kind else NOT_SWEPT)
        if deeper:
            _sweep_round(scan, [(deeper, rest_ports(key))], rate, "tcp-rest", privileged,
                         resume, ports)
    else:
        spec = profile.tcp_ports or compress_ports(list(top_tcp_ports(profile.top_ports)))
        _sweep_round(scan, [(ips, spec)], rate, "tcp", privileged, resume, ports)
        described = ("every TCP port" if spec == ALL_PORTS
                     else f"nmap's {spec_size(spec)} most common TCP ports")
        scan.swept.update({ip: described for ip in ips})
    scan.sweep_rates = rate.history
    scan.inventory = replace(scan.inventory, port_plan=port_plan_words(scan.swept))
    write_json_atomic(scan.evidence / "sweep-plan.json", {
        "hosts": scan.swept,
        "batches": [{"rate_asked": asked, "rate_received": round(got), "lost": round(loss, 4)}
                    for asked, got, loss in rate.history]})
    chosen: dict[str, list[int]] = {}
    for ip in ips:
        chosen[ip] = sorted(ports[ip])
        if len(chosen[ip]) > MAX_VERSION_PORTS:
            # A SYN proxy or a tarpit: the sweep's "open" means nothing here. Version detection
            # looks at a sample, and only what it identifies is kept (_services_and_probes).
            scan.every_port[ip] = len(chosen[ip])
            scan.error("nmap", f"{len(chosen[ip])} TCP ports answered, more than any real "
                       "device opens (a firewall's SYN proxy or a tarpit): only services "
                       f"identified on {MAX_VERSION_PORTS} of them are kept", ip)
            host = scan.hosts[ip]
            scan.hosts[ip] = replace(host, services=tuple(
                s for s in host.services if s.protocol != "tcp"))
            chosen[ip] = version_sample(chosen[ip])
    return chosen


def port_plan_words(swept: dict[str, str]) -> str:
    """The methodology's sentence on which TCP ports were asked on which devices."""
    every = sum(1 for what in swept.values() if what == "every TCP port")
    if every == len(swept):
        return f"Every TCP port (1–65535) on every device ({every})."
    kinds: dict[str, int] = {}
    unswept = sum(1 for what in swept.values() if what == NOT_SWEPT)
    gaps = f" {unswept} devices were not swept: see the gaps." if unswept else ""
    for what in swept.values():
        if what not in ("every TCP port", NOT_SWEPT) and "(" in what:
            kind = what.rsplit("(", 1)[1].rstrip(")")
            kinds[kind] = kinds.get(kind, 0) + 1
    key = next((what.split(" (")[0] for what in swept.values()
                if what not in ("every TCP port", NOT_SWEPT)), "")
    if not key:
        return f"Every TCP port (1–65535) on {every} devices.{gaps}"
    if key.startswith("nmap's"):
        return f"{key[0].upper()}{key[1:]} on every device ({len(swept)}).{gaps}"
    recognised = ", ".join(f"{count} {kind}{'s' if count != 1 else ''}"
                           for kind, count in sorted(kinds.items()))
    return (f"Every TCP port (1–65535) on {every} devices: infrastructure and every device "
            f"not recognised from its first answers. {key[0].upper()}{key[1:]} (nmap's 1,000 "
            "most common and every port a check asks about) on the devices recognised as "
            f"workstations, printers or phones ({recognised}).{gaps}")


def _sweep_round(scan: _Scan, groups: list[tuple[list[str], str]], rate: Rate, label: str,
                 privileged: bool, resume: bool, ports: dict[str, set[int]]) -> None:
    """One round of the sweep over ``groups`` (hosts, port spec), saving after every batch."""
    hosts_total = sum(len(hosts) for hosts, _spec in groups)
    what = "Port sweep" if label == "tcp" else "Port sweep (every port, infrastructure)"
    scan.progress.stage(what, hosts_total)
    started = time.monotonic()
    shown = [0]

    def saved(found: dict[str, HostPorts], done: int, total: int) -> None:
        for ip, host_ports in found.items():
            ports[ip].update(s.port for s in host_ports.services)
            _merge_ports(scan, host_ports, "tcp")
        scan.save()
        # The estimate is the time per host so far times the hosts left: batches are alike in
        # size, and the rate they run at is the one the next batches start from.
        elapsed = time.monotonic() - started
        left = f"about {_duration(elapsed * (total - done) / done)} left" if done < total \
            else "done"
        for _step in range(done - shown[0]):
            scan.progress.advance(f"{done} of {total} hosts, {left}")
        shown[0] = done

    result = sweep_batches(groups, rate, privileged, scan.evidence, label, resume,
                           on_batch=saved)
    for note in result.notes:  # lost answers asked again is a note; a failed run lost results
        progress_note(scan, note)
    for failure in result.failures:
        scan.error("nmap", failure, _hosts_label(sorted(result.unswept) or
                                                  [h for g in groups for h in g[0]]), lost=True)
    for ip, why in result.unswept.items():
        _mark_incomplete(scan, ip, "tcp", why)


def _duration(seconds: float) -> str:
    """"1 min 20 s" or "40 s"."""
    seconds = max(0, round(seconds))
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"


def _mark_incomplete(scan: _Scan, ip: str, stage: str, reason: str) -> None:
    """Record that ``stage`` did not complete for one host (its checks will say UNKNOWN)."""
    host = scan.hosts.get(ip)
    if host is None or host.missing(stage):
        return
    scan.hosts[ip] = replace(host, incomplete=(
        *host.incomplete, StageGap(stage, " ".join(reason.split())[:300])))


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
    workers = GROUP_WORKERS if len(ips) > SMALL_OFFICE else SERVICE_WORKERS
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(ips)))) as pool:
        jobs: dict[Future[list[tuple[HostPorts, ProbeResult | None]]], list[str]] = {}

        # One sweep, then version detection: on two cores any nmap running beside the sweep
        # (even an unprivileged -sV, which compiles thousands of regexes) makes it lose answers.
        swept = _sweep(scan, privileged, resume)
        groups = _service_groups(swept, grouped=len(ips) > SMALL_OFFICE,
                                 alone=set(scan.every_port))
        scan.progress.stage("Services", sum(len(group) for group, _ports in groups))
        for group, ports in groups:
            jobs[pool.submit(_services_and_probes, scan, group, ports, "services",
                             resume)] = group
        # The sweep runs alone: at its rate, anything else busy on two cores (a second nmap
        # capturing packets, SNMP's CPU-hungry Python, even name lookups) makes it lose
        # answers. Everything else starts once it is over, beside version detection.
        side_stages.update(_start_side_stages(scan, side))
        side_stages["snmp"] = side.submit(snmp_answers, ips, scan.request.communities,
                                          scan.request.snmp_v3_users)
        udp = (side.submit(sweep_udp, ips, profile, scan.evidence, resume)
               if privileged and profile.udp_ports else None)
        for future in as_completed(jobs):
            try:
                results = future.result()
            except Exception as exc:  # one host's failure must not stop the others
                for ip in jobs[future]:
                    scan.error("nmap", f"service scan failed: {exc}", ip, lost=True)
                    _mark_incomplete(scan, ip, "services", f"service scan failed: {exc}")
                continue
            for found, probes in results:
                ip = found.ip
                _merge_ports(scan, found, "tcp")
                if found.lost:
                    _mark_incomplete(scan, ip, "services", found.lost[0])
                scan.host_scripts.setdefault(ip, {}).update(found.host_scripts)
                if probes is not None:
                    scan.probes[ip] = probes
                    for note in probes.notes:
                        scan.error("probe", note, ip)
                scan.progress.advance(ip)
            scan.save()
    return udp


def _service_groups(swept: dict[str, list[int]], grouped: bool,
                    alone: set[str]) -> list[tuple[list[str], list[int]]]:
    """Hosts for version detection: one per run, or at scale, those with the same open ports
    together (up to GROUP_HOSTS a run). Hosts that answer every port always run alone."""
    if not grouped:
        return [([ip], ports) for ip, ports in swept.items() if ports]
    same: dict[tuple[int, ...], list[str]] = {}
    single: list[tuple[list[str], list[int]]] = []
    for ip, ports in sorted(swept.items()):
        if not ports:
            continue
        if ip in alone:
            single.append(([ip], ports))
        else:
            same.setdefault(tuple(ports), []).append(ip)
    for ports_key, ips in same.items():
        single += [(ips[i:i + GROUP_HOSTS], list(ports_key))
                   for i in range(0, len(ips), GROUP_HOSTS)]
    return single


def _services_and_probes(scan: _Scan, ips: list[str], ports: list[int], label: str,
                         resume: bool) -> list[tuple[HostPorts, ProbeResult | None]]:
    """Version detection of one host (or a group with the same ports), then at once each
    host's protocol probes (in a worker thread), so they overlap the other hosts' detection."""
    profile = PROFILES[scan.request.profile]
    found = detect_group(ips, ports, profile, scan.evidence, resume, label)

    def probed(ip: str) -> tuple[HostPorts, ProbeResult | None]:
        host_ports = found[ip]
        if ip in scan.every_port:  # identified, not illusion
            host_ports.services = [s for s in host_ports.services if s.product]
        services = host_ports.services or [s for s in scan.hosts[ip].services
                                           if s.protocol == "tcp"]
        with PROBES_AT_ONCE:
            return host_ports, probe_host(replace(scan.hosts[ip], services=tuple(services)))

    if len(ips) == 1:
        return [probed(ips[0])]
    with ThreadPoolExecutor(max_workers=PROBE_WORKERS) as probes:
        return list(probes.map(probed, ips))


def progress_note(scan: _Scan, message: str) -> None:
    """Tell the consultant without recording a source error (nothing was lost)."""
    scan.progress.note(message)


def _merge_udp(scan: _Scan, udp: Future[Any] | None) -> None:
    if udp is None:
        return
    found, error = udp.result()
    if error:
        scan.error("nmap", error, lost=True)
        for ip in scan.hosts:
            if ip not in found:
                _mark_incomplete(scan, ip, "udp", error)
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
        if previous.complete and not previous.partial and not any(
                h.incomplete for h in previous.hosts):
            progress.note("that scan is already complete; nothing to resume")
            return previous
        if previous.complete:
            # A partial scan: what was saved whole is read back, what was lost (stopped or
            # failed runs, hosts not swept, service scans that did not finish) is asked again.
            progress.note("redoing what the earlier scan lost: " + "; ".join(
                sorted({" ".join(gap.message.split())[:120] for gap in previous.gaps}))[:400])
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
