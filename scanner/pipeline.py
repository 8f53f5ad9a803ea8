"""The scan, stage by stage, saving the assessment folder as it goes.

discovery (ARP on the local segment, nmap ping elsewhere) → names (reverse DNS) → ports and
services (one nmap run per host, in parallel) → SNMP system group → identification. After
every stage, and after every host's port scan, ``inventory.json`` is rewritten atomically with
``complete: false``, so an interrupted scan keeps what it had.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from scanner import __version__
from scanner.arp import arp_sweep
from scanner.classify import classify
from scanner.folder import evidence_dir, save_inventory, write_json_atomic
from scanner.macvendor import is_locally_administered, vendor_for
from scanner.model import Host, Inventory, ScannerInfo, SourceError
from scanner.names import reverse_dns
from scanner.netinfo import default_route, interface_for, local_addresses
from scanner.nmap_scan import nmap_path, ping_sweep, scan_host
from scanner.profiles import PROFILES
from scanner.snmp import SnmpOptions, query_system_groups
from scanner.targets import default_targets, resolve_targets

PORT_SCAN_WORKERS = 8


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
                                   started_at=_now(), tool_version=__version__)
        self.evidence = evidence_dir(request.folder)

    def save(self, complete: bool = False) -> Inventory:
        self.inventory = replace(
            self.inventory.with_hosts(list(self.hosts.values())), errors=tuple(self.errors),
            complete=complete, finished_at=_now() if complete else "")
        save_inventory(self.request.folder, self.inventory)
        return self.inventory

    def error(self, source: str, message: str, target: str = "") -> None:
        self.errors.append(SourceError(source, message, target))
        self.progress.note(f"{source}: {message}" + (f" ({target})" if target else ""))


def _discover(scan: _Scan, addresses: list[str], privileged: bool) -> dict[str, str | None]:
    local = local_addresses()
    on_link: dict[str, list[str]] = {}
    elsewhere: list[str] = []
    for ip in addresses:
        link = interface_for(ip, local) if privileged else None
        if link:
            on_link.setdefault(link.interface, []).append(ip)
        else:
            elsewhere.append(ip)
    live: dict[str, str | None] = {}
    methods: dict[str, str] = {}
    for interface, ips in on_link.items():
        try:
            found = arp_sweep(ips, interface)
        except (OSError, PermissionError) as exc:
            scan.error("arp", f"ARP sweep on {interface} failed: {exc}; using nmap ping")
            elsewhere.extend(ips)
            continue
        live.update(found)
        methods.update(dict.fromkeys(found, "arp"))
    if elsewhere:
        for ip, mac in ping_sweep(elsewhere, privileged).items():
            live.setdefault(ip, mac)
            methods.setdefault(ip, "ping")
    write_json_atomic(scan.evidence / "discovery.json",
                      {"privileged": privileged, "arp_interfaces": sorted(on_link),
                       "pinged": len(elsewhere),
                       "live": {ip: {"mac": live[ip], "method": methods[ip]} for ip in live}})
    for ip, mac in live.items():
        scan.hosts[ip] = Host(ip=ip, mac=mac, vendor=vendor_for(mac) if mac else None,
                              mac_private=bool(mac and is_locally_administered(mac)),
                              discovered_by=(methods[ip],))
    return live


def _scan_ports(scan: _Scan, privileged: bool) -> None:
    profile = PROFILES[scan.request.profile]
    ips = sorted(scan.hosts)
    scan.progress.stage("Ports and services", len(ips))
    with ThreadPoolExecutor(max_workers=max(1, min(PORT_SCAN_WORKERS, len(ips)))) as pool:
        futures = {pool.submit(scan_host, ip, profile, privileged, scan.evidence): ip
                   for ip in ips}
        for future in as_completed(futures):
            ip = futures[future]
            try:
                found = future.result()
            except Exception as exc:  # one host's failure must not stop the others
                scan.error("nmap", f"port scan failed: {exc}", ip)
                scan.progress.advance(ip)
                continue
            for message in found.errors:
                scan.error("nmap", message, ip)
            host = scan.hosts[ip]
            mac = host.mac or found.mac
            scan.hosts[ip] = replace(host, services=tuple(found.services), mac=mac,
                                     vendor=host.vendor or (vendor_for(mac) if mac else None))
            scan.save()
            scan.progress.advance(ip)


def _query_snmp(scan: _Scan) -> None:
    scan.progress.stage("SNMP", None)
    answers = query_system_groups(sorted(scan.hosts),
                                  SnmpOptions(communities=scan.request.communities))
    record = {}
    for ip, answer in answers.items():
        if isinstance(answer, str):
            record[ip] = {"answered": False, "reason": answer}
            continue
        record[ip] = {"answered": True, "system": {k: v for k, v in vars(answer).items()}}
        scan.hosts[ip] = replace(scan.hosts[ip], snmp=answer)
    write_json_atomic(scan.evidence / "snmp.json", record)


def run_scan(request: ScanRequest, progress: Progress | None = None,
             on_targets: Callable[[list[str]], None] | None = None) -> Inventory:
    """Scan the request's targets and write the assessment folder; returns the inventory."""
    progress = progress or Progress()
    nmap_path()  # fail before any traffic if the scan could not finish
    local = local_addresses()
    route = default_route()
    specs = list(request.targets) or default_targets(local, route)
    addresses = resolve_targets(specs, allow_public=request.allow_public,
                                exclude=request.exclude, own_addresses=[a.ip for a in local])
    if on_targets:
        on_targets(specs)
    request.folder.mkdir(parents=True, exist_ok=True)
    scan = _Scan(replace(request, targets=tuple(specs)), progress)
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
    progress.stage("Discovery", None)
    _discover(scan, addresses, privileged)
    scan.save()
    progress.stage("Names", None)
    for ip, names in reverse_dns(sorted(scan.hosts)).items():
        scan.hosts[ip] = replace(scan.hosts[ip], hostnames=tuple(names))
    scan.save()
    _scan_ports(scan, privileged)
    _query_snmp(scan)
    gateway = scan.inventory.gateway
    for ip, host in scan.hosts.items():
        scan.hosts[ip] = classify(replace(host, is_gateway=(ip == gateway)))
    return scan.save(complete=True)
