"""The stages that run beside the port scan: mDNS names, UPnP gateways, SNMP.

Each function runs in a worker thread and returns plain results; :func:`apply_side_results`
puts them into the hosts afterwards, in the main thread, and saves their raw answers as
evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from scanner.folder import write_json_atomic
from scanner.model import Host, SnmpInfo
from scanner.secrets import shown_community
from scanner.snmp.v3 import V3User
from scanner.textsafe import bounded


def mdns_names(local_ip: str | None, ips: set[str]) -> dict[str, tuple[str, ...]] | str:
    """ip -> mDNS names and service types, or the reason mDNS could not be asked."""
    from scanner.mdns import browse

    try:
        return browse(local_ip, only=ips)
    except OSError as exc:
        return f"mDNS query could not be sent: {bounded(exc, 200)}"


def upnp_gateways(local_ip: str | None, gateway: str | None) -> dict[str, str] | str:
    """ip -> SSDP server string of each UPnP IGD, or the reason SSDP could not be asked."""
    from scanner.ssdp import find_gateways

    try:
        return find_gateways(local_ip, gateway)
    except OSError as exc:
        return f"SSDP search could not be sent: {bounded(exc, 200)}"


def snmp_answers(ips: list[str], communities: tuple[str, ...],
                 v3_users: tuple[V3User, ...]) -> tuple[dict[str, SnmpInfo | str], dict[str, Any]]:
    """(ip -> SnmpInfo or reason, ip -> write test result) for every live host."""
    from scanner.snmp.query import SnmpOptions, query_system_groups
    from scanner.snmp.write import check_write_access

    answers = query_system_groups(ips, SnmpOptions(communities=communities, v3_users=v3_users))
    answered = {ip: info for ip, info in answers.items() if isinstance(info, SnmpInfo)}
    return answers, check_write_access(answered)


def apply_side_results(hosts: dict[str, Host], results: dict[str, Any], evidence: Path,
                       error: Callable[[str, str], None]) -> None:
    """Merge the side stages' results into ``hosts`` and save their evidence."""
    for ip, names in (results.get("dns") or {}).items():
        if ip in hosts:
            hosts[ip] = replace(hosts[ip], hostnames=tuple(names))
    _apply_mdns(hosts, results.get("mdns"), evidence, error)
    _apply_ssdp(hosts, results.get("ssdp"), evidence, error)
    if "snmp" in results:
        _apply_snmp(hosts, results["snmp"], evidence)


def _apply_mdns(hosts: dict[str, Host], found: Any, evidence: Path,
                error: Callable[[str, str], None]) -> None:
    if isinstance(found, str):
        error("mdns", found)
        return
    if found is None:
        return
    write_json_atomic(evidence / "mdns.json", {ip: list(names) for ip, names in found.items()})
    for ip, names in found.items():
        if ip in hosts:
            hosts[ip] = replace(hosts[ip], mdns_names=names)


def _apply_ssdp(hosts: dict[str, Host], found: Any, evidence: Path,
                error: Callable[[str, str], None]) -> None:
    if isinstance(found, str):
        error("ssdp", found)
        return
    if found is None:
        return
    write_json_atomic(evidence / "ssdp.json", {"internet_gateway_devices": found})
    for ip, host in hosts.items():
        # Every host on the segment heard the search; one that did not answer is no IGD.
        hosts[ip] = replace(host, upnp_igd=ip in found)


def _apply_snmp(hosts: dict[str, Host], result: Any, evidence: Path) -> None:
    answers, writes = result
    record: dict[str, Any] = {}
    for ip, answer in answers.items():
        if isinstance(answer, str):
            record[ip] = {"answered": False, "reason": answer}
            continue
        write = writes.get(ip)
        if write is not None:
            answer = replace(answer, write_test=write.evidence)
        # The site's own community was needed on the wire only: it is never written down.
        answer = replace(answer, community=shown_community(answer.community))
        record[ip] = {"answered": True, "system": dict(vars(answer))}
        if ip in hosts:
            hosts[ip] = replace(hosts[ip], snmp=answer,
                                snmp_writable=write.writable if write else None)
    write_json_atomic(evidence / "snmp.json", record)
