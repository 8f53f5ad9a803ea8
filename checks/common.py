"""Result helpers shared by checks, so no check repeats the per-host loop.

:func:`account_for_gaps` is applied to every check's results by the runner
(:func:`checks.assess.run_checks`): a conclusion drawn from a scan stage that did not complete
for a host becomes UNKNOWN for that host, with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from checks.context import Context, stages_read
from checks.model import Result, Status
from scanner.model import STAGES, Host

# Past this many hosts with a gap, one site-wide UNKNOWN lists them instead of one per host.
MAX_HOST_UNKNOWNS = 20
MAX_LISTED = 40


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


def _gap_line(host: Host, stages: set[str]) -> str:
    gaps = [gap for gap in host.incomplete if gap.stage in stages]
    return f"{host_label(host)}: " + "; ".join(
        f"{STAGES.get(gap.stage, gap.stage)} did not complete ({gap.reason})" for gap in gaps)


def account_for_gaps(results: list[Result], reads: set[tuple[str, str]],
                     hosts: Iterable[Host]) -> list[Result]:
    """A check's results, with what it could not see on incompletely scanned hosts said.

    ``reads`` are the (ip, field) pairs the check read (:func:`checks.context.reading`). Where
    a host it read lacks a stage those fields come from (``Host.incomplete``): a PASS or
    NOT_APPLICABLE about that host, or about the whole site, becomes UNKNOWN with the reason,
    and the host gets its own UNKNOWN unless the check found a problem on it. FAILs stand: a
    problem seen is seen.
    """
    needed = stages_read(reads)
    gaps = [(host, needed[host.ip]) for host in hosts
            if host.ip in needed and any(g.stage in needed[host.ip] for g in host.incomplete)]
    if not gaps:
        return results
    gap_ips = {host.ip for host, _stages in gaps}
    stage_names = sorted({g.stage for host, stages in gaps for g in host.incomplete
                          if g.stage in stages})
    reason = (f"{' and '.join(STAGES.get(s, s) for s in stage_names)} did not complete for "
              f"{len(gaps)} device{'s' if len(gaps) != 1 else ''}: "
              f"{_gap_line(gaps[0][0], gaps[0][1])}")[:400]
    lines = [_gap_line(host, stages) for host, stages in gaps[:MAX_LISTED]]
    if len(gaps) > MAX_LISTED:
        lines.append(f"and {len(gaps) - MAX_LISTED} more")
    out: list[Result] = []
    answered: set[str] = set()
    site_unknown = False
    for result in results:
        concluded = result.status in (Status.PASS, Status.NOT_APPLICABLE)
        if concluded and result.ip is None:
            site_unknown = True
            result = Result(Status.UNKNOWN, f"Not concluded: {len(gaps)} device"
                            f"{'s were' if len(gaps) != 1 else ' was'} not fully scanned. "
                            f"On the rest: {result.message}", evidence=tuple(
                                [*result.evidence[:20], *lines]), reason=reason)
        elif concluded and result.ip in gap_ips:
            result = Result(Status.UNKNOWN, "This device was not fully scanned.", ip=result.ip,
                            evidence=result.evidence, reason=reason)
        if result.ip:
            answered.add(result.ip)
        out.append(result)
    if len(gaps) > MAX_HOST_UNKNOWNS:
        if not site_unknown:
            out.append(Result(Status.UNKNOWN, f"{len(gaps)} devices were not fully scanned, so "
                              "this could not be checked on them.", evidence=tuple(lines),
                              reason=reason))
        return out
    for host, stages in gaps:
        if host.ip not in answered:
            out.append(Result(Status.UNKNOWN, "This device was not fully scanned, so this "
                              "could not be checked on it.", ip=host.ip,
                              reason=_gap_line(host, stages)[:400]))
    return out
