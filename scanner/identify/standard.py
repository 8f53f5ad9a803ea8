"""Class from what a device *is* by the standard MIBs, whoever made it.

* Printer-MIB (RFC 3805) answering, or marker supplies listed: a printer;
* UPS-MIB (RFC 1628) answering, or a UPS battery state: a UPS;
* IEEE 802.11 MIB or ``ifType`` 71 (ieee80211) interfaces: wireless, an access point;
* BRIDGE-MIB / Q-BRIDGE-MIB with many Ethernet ports: a switch (a port count alone is not:
  embedded Linux reports tunnels and bridges as Ethernet interfaces);
* LLDP-MIB local capabilities enabled (bridge, router, WLAN access point, telephone);
* sysServices layer bits (RFC 1213: 2 data link, 3 internet, 7 application);
* IP-MIB ipForwarding (a host that forwards is a router, weakly);
* HOST-RESOURCES-MIB: device types, storage (a NAS's data volumes) and running software
  (hypervisor, NAS and backup processes), patterns from ``data/evidence.json``;
* IF-MIB interface names of virtual machines and bridges (a hypervisor);
* a server maker's agent on an embedded CPU (a BMC);
* class nouns in sysDescr and ENTITY-MIB descriptions ("Switch", "UPS", "Network Camera") as
  the fallback, from ``data/evidence.json``; and the OS a sysDescr names.
"""

from __future__ import annotations

import re

from scanner.identify import names
from scanner.identify.knowledge import evidence
from scanner.identify.votes import Vote
from scanner.model import SnmpInfo

ETHERNET_TYPES = {6, 62, 69, 117}  # ethernetCsmacd, fastEther, fastEtherFX, gigabitEthernet
WIRELESS_TYPE = 71  # ieee80211
SWITCH_PORTS = 8  # an Ethernet port count from which a bridge is a switch rather than a host


def _if_types(snmp: SnmpInfo) -> dict[int, int]:
    counts: dict[int, int] = {}
    for item in snmp.identity.get("mib.if_types", "").split(","):
        kind, _, count = item.partition(":")
        if kind.isdigit() and count.isdigit():
            counts[int(kind)] = int(count)
    return counts


def _mib_votes(snmp: SnmpInfo) -> list[Vote]:
    facts = snmp.identity
    present = set(facts.get("mib.present", "").split(","))
    votes: list[Vote] = []
    if "printer" in present or snmp.printer_supplies:
        votes.append(Vote(0.8, "Printer-MIB (RFC 3805) answers", device_class="printer"))
    if "ups" in present or snmp.ups_battery_status:
        votes.append(Vote(0.7, "UPS-MIB (RFC 1628) or a UPS battery status answers",
                          device_class="ups"))
    types = _if_types(snmp)
    ethernet = sum(types.get(kind, 0) for kind in ETHERNET_TYPES)
    if "dot11" in present or types.get(WIRELESS_TYPE):
        votes.append(Vote(0.45, f"IEEE 802.11 MIB or {types.get(WIRELESS_TYPE, 0)} ifType 71 "
                                "(802.11) interfaces", device_class="access_point"))
    bridge_ports = int(facts.get("mib.bridge_ports", "0") or 0)
    bridged = {"bridge", "qbridge"} & present or bridge_ports
    if bridged and max(ethernet, bridge_ports) >= SWITCH_PORTS:
        votes.append(Vote(0.55, f"BRIDGE-MIB/Q-BRIDGE-MIB with {max(ethernet, bridge_ports)} "
                                "Ethernet ports", device_class="switch"))
    caps = set(facts.get("mib.lldp_caps", "").split(","))
    for cap, device_class, weight in (("wlanAccessPoint", "access_point", 0.6),
                                      ("telephone", "phone", 0.6), ("router", "router", 0.3)):
        if cap in caps:
            votes.append(Vote(weight, f"LLDP-MIB local capability {cap} enabled",
                              device_class=device_class))
    if "bridge" in caps and "router" not in caps:
        votes.append(Vote(0.5, "LLDP-MIB local capability bridge enabled (not router)",
                          device_class="switch"))
    services = facts.get("mib.services", "")
    if services.isdigit():
        layers = {layer for layer in range(1, 8) if int(services) & (1 << (layer - 1))}
        if 2 in layers and not layers & {3, 4, 7}:
            votes.append(Vote(0.3, f"sysServices {services}: data-link layer only",
                              device_class="switch"))
        elif 3 in layers and not layers & {4, 7}:
            votes.append(Vote(0.3, f"sysServices {services}: internet layer, no applications",
                              device_class="router"))
    if facts.get("mib.ip_forwarding") == "1" and not snmp.running_software:
        votes.append(Vote(0.15, "IP-MIB ipForwarding = forwarding", device_class="router"))
    return votes


def _pattern_votes(snmp: SnmpInfo) -> list[Vote]:
    table = evidence()
    votes: list[Vote] = []
    texts = [("sysDescr", snmp.sys_descr),
             ("ENTITY-MIB description", snmp.identity.get("entity.description", "")),
             *((f"SNMP {key}", value) for key, value in snmp.identity.items()
               if key.endswith(".model"))]
    for rule in table["keywords"]:
        hit = next(((label, text) for label, text in texts
                    if text and rule["compiled"].search(text[:300])), None)
        if hit:
            votes.append(Vote(rule["weight"], f"{hit[0]} {hit[1][:60]!r} says "
                                              f"{rule['compiled'].search(hit[1]).group()!r}",
                              device_class=rule["device_class"]))
    for section, values, label in (
            ("software", snmp.running_software, "HOST-RESOURCES running software"),
            ("storage", tuple(snmp.identity.get("mib.hr_storage", "").split("|")),
             "HOST-RESOURCES storage"),
            ("interfaces", tuple(snmp.identity.get("mib.if_names", "").split("|")),
             "IF-MIB interface")):
        for rule in table[section]:
            hits = [value for value in values if value and rule["compiled"].search(value)]
            found = hits[0] if len(hits) >= rule.get("min", 1) else None
            if found:
                votes.append(Vote(rule["weight"], f"{label} {found[:60]!r} ({rule['why']})",
                                  device_class=rule.get("device_class"),
                                  os_family=rule.get("os_family")))
    oid = snmp.sys_object_id.strip(".")
    computer = bool(re.search(table["computer"], snmp.sys_descr)) or "diskStorage" in \
        snmp.identity.get("mib.hr_devices", "")
    for rule in table["agents"]:
        if not (oid == rule["prefix"] or oid.startswith(rule["prefix"] + ".")):
            continue
        if rule.get("needs_computer") and not computer:
            votes.append(Vote(0.0, f"SNMP sysObjectID {oid}: a generic agent, on what is not "
                                   "shown to be a general-purpose computer: no class from it",
                              os_family=rule["os_family"]))
        else:
            votes.append(Vote(rule["weight"], f"SNMP sysObjectID {oid}: {rule['why']}",
                              device_class=rule["device_class"], os_family=rule["os_family"]))
    makers = table["server_makers"]
    seen = {names.enterprise_of(oid)} | {
        int(n) for n in snmp.identity.get("mib.enterprises", "").split(",") if n.isdigit()}
    maker = next((number for number in makers["enterprises"] if number in seen), None)
    if maker is not None and re.search(makers["embedded"], snmp.sys_descr):
        votes.append(Vote(makers["weight"], f"enterprise {maker} answers on an embedded CPU "
                                            f"({snmp.sys_descr.split()[-1][:20]}): {makers['why']}",
                          device_class=makers["device_class"]))
    for rule in table["os"]:
        if snmp.sys_descr and rule["compiled"].search(snmp.sys_descr):
            votes.append(Vote(rule.get("weight", 0.0), f"sysDescr names {rule['os_family']}",
                              device_class=rule.get("device_class"),
                              os_family=rule["os_family"]))
            break
    return votes


def standard_votes(snmp: SnmpInfo | None) -> list[Vote]:
    """Class votes from the standard MIBs and generic patterns of an SNMP answer."""
    if snmp is None:
        return []
    return _mib_votes(snmp) + _pattern_votes(snmp)
