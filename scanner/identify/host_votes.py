"""Votes from everything but SNMP: MAC registry, open ports, probes, web pages, mDNS, SSDP.

Each source votes the same way SNMP does, with its evidence kept: the MAC registry's
organisation (``families.json`` ``mac_vendor``), sets of open ports, facts the protocol probes
found (an Active Directory root DSE, a NUT UPS), HTTP titles, Server headers and TLS certificate
subjects, mDNS service types, an SSDP Internet Gateway Device and being the default gateway.
"""

from __future__ import annotations

from scanner.identify import names
from scanner.identify.knowledge import Knowledge, evidence
from scanner.identify.votes import Vote, rule_vote
from scanner.model import Host


def _fact(host: Host, path: str) -> object:
    value: object = host
    for name in path.split("."):
        value = getattr(value, name, None)
        if value is None:
            return None
    return value


def _web_votes(host: Host) -> list[Vote]:
    votes: list[Vote] = []
    texts = []
    for web in host.web:
        texts += [(f"HTTP title on {web.port}", web.title),
                  (f"HTTP Server header on {web.port}", web.server)]
        if web.certificate is not None:
            texts.append((f"TLS certificate subject on {web.port}", web.certificate.subject))
    for label, text in texts:
        if not text:
            continue
        for rule in evidence()["web"]:
            match = rule["compiled"].search(text[:300])
            if match:
                votes.append(Vote(rule["weight"], f"{label} {text[:60]!r} says "
                                                  f"{match.group()!r}",
                                  device_class=rule.get("device_class"),
                                  manufacturer=rule.get("manufacturer"),
                                  rank=rule.get("rank")))
                break
        brand = names.brand_in(text)
        if brand:
            votes.append(Vote(0.0, f"{label} names the brand {brand!r}", manufacturer=brand,
                              rank=0.35))
    return votes


def _mdns_votes(host: Host) -> list[Vote]:
    votes = []
    for rule in evidence()["mdns"]:
        found = next((name for name in host.mdns_names if rule["compiled"].search(name)), None)
        if found:
            votes.append(Vote(rule["weight"], f"mDNS announces {found[:60]!r} ({rule['why']})",
                              device_class=rule.get("device_class")))
    return votes


def host_votes(host: Host, knowledge: Knowledge) -> list[Vote]:
    """Every non-SNMP vote for ``host``."""
    table = evidence()
    votes: list[Vote] = []
    for rule in table["host_facts"]:
        value = _fact(host, rule["field"])
        if value:
            votes.append(rule_vote(rule, f"{rule['why']} ({rule['field']} = "
                                         f"{str(value)[:60]!r})"))
    if host.vendor:
        rule = next((r for r in knowledge.rules("mac_vendor")
                     if r["compiled"].search(host.vendor)), None)
        if rule:
            votes.append(rule_vote(rule, f"MAC vendor {host.vendor}"))
    open_tcp = host.open_ports("tcp")
    for rule in table["ports"]:
        if set(rule["ports"]) <= open_tcp:
            votes.append(rule_vote(rule, f"open ports: {rule['why']}"))
    votes += _web_votes(host) + _mdns_votes(host)
    if host.upnp_igd:
        votes.append(Vote(0.3, "answers SSDP as an Internet Gateway Device",
                          device_class="router"))
    if host.is_gateway:
        votes.append(Vote(weight=0.45, why="it is the default gateway", device_class="router"))
    return votes
