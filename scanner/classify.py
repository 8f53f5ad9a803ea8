"""Device identification: device class, manufacturer, model and firmware from the evidence.

Every rule comes from the data table ``scanner/data/signatures.json``. Each matching rule votes
for a class with a weight; the class with the most weight wins, and every vote is kept as a
line of evidence so the consultant can see why a device was called what it was.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

from scanner.model import Host


@dataclass(frozen=True)
class Vote:
    """One piece of evidence pointing at a class (and maybe manufacturer, model …)."""

    weight: float
    why: str
    device_class: str | None = None
    manufacturer: str | None = None
    model: str | None = None
    firmware: str | None = None
    os_family: str | None = None


@functools.lru_cache(maxsize=1)
def signatures() -> dict[str, Any]:
    """The vendor knowledge table, loaded once."""
    text = resources.files("scanner").joinpath("data/signatures.json").read_text("utf-8")
    table = json.loads(text)
    table["sys_object_id"].sort(key=lambda rule: len(rule["prefix"]), reverse=True)
    return table


def _vote(rule: dict[str, Any], why: str, match: re.Match[str] | None = None) -> Vote:
    found = match.groupdict() if match else {}
    return Vote(weight=rule["weight"], why=why, device_class=rule.get("device_class"),
                manufacturer=rule.get("manufacturer"),
                model=(found.get("model") or rule.get("model") or None),
                firmware=(found.get("firmware") or None), os_family=rule.get("os_family"))


def votes_for(host: Host) -> list[Vote]:
    """Every vote the signature table casts for ``host``."""
    table = signatures()
    votes: list[Vote] = []
    if host.snmp and host.snmp.sys_object_id:
        oid = host.snmp.sys_object_id.lstrip(".")
        rule = next((r for r in table["sys_object_id"]
                     if oid == r["prefix"] or oid.startswith(r["prefix"] + ".")), None)
        if rule:
            votes.append(_vote(rule, f"SNMP sysObjectID {oid}"))
    if host.snmp and host.snmp.sys_descr:
        for rule in table["sys_descr"]:
            match = re.search(rule["pattern"], host.snmp.sys_descr)
            if match:
                votes.append(_vote(rule, f"SNMP sysDescr matches {rule['pattern']!r}", match))
                break
    if host.vendor:
        for rule in table["mac_vendor"]:
            if re.search(rule["pattern"], host.vendor, re.IGNORECASE):
                votes.append(_vote(rule, f"MAC vendor {host.vendor}"))
                break
    open_tcp = host.open_ports("tcp")
    for rule in table["ports"]:
        if set(rule["ports"]) <= open_tcp:
            votes.append(_vote(rule, f"open ports: {rule['why']}"))
    if host.is_gateway:
        votes.append(Vote(weight=0.45, why="it is the default gateway", device_class="router"))
    return votes


def _first(votes: list[Vote], attribute: str) -> str | None:
    ranked = sorted(votes, key=lambda v: v.weight, reverse=True)
    return next((getattr(v, attribute) for v in ranked if getattr(v, attribute)), None)


def classify(host: Host) -> Host:
    """``host`` with device class, manufacturer, model, firmware, OS family and evidence set."""
    votes = votes_for(host)
    totals: dict[str, float] = {}
    for vote in votes:
        if vote.device_class:
            totals[vote.device_class] = totals.get(vote.device_class, 0.0) + vote.weight
    if not totals:
        return replace(host, device_class="unknown", confidence=0.0,
                       manufacturer=host.manufacturer or _first(votes, "manufacturer"),
                       os_family=_first(votes, "os_family"),
                       evidence=tuple(v.why for v in votes) or ("no identifying evidence",))
    device_class = max(totals, key=lambda c: totals[c])
    # A business firewall is also the gateway: being the gateway confirms rather than competes.
    if device_class == "firewall" and host.is_gateway:
        totals[device_class] += totals.pop("router", 0.0)
    supporting = [v for v in votes if v.device_class in (device_class, None)]
    confidence = round(min(1.0, totals[device_class]), 2)
    return replace(
        host, device_class=device_class, confidence=confidence,
        manufacturer=_first(supporting, "manufacturer"), model=_first(supporting, "model"),
        firmware=_first(supporting, "firmware"), os_family=_first(votes, "os_family"),
        evidence=tuple(f"{v.why} → {v.device_class or 'identity'}" for v in votes),
    )
