"""An :class:`SnmpInfo` from a walk file, read the way the live collection reads an agent.

The live collection (:mod:`scanner.snmp.query`, :mod:`scanner.snmp.tables`) asks an agent for
the system group, the scalar groups of ``data/snmp_oids.json``, ENTITY-MIB, software, printer
supplies and the identification facts; here the same OIDs are looked up in a walk a client sent,
and the same parse functions fill the same fields, so a walk identifies exactly like a scan.
"""

from __future__ import annotations

from collections.abc import Mapping

from scanner.model import SnmpInfo
from scanner.snmp import facts
from scanner.snmp.parse import (
    as_int,
    by_index,
    chassis_index,
    clean_value,
    group_applies,
    oid_table,
    software_names,
    supply_levels,
    text_of,
)
from scanner.snmp.tables import Found, apply_found
from scanner.textsafe import bounded, bounded_name

_SYSTEM = "1.3.6.1.2.1.1."


def _rows(by_prefix: dict[str, list[tuple[str, object]]], root: str,
          limit: int) -> list[tuple[str, object]]:
    return by_prefix.get(root, [])[:limit]


def _columns(walk: Mapping[str, object], roots: list[str]) -> dict[str, list[tuple[str, object]]]:
    """Root -> its rows in the walk, in one pass over the walk."""
    found: dict[str, list[tuple[str, object]]] = {root: [] for root in roots}
    prefixes = [(root + ".", root) for root in roots]
    for oid, value in walk.items():
        for prefix, root in prefixes:
            if oid.startswith(prefix):
                found[root].append((oid, value))
    return found


def snmp_info_from_walk(walk: Mapping[str, object], community: str = "") -> SnmpInfo:
    """What a scan would have recorded for the agent this walk came from."""
    def system(index: int) -> object:
        return walk.get(f"{_SYSTEM}{index}.0")

    info = SnmpInfo(
        version="walk", community=community, default_community=False,
        sys_descr=bounded(text_of(system(1)) if isinstance(system(1), bytes) else system(1)),
        sys_object_id=text_of(system(2)).strip("."), sys_uptime=as_int(system(3)),
        sys_contact=bounded_name(system(4)), sys_name=bounded_name(system(5)),
        sys_location=bounded_name(system(6)))
    table = oid_table()
    entity, software, supplies = table["entity"], table["software"], table["supplies"]
    roots = [entity["class_column"], software["running"], software["installed"],
             supplies["description"], supplies["max_capacity"], supplies["level"],
             *facts.COLUMNS]
    columns = _columns(walk, roots)
    found = Found()
    for group in table["scalar_groups"]:
        if not group_applies(group, info.sys_object_id, info.sys_descr):
            continue
        for key, oid in group.get("identity", {}).items():
            text = clean_value(walk.get(oid))
            if text:
                found.identity[key] = text
        for key, oid in group.get("status", {}).items():
            if oid in walk:
                found.status[key] = walk[oid]
    index = chassis_index(_rows(columns, entity["class_column"], entity["max_rows"]),
                          entity["chassis_class"])
    for key, column in entity["columns"].items():
        text = clean_value(walk.get(f"{column}.{index}"))
        if text:
            found.identity[key] = text
    for kind in ("running", "installed"):
        names = software_names(_rows(columns, software[kind], software["max_rows"]),
                               software["max_name_length"])
        setattr(found, kind, names)
    if columns[supplies["description"]]:
        found.supplies = supply_levels(
            by_index(_rows(columns, supplies["description"], supplies["max_rows"]),
                     supplies["description"]),
            by_index(columns[supplies["max_capacity"]], supplies["max_capacity"]),
            by_index(columns[supplies["level"]], supplies["level"]))
    present = [name for name, root in facts.PRESENCE.items()
               if any(oid == root or oid.startswith(root + ".") for oid in walk)]
    found.identity.update(facts.mib_facts(
        {oid: walk[oid] for oid in facts.SCALARS if oid in walk},
        {column: columns[column] for column in facts.COLUMNS}, present,
        facts.enterprise_numbers(sorted(walk, key=_oid_key))))
    return apply_found(info, found, [])


def _oid_key(oid: str) -> tuple[int, ...]:
    return tuple(int(part) for part in oid.split(".") if part.isdigit())
