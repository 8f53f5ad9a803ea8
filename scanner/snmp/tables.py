"""The deeper SNMP collection: hardware identity, software, UPS and printer state of one agent.

After the system group answered, :func:`collect_details` asks the agent, concurrently and within
one :class:`~scanner.snmp.session.AgentSession` budget:

* the scalar groups of ``data/snmp_oids.json`` whose ``when`` fits the agent (vendor model
  OIDs, UPS-MIB, APC PowerNet, Printer-MIB general, HOST-RESOURCES device 1);
* the ENTITY-MIB chassis entry (found by walking entPhysicalClass);
* HOST-RESOURCES running and installed software names (bounded lists);
* the Printer-MIB marker supplies (only read further when descriptions come back);
* then, with the budget left and only if no request went unanswered, the standard-MIB
  identification facts of :mod:`scanner.snmp.facts` (sysServices, ifType, BRIDGE/LLDP/IP-MIB,
  HOST-RESOURCES devices and storage, MIBs present, vendor subtrees).

Whatever answered before the time limit is kept; what did not is written to ``detail_errors``.
Nothing here raises: a collector that fails leaves a note instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass, field, replace
from typing import Any

from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    SnmpEngine,
    UdpTransportTarget,
    UsmUserData,
)

from scanner.model import SnmpInfo
from scanner.snmp import facts
from scanner.snmp.parse import (
    by_index,
    chassis_index,
    clean_value,
    group_applies,
    oid_table,
    printer_model,
    serial_number,
    software_names,
    supply_levels,
    ups_fields,
)
from scanner.snmp.session import AgentSession
from scanner.textsafe import bounded


@dataclass
class Found:
    """What the collectors found so far; filled as answers arrive, so a timeout keeps it."""

    identity: dict[str, str] = field(default_factory=dict)
    status: dict[str, Any] = field(default_factory=dict)
    supplies: dict[str, int | None] = field(default_factory=dict)
    running: tuple[str, ...] = ()
    installed: tuple[str, ...] = ()


async def _scalar_group(session: AgentSession, group: dict[str, Any], found: Found) -> None:
    identity, status = group.get("identity", {}), group.get("status", {})
    answers = await session.get([*identity.values(), *status.values()], group["source"])
    for key, oid in identity.items():
        text = clean_value(answers.get(oid))
        if text:
            found.identity[key] = text
    for key, oid in status.items():
        if oid in answers:
            found.status[key] = answers[oid]


async def _entity(session: AgentSession, found: Found) -> None:
    entity = oid_table()["entity"]
    rows = await session.walk(entity["class_column"], entity["max_rows"], entity["source"])
    index = chassis_index(rows, entity["chassis_class"])
    columns = {key: f"{column}.{index}" for key, column in entity["columns"].items()}
    answers = await session.get(list(columns.values()), entity["source"])
    for key, oid in columns.items():
        text = clean_value(answers.get(oid))
        if text:
            found.identity[key] = text


async def _software(session: AgentSession, found: Found, kind: str) -> None:
    software = oid_table()["software"]
    rows = await session.walk(software[kind], software["max_rows"],
                              f"{software['source']} {kind} software")
    names = software_names(rows, software["max_name_length"])
    if kind == "running":
        found.running = names
    else:
        found.installed = names


async def _supplies(session: AgentSession, found: Found) -> None:
    table = oid_table()["supplies"]
    descriptions = await session.walk(table["description"], table["max_rows"], table["source"])
    if not descriptions:
        return
    capacities, levels = await asyncio.gather(
        session.walk(table["max_capacity"], table["max_rows"], table["source"]),
        session.walk(table["level"], table["max_rows"], table["source"]))
    found.supplies = supply_levels(by_index(descriptions, table["description"]),
                                   by_index(capacities, table["max_capacity"]),
                                   by_index(levels, table["level"]))


async def _mib_facts(session: AgentSession, found: Found) -> None:
    """The standard-MIB identification facts (:mod:`scanner.snmp.facts`), bounded."""
    source = "identification facts"
    scalars = await session.get(list(facts.SCALARS), source)
    tables = await asyncio.gather(*(session.walk(column, rows, source)
                                    for column, rows in facts.COLUMNS.items()))
    columns = dict(zip(facts.COLUMNS, tables, strict=True))
    probes = await asyncio.gather(*(session.walk(root, 1, source)
                                    for root in facts.PRESENCE.values()))
    present = [name for name, rows in zip(facts.PRESENCE, probes, strict=True) if rows]
    enterprises: list[int] = []
    start = ""
    for _hop in range(facts.MAX_ENTERPRISES):  # one GETNEXT per vendor subtree, bounded
        row = await session.walk(facts.ENTERPRISES, 1, source, start=start)
        found_numbers = facts.enterprise_numbers(oid for oid, _value in row)
        if not found_numbers:
            break
        enterprises.append(found_numbers[0])
        start = f"{facts.ENTERPRISES}.{found_numbers[0] + 1}"
    found.identity.update(facts.mib_facts(scalars, columns, present, enterprises))


async def _guarded(session: AgentSession, name: str, work: Awaitable[None]) -> None:
    try:
        await work
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # one odd answer must not cost the rest of the host's data
        session.note(f"{name} failed: {bounded(exc, 150)}")


def _collectors(session: AgentSession, info: SnmpInfo, found: Found) -> list[Awaitable[None]]:
    groups = [group for group in oid_table()["scalar_groups"]
              if group_applies(group, info.sys_object_id, info.sys_descr)]
    work: list[tuple[str, Awaitable[None]]] = [
        *((group["name"], _scalar_group(session, group, found)) for group in groups),
        ("ENTITY-MIB", _entity(session, found)),
        ("Printer-MIB supplies", _supplies(session, found)),
        ("running software", _software(session, found, "running")),
        ("installed software", _software(session, found, "installed")),
    ]
    return [_guarded(session, name, job) for name, job in work]


def apply_found(info: SnmpInfo, found: Found, notes: list[str]) -> SnmpInfo:
    """``info`` with what was found (live or read from a walk file) filled in."""
    identity = dict(found.identity)
    answered_printer_mib = bool(found.supplies or identity.get("printer.name")
                                or identity.get("printer.serial"))
    model = printer_model(found.status, answered_printer_mib)
    if model:
        identity["printer.model"] = model
    return replace(
        info, identity=identity, serial_number=serial_number(identity),
        installed_software=found.installed, running_software=found.running,
        printer_supplies=dict(found.supplies), detail_errors=tuple(notes),
        **ups_fields(found.status))


async def collect_details(engine: SnmpEngine, auth: CommunityData | UsmUserData,
                          target: UdpTransportTarget,
                          info: SnmpInfo, seconds: float, max_varbinds: int) -> SnmpInfo:
    """``info`` with the deeper fields filled from what the agent answered within the budget."""
    loop = asyncio.get_running_loop()
    session = AgentSession(engine, auth, target, deadline=loop.time() + seconds,
                           varbinds_left=max_varbinds)
    found = Found()
    try:
        async with asyncio.timeout(seconds):
            await asyncio.gather(*_collectors(session, info, found))
            # The identification facts use what budget is left, after the fields above, and
            # only from an agent that answered everything so far (one that drops requests
            # is asked no more).
            if not session.timeouts:
                await _guarded(session, "identification facts", _mib_facts(session, found))
    except TimeoutError:
        session.note(f"deeper SNMP collection stopped after {seconds:g} s")
    return apply_found(info, found, session.notes)
