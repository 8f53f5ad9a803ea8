"""Result helpers shared by checks, so no check repeats the per-host loop."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from checks.context import Context
from checks.model import Result, Status
from scanner.model import Host


def host_label(host: Host) -> str:
    """``name (ip)`` or just the IP: how a result names a host."""
    name = host.display_name
    return f"{name} ({host.ip})" if name != host.ip else host.ip


def fail_each(hosts: Iterable[Host], message: Callable[[Host], str],
              evidence: Callable[[Host], Iterable[str]], pass_message: str) -> Iterator[Result]:
    """One FAIL per host in ``hosts``; a single site-wide PASS when there is none."""
    failed = False
    for host in hosts:
        failed = True
        yield Result(Status.FAIL, message(host), ip=host.ip, evidence=tuple(evidence(host)))
    if not failed:
        yield Result(Status.PASS, pass_message)


def port_evidence(host: Host, port: int, protocol: str = "tcp") -> list[str]:
    """What nmap saw on one port, as an evidence line."""
    service = host.service(port, protocol)
    if service is None:
        return []
    what = " ".join(p for p in (service.product, service.version) if p) or service.name
    return [f"{host.ip} {port}/{protocol} open: {what}"]


def scan_saw_nothing(ctx: Context) -> Result | None:
    """UNKNOWN when the inventory has no hosts at all: absence of evidence is not evidence."""
    if not ctx.hosts:
        return Result(Status.UNKNOWN, "No devices were found, so this could not be assessed.",
                      reason="the scan found no live hosts")
    return None
