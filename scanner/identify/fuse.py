"""Fusion: all votes for a host become one class, maker, model and firmware, with confidence.

The class with the most weight wins. Its confidence is its weight (capped at 1) times its share
of all class weight, so conflicting votes lower it; a runner-up with at least half the winner's
weight is written into the evidence as a conflict. A host whose best class has less than
:data:`MIN_WEIGHT` is "unknown", with the reason. Manufacturer, model and firmware come from the
votes that agree with the winning class (or name no class), most trusted first.
"""

from __future__ import annotations

import re
from dataclasses import replace

from scanner.identify import names
from scanner.identify.host_votes import host_votes
from scanner.identify.knowledge import ALL, Knowledge, evidence
from scanner.identify.snmp_votes import snmp_votes
from scanner.identify.standard import standard_votes
from scanner.identify.votes import Vote, render
from scanner.model import Host

MIN_WEIGHT = 0.2


def votes_for(host: Host, knowledge: Knowledge = ALL) -> list[Vote]:
    """Every vote for ``host``: SNMP registry and families, standard MIBs, other sources."""
    return (snmp_votes(host.snmp, knowledge) + standard_votes(host.snmp)
            + host_votes(host, knowledge))


def _first(votes: list[Vote], attribute: str) -> str | None:
    ranked = sorted(votes, key=lambda v: v.trust, reverse=True)
    return next((getattr(v, attribute) for v in ranked if getattr(v, attribute)), None)


def model_name(model: str | None, manufacturer: str | None) -> str | None:
    """A model as people write it: vendor codes rewritten, maker and " series" dropped."""
    if not model:
        return None
    table = evidence()
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


def _evidence(votes: list[Vote]) -> tuple[str, ...]:
    return tuple(f"{v.why} → {v.device_class or 'identity'}" for v in votes)


def classify(host: Host, knowledge: Knowledge = ALL) -> Host:
    """``host`` with device class, manufacturer, model, firmware, OS family, evidence set."""
    votes = votes_for(host, knowledge)
    totals: dict[str, float] = {}
    for vote in votes:
        if vote.device_class:
            totals[vote.device_class] = totals.get(vote.device_class, 0.0) + vote.weight
    ranked = sorted(totals, key=lambda c: totals[c], reverse=True)
    if not ranked or totals[ranked[0]] < MIN_WEIGHT:
        reason = ("no identifying evidence" if not votes else
                  f"too little evidence for a class: best guess {ranked[0]} with weight "
                  f"{totals[ranked[0]]:.2f} < {MIN_WEIGHT}" if ranked else
                  "the evidence names no device class")
        return replace(host, device_class="unknown", confidence=0.0,
                       manufacturer=host.manufacturer or names.consultant_name(
                           _first(votes, "manufacturer")),
                       model=host.model or _first(votes, "model"),
                       os_family=_first(votes, "os_family"),
                       evidence=(*_evidence(votes), f"unknown: {reason} → unknown"))
    device_class = ranked[0]
    # A business firewall is also the gateway: being the gateway confirms rather than competes.
    if device_class == "firewall" and host.is_gateway:
        totals[device_class] += totals.pop("router", 0.0)
        ranked = sorted(totals, key=lambda c: totals[c], reverse=True)
    win = totals[device_class]
    confidence = round(min(1.0, win) * win / sum(totals.values()), 2)
    lines = list(_evidence(votes))
    for other in ranked[1:]:
        if totals[other] >= win / 2:
            lines.append(f"conflict: {other} also has weight {totals[other]:.2f} against "
                         f"{win:.2f} → {device_class}")
    supporting = [v for v in votes if v.device_class in (device_class, None)]
    manufacturer = names.consultant_name(_first(supporting, "manufacturer"))
    model = _first(supporting, "model") or _first(supporting, "family")
    return replace(
        host, device_class=device_class, confidence=confidence, manufacturer=manufacturer,
        model=model_name(model, manufacturer), firmware=_first(supporting, "firmware"),
        os_family=_first(votes, "os_family"), evidence=tuple(lines))
