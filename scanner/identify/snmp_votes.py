"""Votes from what a device says over SNMP: registry, product families and vendor OIDs.

Manufacturer comes first from the IANA registrant of the sysObjectID's enterprise (any
enterprise, not only those in a table), then from vendor subtrees present in the walk when the
sysObjectID belongs to an embedded agent (net-snmp …), from a brand named in sysDescr, and from
what the device reports about its own hardware (ENTITY-MIB, UPS-MIB, vendor model OIDs), which
ranks above all of those. Product-family entries (``data/families.json``) add class, model and
firmware. Class from the standard MIBs is in :mod:`scanner.identify.standard`.
"""

from __future__ import annotations

from scanner.identify import names
from scanner.identify.knowledge import Knowledge
from scanner.identify.votes import Vote, rule_vote
from scanner.model import SnmpInfo
from scanner.snmp.parse import identity_oids


def _registry_votes(snmp: SnmpInfo, knowledge: Knowledge) -> list[Vote]:
    votes: list[Vote] = []
    own = names.enterprise_of(snmp.sys_object_id)
    stack = names.stack_note(own)
    if own is not None and stack:
        votes.append(Vote(0.0, f"sysObjectID enterprise {own} is {stack}: not the maker",
                          rank=0.0))
    elif own is not None:
        registrant = names.registrant(own)
        if registrant:
            votes.append(Vote(0.0, f"sysObjectID enterprise {own} is registered to "
                                   f"{registrant!r} (IANA enterprise numbers)",
                              manufacturer=names.consultant_name(registrant, tidy=True), rank=0.5))
    subtrees = [int(n) for n in snmp.identity.get("mib.enterprises", "").split(",") if n]
    for rule in knowledge.rules("subtrees"):
        if rule["enterprise"] in subtrees and rule["enterprise"] != own:
            votes.append(rule_vote(rule, f"vendor subtree 1.3.6.1.4.1.{rule['enterprise']} "
                                         f"answers ({rule['why']})"))
    if own is None or stack:
        for number in subtrees:
            registrant = names.registrant(number)
            if number != own and registrant and not names.stack_note(number):
                maker = names.consultant_name(registrant, tidy=True)
                votes.append(Vote(0.0, f"vendor subtree 1.3.6.1.4.1.{number} answers: "
                                       f"registered to {registrant!r}",
                                  manufacturer=maker, rank=0.4))
                break
    return votes


def _family_votes(snmp: SnmpInfo, knowledge: Knowledge) -> list[Vote]:
    votes: list[Vote] = []
    oid = snmp.sys_object_id.strip(".")
    rule = next((r for r in knowledge.rules("sys_object_id")
                 if oid == r["prefix"] or oid.startswith(r["prefix"] + ".")), None) if oid else None
    if rule:
        votes.append(rule_vote(rule, f"SNMP sysObjectID {oid} under {rule['prefix']}"))
    texts = {"sys_descr": snmp.sys_descr, "sys_name": snmp.sys_name,
             **{key: value for key, value in snmp.identity.items() if not key.startswith("mib.")}}
    seen_fields: set[str] = set()
    for rule in knowledge.rules("sys_descr"):
        field = rule.get("field", "sys_descr")
        text = texts.get(field)
        if not text or field in seen_fields:
            continue
        match = rule["compiled"].search(text)
        if match:
            seen_fields.add(field)
            votes.append(rule_vote(rule, f"SNMP {field} {text[:60]!r} matches "
                                         f"{rule['pattern'][:60]!r}", match.groupdict()))
    oids = identity_oids()
    for rule in knowledge.rules("snmp_identity"):
        value = snmp.identity.get(rule["key"])
        if value:
            firmware = snmp.identity.get(rule.get("firmware_key", ""))
            why = f"SNMP {rule['key']} ({oids.get(rule['key'], '?')}) = {value[:60]!r}"
            votes.append(rule_vote(rule, why, {"value": value}, firmware))
    return votes


def _brand_votes(snmp: SnmpInfo) -> list[Vote]:
    votes = []
    own = names.enterprise_of(snmp.sys_object_id)
    registered = "" if names.stack_note(own) else (
        names.consultant_name(names.registrant(own), tidy=True) or "")
    for label, text in (("sysDescr", snmp.sys_descr),
                        ("ENTITY-MIB description", snmp.identity.get("entity.description", ""))):
        brand = names.brand_in(text) if text else None
        if brand and registered.lower().startswith(brand.lower() + " "):
            break  # the registry names the same maker more exactly ("Cisco Meraki")
        if brand:
            votes.append(Vote(0.0, f"{label} names the brand {brand!r}", manufacturer=brand,
                              rank=0.55))
            break
    for key, rank in (("entity.manufacturer", 0.95), ("ups.manufacturer", 0.8)):
        maker = names.consultant_name(snmp.identity.get(key))
        if maker:
            votes.append(Vote(0.0, f"SNMP {key} = {snmp.identity[key][:60]!r}",
                              manufacturer=maker, rank=rank))
    return votes


def snmp_votes(snmp: SnmpInfo | None, knowledge: Knowledge) -> list[Vote]:
    """Every registry, brand and product-family vote for an SNMP answer."""
    if snmp is None:
        return []
    return _registry_votes(snmp, knowledge) + _family_votes(snmp, knowledge) + _brand_votes(snmp)
