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
from scanner.classify import classify
from scanner.discovery import LiveHost, discover_hosts
from scanner.folder import (
    evidence_dir,
    load_inventory,
    read_json,
    save_inventory,
    write_json_atomic,
)
from scanner.macvendor import is_locally_administered, vendor_for
from scanner.model import Host, Inventory, ScannerInfo, SourceError
from scanner.names import reverse_dns
from scanner.netinfo import default_route, local_addresses
from scanner.nmap_scan import nmap_path, scan_host
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


def _scan_ports(scan: _Scan, privileged: bool, resume: bool) -> None:
    profile = PROFILES[scan.request.profile]
    ips = sorted(scan.hosts)
    scan.progress.stage("Ports and services", len(ips))
    with ThreadPoolExecutor(max_workers=max(1, min(PORT_SCAN_WORKERS, len(ips)))) as pool:
        futures = {pool.submit(scan_host, ip, profile, privileged, scan.evidence, resume): ip
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


def _resumed_request(request: ScanRequest) -> tuple[ScanRequest, Inventory]:
    """The request an interrupted scan was started with, read back from its folder."""
    previous = load_inventory(request.folder)
    return replace(request, client=previous.client, targets=previous.targets,
                   exclude=previous.excluded, profile=previous.profile), previous


def run_scan(request: ScanRequest, progress: Progress | None = None,
             on_targets: Callable[[list[str]], None] | None = None,
             resume: bool = False) -> Inventory:
    """Scan the request's targets and write the assessment folder; returns the inventory.

    With ``resume``, the folder's interrupted scan is completed: its targets and profile are
    reused, and the discovery and per-host nmap evidence already saved are read back, not
    re-scanned. A folder whose scan is complete is returned as it is.
    """
    progress = progress or Progress()
    previous = None
    if resume:
        request, previous = _resumed_request(request)
        if previous.complete:
            progress.note("that scan is already complete; nothing to resume")
            return previous
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
    progress.stage("Discovery", None)
    _discover(scan, addresses, privileged, resume)
    scan.save()
    progress.stage("Names", None)
    for ip, names in reverse_dns(sorted(scan.hosts)).items():
        scan.hosts[ip] = replace(scan.hosts[ip], hostnames=tuple(names))
    scan.save()
    _scan_ports(scan, privileged, resume)
    _query_snmp(scan)
    gateway = scan.inventory.gateway
    for ip, host in scan.hosts.items():
        scan.hosts[ip] = classify(replace(host, is_gateway=(ip == gateway)))
    return scan.save(complete=True)
