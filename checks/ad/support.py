"""End of support for domain computers, from the directory's operatingSystem fields.

The directory records every joined computer's ``operatingSystem`` and
``operatingSystemVersion`` (``Windows 10 Pro``, ``10.0 (19045)``), also for machines that
were off during the scan; ``checks.lifecycle.windows.windows_support`` judges them against the
bundled lifecycle table, down to the feature update and edition. SRV-001/SRV-002 use
:func:`with_directory` to add these machines to what the network scan saw; AD-037 lists every
enabled computer past its end of support.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from checks.ad.common import STALE_DAYS, days_since
from checks.context import Context
from checks.lifecycle.model import ENDED, SupportVerdict
from checks.lifecycle.table import data_date
from checks.lifecycle.windows import windows_support
from checks.model import Result, Status
from scanner.directory.model import DirComputer
from scanner.model import Host


@dataclass(frozen=True)
class Judged:
    """A directory computer and the lifecycle verdict on what it runs."""

    computer: DirComputer
    verdict: SupportVerdict
    host: Host | None  # the scanned host with the same name, if the scan saw it

    @property
    def line(self) -> str:
        """``FS01 (Windows Server 2012 R2 Standard 6.3 (9600)): support ended on …``."""
        system = " ".join(p for p in (self.computer.operating_system,
                                      self.computer.operating_system_version) if p)
        where = f", at {self.host.ip}" if self.host else ", not seen on the network"
        return f"{self.computer.name} ({system}{where}): {self.verdict.reason.split(': ', 1)[-1]}"


def is_server(computer: DirComputer) -> bool:
    """A server by its operating system's name (domain controllers included)."""
    return "server" in computer.operating_system.casefold() or computer.is_dc


def _scanned(ctx: Context, computer: DirComputer) -> Host | None:
    wanted = computer.name.casefold()
    for host in ctx.hosts:
        names = {n.split(".")[0].casefold() for n in host.hostnames}
        if host.netbios_name:
            names.add(host.netbios_name.casefold())
        if wanted in names:
            return host
    return None


def judge(ctx: Context, computers: Iterable[DirComputer], day: datetime.date) -> list[Judged]:
    """Lifecycle verdicts for the Windows computers among ``computers``."""
    return [Judged(c, windows_support(c.operating_system, c.operating_system_version, day),
                   _scanned(ctx, c))
            for c in computers if "windows" in c.operating_system.casefold()]


def active(ctx: Context, servers: bool) -> list[DirComputer]:
    """Enabled computers of one role that logged on within the stale window (in use)."""
    if ctx.directory is None or not ctx.directory.ok:
        return []
    return [c for c in ctx.directory.computers if c.enabled and is_server(c) == servers
            and c.last_logon is not None
            and (days_since(c.last_logon, ctx.now) or 0) <= STALE_DAYS]


def with_directory(ctx: Context, network: Iterable[Result], *, servers: bool, noun: str,
                   day: datetime.date) -> Iterator[Result]:
    """The network's results, completed with the directory's computers of one role.

    A directory computer the scan saw (same name) gets a per-host result unless the network
    already judged that host; the others are named in one site-wide result, which replaces
    the network's site-wide UNKNOWN / NOT_APPLICABLE / PASS when the directory has a verdict.
    """
    network = list(network)
    judged = [j for j in judge(ctx, active(ctx, servers), day) if j.verdict.status != "unknown"]
    if not judged:
        yield from network
        return
    by_ip = {j.host.ip: j for j in judged if j.host is not None}
    # The directory replaces the network's "could not judge" for a host it knows.
    kept = [r for r in network if r.ip and not (r.status is Status.UNKNOWN and r.ip in by_ip)]
    yield from kept
    judged_ips = {r.ip for r in kept}
    for ip, item in by_ip.items():
        if ip not in judged_ips and item.verdict.status == ENDED:
            yield Result(Status.FAIL, f"{item.computer.name} runs "
                         f"{item.computer.operating_system}: its support ended on "
                         f"{item.verdict.eol}.", ip=ip,
                         evidence=(f"directory: {item.line}", _source(day)))
    unseen = [j for j in judged if j.host is None]
    ended = [j for j in unseen if j.verdict.status == ENDED]
    if ended:
        yield Result(Status.FAIL, f"{len(ended)} {noun}s in the directory, not seen on the "
                     "network, run a system past its end of support.",
                     evidence=(*(f"directory: {j.line}" for j in ended), _source(day)))
        return
    failed_hosts = any(r.status is Status.FAIL for r in kept) or any(
        j.verdict.status == ENDED for j in by_ip.values() if j.host and j.host.ip not in
        judged_ips)
    if not failed_hosts:
        scanned = [line for r in network if not r.ip and r.status is Status.PASS
                   for line in r.evidence]
        yield Result(Status.PASS, f"Every {noun} that could be judged is under support "
                     f"({len(judged)} in the directory).",
                     evidence=(*scanned, *(f"directory: {j.line}" for j in judged))[:30])


def _source(day: datetime.date) -> str:
    return (f"judged on {day.isoformat()} from the lifecycle table of {data_date()} "
            "(endoflife.date, MIT licence)")


def directory_computers_support(ctx: Context, failing: str, noun: str) -> Iterator[Result]:
    """AD-037/AD-038: every enabled directory computer whose verdict is ``failing``."""
    assert ctx.directory is not None
    day = ctx.now.date()
    computers = [c for c in ctx.directory.computers if c.enabled]
    judged = judge(ctx, computers, day)
    known = [j for j in judged if j.verdict.status != "unknown"]
    if not known:
        yield Result(Status.UNKNOWN, "No computer's Windows release could be judged.",
                     reason="no enabled computer account records a Windows release and build "
                            "(operatingSystem/operatingSystemVersion)")
        return
    hits = [j for j in known if j.verdict.status == failing]
    not_windows = [c.name for c in computers if "windows" not in c.operating_system.casefold()]
    unjudged = [j.computer.name for j in judged if j.verdict.status == "unknown"]
    tail = tuple(x for x in (
        f"not Windows (not judged here): {', '.join(not_windows)}" if not_windows else "",
        f"release not placed: {', '.join(unjudged)}" if unjudged else "",
        _source(day)) if x)
    if hits:
        stale = {j.computer.name for j in hits if (days_since(j.computer.last_logon, ctx.now)
                                                   or 0) > STALE_DAYS}
        yield Result(Status.FAIL, f"{len(hits)} domain computers {noun}.",
                     evidence=(*(j.line + (" — stale account" if j.computer.name in stale
                                           else "") for j in hits), *tail))
    else:
        yield Result(Status.PASS, f"No domain computer {noun.replace('run', 'runs', 1)} "
                     f"({len(known)} judged).", evidence=tail)
