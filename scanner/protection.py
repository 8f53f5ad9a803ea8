"""Protection signals: backup and antivirus evidence per host, and whether we could tell.

Every rule lives in ``scanner/data/protection.json``: ports where backup and AV products listen,
product names in SNMP software lists, web page titles, and what a device class alone suggests.
Each match becomes a :class:`Signal` carrying its own confidence and the line of evidence.

``av_status`` is honest about what the scan could see: ``protected`` when an AV agent was seen
on the host, ``not_seen`` only when we could look (the host's SNMP software list was readable)
and saw none, and ``unknown`` otherwise, which is the usual case for a PC.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources
from typing import Any

from scanner.model import Host, Signal

MAX_SIGNALS = 30


@functools.lru_cache(maxsize=1)
def protection_table() -> dict[str, Any]:
    """The protection signatures, loaded once, with regular expressions compiled."""
    text = resources.files("scanner").joinpath("data/protection.json").read_text("utf-8")
    table = json.loads(text)
    for section in ("software", "web_titles"):
        for rule in table[section]:
            rule["regex"] = re.compile(rule["pattern"], re.IGNORECASE)
    return table


def _port_signals(host: Host, table: dict[str, Any]) -> list[Signal]:
    open_tcp = host.open_ports("tcp")
    signals = []
    for rule in table["ports"]:
        if set(rule["ports"]) <= open_tcp:
            ports = ", ".join(f"{p}/tcp" for p in rule["ports"])
            signals.append(Signal(rule["kind"], rule["product"], rule["confidence"],
                                  f"{ports} open (where {rule['product']} listens)"))
    return signals


def _software_signals(host: Host, table: dict[str, Any]) -> list[Signal]:
    if host.snmp is None:
        return []
    signals = []
    seen: set[str] = set()
    lists = (("installed software", host.snmp.installed_software),
             ("running process", host.snmp.running_software))
    for label, names in lists:
        for name in names:
            for rule in table["software"]:
                if rule["product"] not in seen and rule["regex"].search(name):
                    seen.add(rule["product"])
                    signals.append(Signal(rule["kind"], rule["product"],
                                          table["software_confidence"],
                                          f"SNMP {label}: {name[:80]!r}"))
    return signals


def _web_signals(host: Host, table: dict[str, Any]) -> list[Signal]:
    signals = []
    for web in host.web:
        for rule in table["web_titles"]:
            if web.title and rule["regex"].search(web.title):
                signals.append(Signal(rule["kind"], rule["product"],
                                      table["web_title_confidence"],
                                      f"{web.scheme}://{host.ip}:{web.port} title "
                                      f"{web.title[:80]!r}"))
                break
    return signals


def _class_signals(host: Host, table: dict[str, Any]) -> list[Signal]:
    rule = table["device_classes"].get(host.device_class)
    if not rule:
        return []
    return [Signal(rule["kind"], rule["product"], rule["confidence"],
                   f"identified as {host.device_class} ({host.confidence:.2f})")]


def signals_for(host: Host) -> tuple[Signal, ...]:
    """Every protection signal the tables find on ``host`` (after classification)."""
    table = protection_table()
    found = [*_software_signals(host, table), *_web_signals(host, table),
             *_port_signals(host, table), *_class_signals(host, table)]
    return tuple(found[:MAX_SIGNALS])


def av_status(host: Host, signals: tuple[Signal, ...]) -> str:
    """"protected", "not_seen" (we could look and saw none) or "unknown" (we could not look)."""
    if any(signal.kind == "av_agent" for signal in signals):
        return "protected"
    if host.snmp is not None and (host.snmp.installed_software or host.snmp.running_software):
        return "not_seen"
    return "unknown"
