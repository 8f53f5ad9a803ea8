"""What a check sees: the inventory, the directory audit, the interview answers and parameters.

It also knows what the scan did *not* see. :func:`watched` gives a context whose hosts record,
while a check runs inside :func:`reading`, which of their fields the check read on which host;
:func:`checks.common.account_for_gaps` then turns a conclusion drawn from a stage that did not
complete for a host (``Host.incomplete``) into UNKNOWN for that host. One mechanism for every
check: no check has to remember that a stopped sweep looks exactly like a closed port.
:func:`evidence_gap` says when the scan as a whole saw too little to score or decide on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from typing import Any

from scanner.directory.model import Directory
from scanner.model import STAGES, Host, Inventory

# Which scan stages a host field comes from. A check that reads the field on a host where one
# of those stages did not complete is reading an absence it cannot trust.
PORT_STAGES = ("tcp", "services")
FIELD_STAGES: dict[str, tuple[str, ...]] = {
    "services": ("tcp", "services", "udp"),
    **{name: PORT_STAGES for name in (
        "device_class", "manufacturer", "model", "firmware", "os_family", "confidence", "smb",
        "directory", "web", "ups", "signals", "av_status", "answers_every_port",
        "exposures", "doors_probed")},
    "netbios_name": ("udp",),
}

_READS: ContextVar[set[tuple[str, str]] | None] = ContextVar("check_reads", default=None)


class WatchedHost(Host):
    """A host that notes (ip, field) when a check reads a field that a scan stage fills."""

    def __getattribute__(self, name: str) -> Any:
        if name in FIELD_STAGES:
            reads = _READS.get()
            if reads is not None:
                reads.add((object.__getattribute__(self, "ip"), name))
        return object.__getattribute__(self, name)


@contextmanager
def reading() -> Iterator[set[tuple[str, str]]]:
    """Collect the (ip, field) pairs read on watched hosts inside the block."""
    reads: set[tuple[str, str]] = set()
    token = _READS.set(reads)
    try:
        yield reads
    finally:
        _READS.reset(token)


def stages_read(reads: set[tuple[str, str]]) -> dict[str, set[str]]:
    """ip -> the scan stages a check depended on there."""
    found: dict[str, set[str]] = {}
    for ip, name in reads:
        found.setdefault(ip, set()).update(FIELD_STAGES[name])
    return found


@dataclass(frozen=True)
class Context:
    """The read-only input of every check."""

    inventory: Inventory
    interview: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    directory: Directory | None = None  # directory.json, when a directory audit ran

    @property
    def now(self) -> datetime:
        """The evaluation clock of age-based checks: ``params["now"]``, else the audit's time.

        Ages count from when the directory was read, not from when it is assessed, so
        re-assessing an old folder gives the same answer; tests inject ``now``.
        """
        injected = self.params.get("now")
        if isinstance(injected, datetime):
            return injected
        if self.directory is not None:
            return self.directory.collected_at
        return datetime.now(UTC)

    @property
    def hosts(self) -> tuple[Host, ...]:
        """Every host in the inventory."""
        return self.inventory.hosts

    def hosts_with_port(self, port: int, protocol: str = "tcp") -> list[Host]:
        """Hosts where ``port`` is open."""
        return [h for h in self.inventory.hosts if port in h.open_ports(protocol)]

    @property
    def gateway(self) -> Host | None:
        """The default gateway's host record, if the scan saw it."""
        return next((h for h in self.inventory.hosts if h.is_gateway), None)


def watched(context: Context) -> Context:
    """The same context, its hosts noting what checks read (see :func:`reading`)."""
    hosts = tuple(WatchedHost(**{f.name: getattr(h, f.name) for f in fields(h)})
                  for h in context.inventory.hosts)
    return replace(context, inventory=replace(context.inventory, hosts=hosts))


def evidence_gap(inventory: Inventory) -> str:
    """Why the scan saw too little to score or decide on ("" when it saw enough).

    Too little: devices were found but no service on any of them, or the TCP sweep did not
    complete for half the devices or more. The answer names the part that is missing.
    """
    hosts = inventory.hosts
    if not hosts:
        return ""
    unswept = [h for h in hosts if h.missing("tcp")]
    seen = any(s.protocol == "tcp" for h in hosts for s in h.services)
    if seen and 2 * len(unswept) < len(hosts):
        return ""
    if unswept:
        first = unswept[0].missing("tcp")
        why = first.reason if first else ""
        return (f"{STAGES['tcp']} did not complete for {len(unswept)} of {len(hosts)} devices"
                f" ({why})")
    return (f"the scan found {len(hosts)} devices but no open TCP port on any of them "
            "(the port sweep may have been blocked or lost its answers)")
