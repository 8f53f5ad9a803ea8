"""Open doors: services that answer without a password (SEC-015 … SEC-032, PWR-007, AV-005).

The scanner's read-only probes (:mod:`scanner.probes`) record what answered as
``Host.exposures`` and which kinds they looked at as ``Host.doors_probed``; the checks here
judge them. :func:`exposure_results` is the one loop they share: a FAIL per host (or per
share/module/export with ``per_resource``), PASS when the probe ran and found nothing, UNKNOWN
when the port was open but the probe did not run, NOT_APPLICABLE when no host offers the
service.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from checks.common import host_label
from checks.context import Context
from checks.model import Result, Status
from scanner.model import Exposure, Host

BACKUP_CLASSES = ("nas", "backup_appliance")
# Share and module names that say "backups" or "someone's files" (lower case, matched as words
# or name prefixes): Windows/Samba and NAS vendor defaults and the usual office names.
BACKUP_NAMES = ("backup", "backups", "bak", "veeam", "acronis", "timemachine", "time machine",
                "snapshot", "snapshots", "archive", "db-backup", "dump", "dumps")
USER_DATA_NAMES = ("home", "homes", "users", "user", "profiles", "documents", "docs", "scans",
                   "scan", "private", "personal", "hr", "finance", "accounts", "payroll",
                   "public", "shared", "data", "office")


def _words(name: str) -> list[str]:
    text = name.lower().replace("_", "-").replace(" ", "-")
    return [text, *text.split("-")]


def looks_like_backup(name: str) -> bool:
    """Whether a share or module name says it holds backups."""
    return any(word in BACKUP_NAMES for word in _words(name))


def looks_like_user_data(name: str) -> bool:
    """Whether a share name says it holds people's or the business's files."""
    return any(word in USER_DATA_NAMES for word in _words(name))


def is_backup_target(host: Host) -> bool:
    """A NAS or a backup appliance (BAK-004's hosts). An open rsync port alone is only a weak
    backup-target signal (0.3): such a host's modules are judged here, by name."""
    return host.device_class in BACKUP_CLASSES or any(
        s.kind in ("backup_target", "backup_appliance") and s.confidence >= 0.5
        for s in host.signals)


def exposure_line(host: Host, exposure: Exposure) -> str:
    """One evidence line: where, what, and how it was decided."""
    where = f"{host.ip} {exposure.port}/{exposure.protocol}"
    what = f" {exposure.name!r}" if exposure.name else ""
    detail = f" — {exposure.detail}" if exposure.detail else ""
    return f"{where}{what} {exposure.access}{detail} ({exposure.how})"


def exposure_results(ctx: Context, kinds: Iterable[str], ports: Iterable[int],
                     message: Callable[[Host, Exposure], str], pass_message: str,
                     absent: str, keep: Callable[[Host, Exposure], bool] = lambda h, e: True,
                     per_resource: bool = False, protocol: str = "tcp") -> Iterator[Result]:
    """The results of one open-door check (see the module docstring)."""
    kinds, ports = set(kinds), set(ports)
    candidates = [h for h in ctx.hosts
                  if kinds & set(h.doors_probed) or h.open_ports(protocol) & ports]
    if not candidates:
        yield Result(Status.NOT_APPLICABLE, "Nothing on the network to check.", reason=absent)
        return
    looked = [h for h in candidates if kinds & set(h.doors_probed)]
    for host in candidates:
        if host not in looked:
            yield Result(Status.UNKNOWN, f"{host_label(host)} offers the service, but it was "
                         "not probed.", ip=host.ip, reason="the read-only probe did not run "
                         "(scan from an older version, or the probe failed: see the scan notes)")
    failed = False
    for host in looked:
        found = [e for e in host.exposures if e.kind in kinds and keep(host, e)]
        if not found:
            continue
        failed = True
        groups = [[e] for e in found] if per_resource else [found]
        for group in groups:
            yield Result(Status.FAIL, message(host, group[0]), ip=host.ip,
                         evidence=tuple(exposure_line(host, e) for e in group),
                         resource=group[0].name if per_resource else "")
    if looked and not failed:
        yield Result(Status.PASS, pass_message,
                     evidence=tuple(f"checked {host_label(h)}" for h in looked[:20]))
