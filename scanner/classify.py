"""Device identification: device class, manufacturer, model and firmware from the evidence.

Every rule comes from the data table ``scanner/data/signatures.json``. Each matching rule votes
for a class with a weight; the class with the most weight wins, and every vote is kept as a
line of evidence so the consultant can see why a device was called what it was.

Manufacturer, model and firmware are taken from the votes that agree with the winning class (or
name no class), most trusted first: a vote's ``rank`` (default: its weight) says how much its
identity is trusted, so what a device reports about its own hardware (vendor model OIDs,
ENTITY-MIB) can outrank a guess from its sysObjectID without adding weight to any class. A
rule's ``family`` ("FortiGate", "iDRAC") names the product line and is used only when no vote
knows the exact model.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

from scanner.model import Host
from scanner.snmp.parse import identity_oids

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


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
    family: str | None = None
    rank: float | None = None  # trust in manufacturer/model/firmware; None: the weight

    @property
    def trust(self) -> float:
        """How much this vote's identity (not its class) is trusted."""
        return self.weight if self.rank is None else self.rank


@functools.lru_cache(maxsize=1)
def signatures() -> dict[str, Any]:
    """The vendor knowledge table, loaded once."""
    text = resources.files("scanner").joinpath("data/signatures.json").read_text("utf-8")
    table = json.loads(text)
    table["sys_object_id"].sort(key=lambda rule: len(rule["prefix"]), reverse=True)
    return table


def render(template: str | None, values: Mapping[str, str | None]) -> str | None:
    """``template`` with ``{name}`` replaced from ``values``; None if it comes out empty."""
    if not template:
        return None
    text = _PLACEHOLDER.sub(lambda m: values.get(m.group(1)) or "", template).strip()
    return text or None


def _vote(rule: dict[str, Any], why: str, values: Mapping[str, str | None] | None = None,
          firmware: str | None = None) -> Vote:
    values = values or {}
    model = render(rule["model"], values) if "model" in rule else values.get("model")
    if firmware is None:
        firmware = (render(rule["firmware"], values) if "firmware" in rule
                    else values.get("firmware"))
    return Vote(weight=rule.get("weight", 0.0), why=why, device_class=rule.get("device_class"),
                manufacturer=render(rule.get("manufacturer"), values), model=model or None,
                firmware=firmware or None, os_family=rule.get("os_family"),
                family=render(rule.get("family"), values), rank=rule.get("rank"))


def _snmp_votes(host: Host, table: dict[str, Any]) -> list[Vote]:
    snmp = host.snmp
    if snmp is None:
        return []
    votes: list[Vote] = []
    oid = snmp.sys_object_id.lstrip(".")
    rule = next((r for r in table["sys_object_id"]
                 if oid == r["prefix"] or oid.startswith(r["prefix"] + ".")), None) if oid else None
    if rule:
        note = f" ({rule['why']})" if "why" in rule else ""
        votes.append(_vote(rule, f"SNMP sysObjectID {oid}{note}"))
    for name, text in (("sys_descr", snmp.sys_descr), ("sys_name", snmp.sys_name)):
        for rule in table[name] if text else ():
            match = re.search(rule["pattern"], text)
            if match:
                label = "sysDescr" if name == "sys_descr" else "sysName"
                votes.append(_vote(rule, f"SNMP {label} {text[:60]!r} matches "
                                         f"{rule['pattern']!r}", match.groupdict()))
                break
    oids = identity_oids()
    for rule in table["snmp_identity"]:
        value = snmp.identity.get(rule["key"])
        if value:
            firmware = snmp.identity.get(rule.get("firmware_key", ""))
            why = f"SNMP {rule['key']} ({oids.get(rule['key'], '?')}) = {value[:60]!r}"
            votes.append(_vote(rule, why, {"value": value}, firmware))
    for rule in table["snmp_fields"]:
        value = getattr(snmp, rule["field"], None)
        if value:
            seen = f"{len(value)} listed" if isinstance(value, (dict, tuple)) else repr(value)
            votes.append(_vote(rule, f"SNMP {rule['why']}: {seen}"))
    return votes


def _fact(host: Host, path: str) -> object:
    value: object = host
    for name in path.split("."):
        value = getattr(value, name, None)
        if value is None:
            return None
    return value


def _fact_votes(host: Host, table: dict[str, Any]) -> list[Vote]:
    votes = []
    for rule in table.get("host_facts", ()):
        value = _fact(host, rule["field"])
        if value:
            votes.append(_vote(rule, f"{rule['why']} ({rule['field']} = {str(value)[:60]!r})"))
    return votes


def votes_for(host: Host) -> list[Vote]:
    """Every vote the signature table casts for ``host``."""
    table = signatures()
    votes = _snmp_votes(host, table) + _fact_votes(host, table)
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
    ranked = sorted(votes, key=lambda v: v.trust, reverse=True)
    return next((getattr(v, attribute) for v in ranked if getattr(v, attribute)), None)


def manufacturer_name(name: str | None) -> str | None:
    """One spelling per maker: "cisco Systems Inc." and "CISCO" are both "Cisco"."""
    if not name:
        return None
    for rule in signatures()["manufacturer_names"]:
        if re.search(rule["pattern"], name, re.IGNORECASE):
            return rule["name"]
    return name


def model_name(model: str | None, manufacturer: str | None) -> str | None:
    """A model as people write it: vendor codes rewritten, maker and " series" dropped."""
    if not model:
        return None
    table = signatures()
    for rule in table["model_names"]:
        match = re.search(rule["pattern"], model)
        if match:
            model = render(rule["template"], match.groupdict()) or model
            break
    if manufacturer and model.lower().startswith(manufacturer.lower() + " "):
        model = model[len(manufacturer) + 1:]
    for suffix in table["model_suffixes"]:
        if model.lower().endswith(suffix.lower()) and len(model) > len(suffix):
            model = model[: -len(suffix)]
    return model.strip() or None


def classify(host: Host) -> Host:
    """``host`` with device class, manufacturer, model, firmware, OS family and evidence set."""
    votes = votes_for(host)
    totals: dict[str, float] = {}
    for vote in votes:
        if vote.device_class:
            totals[vote.device_class] = totals.get(vote.device_class, 0.0) + vote.weight
    if not totals:
        return replace(host, device_class="unknown", confidence=0.0,
                       manufacturer=host.manufacturer or manufacturer_name(
                           _first(votes, "manufacturer")),
                       os_family=_first(votes, "os_family"),
                       evidence=tuple(v.why for v in votes) or ("no identifying evidence",))
    device_class = max(totals, key=lambda c: totals[c])
    # A business firewall is also the gateway: being the gateway confirms rather than competes.
    if device_class == "firewall" and host.is_gateway:
        totals[device_class] += totals.pop("router", 0.0)
    supporting = [v for v in votes if v.device_class in (device_class, None)]
    confidence = round(min(1.0, totals[device_class]), 2)
    manufacturer = manufacturer_name(_first(supporting, "manufacturer"))
    model = _first(supporting, "model") or _first(supporting, "family")
    return replace(
        host, device_class=device_class, confidence=confidence, manufacturer=manufacturer,
        model=model_name(model, manufacturer), firmware=_first(supporting, "firmware"),
        os_family=_first(votes, "os_family"),
        evidence=tuple(f"{v.why} → {v.device_class or 'identity'}" for v in votes),
    )
