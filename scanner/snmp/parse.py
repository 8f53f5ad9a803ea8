"""Reading SNMP answers: pure functions from raw values to the fields of :class:`SnmpInfo`.

Nothing here talks to the network, so every rule can be unit-tested with plain values. The OIDs
and the meaning of enumerated values come from ``scanner/snmp/data/snmp_oids.json``.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from typing import Any

from scanner.textsafe import bounded_name

_QUOTES = "\"'\\ \t"


@functools.lru_cache(maxsize=1)
def oid_table() -> dict[str, Any]:
    """The SNMP collection table, loaded once."""
    text = resources.files("scanner.snmp").joinpath("data/snmp_oids.json").read_text("utf-8")
    return json.loads(text)


@functools.lru_cache(maxsize=1)
def identity_oids() -> dict[str, str]:
    """Identity key -> the OID (or table column) it is read from, for evidence lines."""
    table = oid_table()
    found = {key: oid for group in table["scalar_groups"]
             for key, oid in group.get("identity", {}).items()}
    found.update(table["entity"]["columns"])
    found["printer.model"] = "1.3.6.1.2.1.25.3.2.1.3.1"
    return found


def text_of(value: object) -> str:
    """An SNMP value as one bounded line; OctetStrings are decoded, never hex-printed."""
    if value is None:
        return ""
    as_octets = getattr(value, "asOctets", None)
    if as_octets is not None:  # OctetString: prettyPrint() would give hex for binary values
        return bounded_name(as_octets())
    if isinstance(value, (bytes, str)):
        return bounded_name(value)
    pretty = getattr(value, "prettyPrint", None)  # bytes(Integer(3)) would be three NULs
    return bounded_name(pretty() if pretty else value)


def clean_value(value: object) -> str:
    """Text worth keeping: stray quotes and backslashes trimmed, placeholders dropped."""
    text = text_of(value).strip(_QUOTES)
    ignored = {item.lower() for item in oid_table()["ignore_values"]}
    return "" if text.lower() in ignored else text


def as_int(value: object) -> int | None:
    """An INTEGER, Gauge or TimeTicks as int; None for anything that is not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)  # type: ignore[call-overload]
    except OverflowError:  # infinity: not a number an agent can mean
        return None
    except (TypeError, ValueError):
        text = text_of(value)
        return int(text) if re.fullmatch(r"-?\d{1,12}", text) else None


def group_applies(group: Mapping[str, Any], sys_object_id: str, sys_descr: str) -> bool:
    """Whether a scalar group is worth asking this agent (no ``when``: always)."""
    when = group.get("when")
    if not when:
        return True
    oid = sys_object_id.strip(".")
    if any(oid == prefix or oid.startswith(prefix + ".")
           for prefix in when.get("sys_object_id", ())):
        return True
    pattern = when.get("sys_descr")
    return bool(pattern and re.search(pattern, sys_descr))


def chassis_index(class_rows: Sequence[tuple[str, object]], chassis_class: int) -> str:
    """The entPhysicalIndex of the first chassis; else the first entity; else "1"."""
    for oid, value in class_rows:
        if as_int(value) == chassis_class:
            return oid.rsplit(".", 1)[-1]
    return class_rows[0][0].rsplit(".", 1)[-1] if class_rows else "1"


def ups_fields(status: Mapping[str, object]) -> dict[str, Any]:
    """The ``ups_*`` fields of SnmpInfo from raw UPS-MIB / PowerNet answers (absent: omitted)."""
    found: dict[str, Any] = {}
    for name, candidates in oid_table()["ups_fields"].items():
        for candidate in candidates:
            number = as_int(status.get(candidate["key"]))
            if number is None:
                continue
            if "map" in candidate:
                label = candidate["map"].get(str(number))
                if label is None:
                    continue
                found[f"ups_{name}"] = label
            else:
                found[f"ups_{name}"] = number // candidate.get("divide", 1)
            break
    return found


def supply_percent(level: int | None, capacity: int | None) -> int | None:
    """Percent left of one marker supply (RFC 3805: -1 other, -2 unknown, -3 some left)."""
    if level is None or level < 0:
        return None
    if level == 0:
        return 0
    if capacity is None or capacity <= 0:
        return None
    return max(0, min(100, round(100 * level / capacity)))


def by_index(rows: Iterable[tuple[str, object]], column: str) -> dict[str, object]:
    """Row index (the OID after ``column``) -> value, for joining the columns of one table."""
    prefix = column.strip(".") + "."
    return {oid[len(prefix):]: value for oid, value in rows if oid.startswith(prefix)}


def supply_levels(descriptions: Mapping[str, object], capacities: Mapping[str, object],
                  levels: Mapping[str, object]) -> dict[str, int | None]:
    """Supply description -> percent left (None: the printer does not say), joined by index."""
    supplies: dict[str, int | None] = {}
    for index, value in descriptions.items():
        name = text_of(value) or f"supply {index}"
        if name in supplies:
            name = f"{name} ({index})"
        supplies[name] = supply_percent(as_int(levels.get(index)),
                                        as_int(capacities.get(index)))
    return supplies


def software_names(rows: Iterable[tuple[str, object]], max_length: int) -> tuple[str, ...]:
    """Distinct, sorted software or process names, each bounded."""
    names = {clean_value(value)[:max_length] for _oid, value in rows}
    return tuple(sorted(name for name in names if name))


def serial_number(identity: Mapping[str, str]) -> str:
    """The serial number, from the most specific source that gave one."""
    return next((identity[key] for key in oid_table()["serial_keys"] if identity.get(key)), "")


def printer_model(status: Mapping[str, object], printer_mib_answered: bool) -> str:
    """hrDeviceDescr of device 1 when it is a printer and the Printer-MIB answered too.

    Windows lists its print queues ("Microsoft Print To PDF") as printer devices but has no
    Printer-MIB, so the device table alone would make every print server a printer.
    """
    device_type = text_of(status.get("host.device_type_1")).strip(".")
    if not printer_mib_answered or device_type != oid_table()["printer_device_type"]:
        return ""
    return clean_value(status.get("host.device_descr_1"))
