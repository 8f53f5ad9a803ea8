"""Bounded SNMP requests to one agent: every request counts against a time and varbind budget.

The deeper collection (:mod:`scanner.snmp.tables`) asks an agent dozens of questions. Real
agents answer some of them slowly, wrongly or not at all, so an :class:`AgentSession` refuses to
send once the host's deadline has passed, its varbind allowance is spent or the agent has timed
out :data:`MAX_TIMEOUTS` times, and it notes each reason once for the inventory. Walks stop at
the end of their subtree, at their row limit and at the first OID that does not increase.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    UdpTransportTarget,
    UsmUserData,
    bulk_cmd,
    get_cmd,
    next_cmd,
)
from pysnmp.proto import errind

from scanner.textsafe import bounded

MAX_TIMEOUTS = 3  # after this many unanswered requests the agent is left alone
MAX_REPETITIONS = 25  # rows asked for per GETBULK
IN_FLIGHT = 4  # requests to one agent at the same time; small agents drop bursts
_NO_VALUE = frozenset({"NoSuchObject", "NoSuchInstance", "EndOfMibView", "Null"})


def has_value(value: object) -> bool:
    """False for the SNMPv2 exceptions (noSuchObject, noSuchInstance, endOfMibView) and Null."""
    return value is not None and value.__class__.__name__ not in _NO_VALUE


def oid_key(oid: str) -> tuple[int, ...]:
    """An OID as numbers, so OIDs compare in SNMP order ("1.10" after "1.9")."""
    try:
        return tuple(int(part) for part in oid.strip(".").split("."))
    except ValueError:
        return ()


@dataclass
class AgentSession:
    """One agent, one community, one budget. Not shared between hosts."""

    engine: SnmpEngine
    auth: CommunityData | UsmUserData
    target: UdpTransportTarget
    deadline: float  # event-loop time after which nothing more is sent
    varbinds_left: int
    notes: list[str] = field(default_factory=list)
    timeouts: int = 0
    _slots: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(IN_FLIGHT))

    def note(self, message: str) -> None:
        """Remember why something was not collected (each reason once)."""
        message = bounded(message, 200)
        if message not in self.notes:
            self.notes.append(message)

    def may_send(self) -> bool:
        """True while the time, varbind and timeout budgets all allow one more request."""
        if asyncio.get_running_loop().time() >= self.deadline:
            self.note("time limit for the deeper SNMP collection reached")
            return False
        if self.varbinds_left <= 0:
            self.note("varbind limit for the deeper SNMP collection reached")
            return False
        if self.timeouts >= MAX_TIMEOUTS:
            self.note(f"agent left alone after {MAX_TIMEOUTS} unanswered requests")
            return False
        return True

    def _failed(self, what: str, error_indication: Any, error_status: Any) -> None:
        if isinstance(error_indication, errind.RequestTimedOut):
            self.timeouts += 1
            self.note(f"{what}: no response before timeout")
        elif error_indication:
            self.note(f"{what}: {error_indication}")
        else:
            pretty = getattr(error_status, "prettyPrint", None)
            self.note(f"{what}: agent answered {pretty() if pretty else error_status}")

    async def get(self, oids: Sequence[str], what: str) -> dict[str, Any]:
        """OID -> value for the OIDs the agent has; missing ones are left out."""
        async with self._slots:
            if not oids or not self.may_send():
                return {}
            asked = list(oids)[: self.varbinds_left]
            error_indication, error_status, _index, var_binds = await get_cmd(
                self.engine, self.auth, self.target, ContextData(),
                *(ObjectType(ObjectIdentity(oid)) for oid in asked), lookupMib=False)
        if error_indication or error_status:
            self._failed(what, error_indication, error_status)
            return {}
        self.varbinds_left -= len(var_binds)
        return {str(name): value for name, value in var_binds if has_value(value)}

    async def walk(self, root: str, max_rows: int, what: str,
                   start: str = "") -> list[tuple[str, Any]]:
        """(OID, value) rows under ``root``, at most ``max_rows``, in the agent's order.

        ``start`` (an OID under ``root``) begins the walk after that OID instead of at ``root``.
        """
        rows: list[tuple[str, Any]] = []
        prefix = root.strip(".") + "."
        current = start.strip(".") or root.strip(".")
        while len(rows) < max_rows:
            async with self._slots:
                if not self.may_send():
                    break
                repetitions = max(1, min(MAX_REPETITIONS, max_rows - len(rows),
                                         self.varbinds_left))
                if _is_v1(self.auth):  # SNMPv1 has no GETBULK: one GETNEXT per row
                    error_indication, error_status, _index, table = await next_cmd(
                        self.engine, self.auth, self.target, ContextData(),
                        ObjectType(ObjectIdentity(current)), lookupMib=False)
                else:
                    error_indication, error_status, _index, table = await bulk_cmd(
                        self.engine, self.auth, self.target, ContextData(), 0, repetitions,
                        ObjectType(ObjectIdentity(current)), lookupMib=False)
            if error_indication or error_status:
                self._failed(what, error_indication, error_status)
                break
            self.varbinds_left -= len(table)
            current, finished = _take(table, prefix, current, rows, max_rows)
            if finished:
                break
        return rows


def _is_v1(auth: Any) -> bool:
    return getattr(auth, "message_processing_model", 1) == 0


def _take(table: Sequence[Any], prefix: str, current: str, rows: list[tuple[str, Any]],
          max_rows: int) -> tuple[str, bool]:
    """Append the in-subtree rows of one GETBULK answer; (last OID, whether the walk is over)."""
    if not table:
        return current, True
    for name, value in table:
        oid = str(name)
        if (not oid.startswith(prefix) or not has_value(value)
                or oid_key(oid) <= oid_key(current)):
            return current, True
        rows.append((oid, value))
        current = oid
        if len(rows) >= max_rows:
            return current, True
    return current, False
