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


def fail_where_known(candidates: Iterable[Host], known: Callable[[Host], bool],
                     failing: Callable[[Host], bool], message: Callable[[Host], str],
                     evidence: Callable[[Host], Iterable[str]], pass_message: str,
                     unknown_reason: str, absent_reason: str) -> Iterator[Result]:
    """FAIL per failing host among those the scan could look at; PASS, UNKNOWN or N/A otherwise.

    ``candidates`` are the hosts the check is about; ``known`` says whether the scan gathered
    what the check needs on a host. No candidates: NOT_APPLICABLE (``absent_reason``); no
    candidate with data: UNKNOWN (``unknown_reason``) — never a pass.
    """
    hosts = list(candidates)
    if not hosts:
        yield Result(Status.NOT_APPLICABLE, "Nothing on the network to check.",
                     reason=absent_reason)
        return
    looked = [h for h in hosts if known(h)]
    if not looked:
        yield Result(Status.UNKNOWN, "This could not be checked.", reason=unknown_reason)
        return
    failed = False
    for host in looked:
        if failing(host):
            failed = True
            yield Result(Status.FAIL, message(host), ip=host.ip, evidence=tuple(evidence(host)))
    if not failed:
        skipped = len(hosts) - len(looked)
        note = f" ({skipped} more could not be checked)" if skipped else ""
        yield Result(Status.PASS, pass_message + note,
                     evidence=tuple(f"checked {host_label(h)}" for h in looked[:20]))


def interview_missing(ctx: Context, key: str) -> Result | None:
    """UNKNOWN when the interview did not ask ``key``; None when it was answered or unknown."""
    if key in ctx.interview:
        return None
    return Result(Status.UNKNOWN, "The on-site interview did not cover this.",
                  reason=f"interview question '{key}' was not asked")


def identity_evidence(host: Host, limit: int = 4) -> tuple[str, ...]:
    """Why ``host`` was called what it is: class and confidence, the votes for that class, any
    conflict, or the reason it stayed unknown (from the identification's evidence lines)."""
    lines = [f"identified as {host.device_class} (confidence {host.confidence:.2f})"]
    reasons = [line for line in host.evidence
               if line.startswith(("unknown:", "conflict:"))
               or line.endswith(f"→ {host.device_class}")]
    if not any("→" in line for line in host.evidence):  # an inventory from before 1.3
        reasons = list(host.evidence)
    return tuple(lines + reasons[:limit])
