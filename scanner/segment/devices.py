"""Switches (and APs, phones) named by LLDP or CDP, as devices of the inventory.

A neighbour that announced itself on the laptop's port becomes a Host even when it has no
address the scan could reach: its identity is the chassis MAC (else the frame's source MAC),
its address the first IPv4 management address it announced (else ""), its name the system
name. When the scan already found it (same MAC, or its management address answered), that
host is enriched instead of a second one being added.
"""

from __future__ import annotations

from dataclasses import replace

from scanner.macvendor import is_locally_administered, vendor_for
from scanner.model import Host
from scanner.segment.records import LldpNeighbour, Segment
from scanner.textsafe import bounded_name

# Enabled capability -> device class, first match wins; a neighbour that says nothing is
# taken for a switch (what sends LLDP on an office wall port, almost always).
CLASS_BY_CAPABILITY = (("telephone", "phone"), ("wlan-ap", "access_point"),
                       ("bridge", "switch"), ("switch", "switch"), ("router", "router"))
CONFIDENCE = 0.9  # the device said what it is itself


def neighbour_class(neighbour: LldpNeighbour) -> str:
    """The device class a neighbour's enabled capabilities give."""
    for capability, device_class in CLASS_BY_CAPABILITY:
        if capability in neighbour.capabilities:
            return device_class
    return "switch"


def _ipv4(addresses: tuple[str, ...]) -> str:
    return next((a for a in addresses if a.count(".") == 3), "")


def _identity(neighbour: LldpNeighbour) -> str:
    return neighbour.chassis_id if neighbour.chassis_id.count(":") == 5 else neighbour.source_mac


def _port_label(neighbour: LldpNeighbour) -> str:
    port = neighbour.port_id
    if neighbour.port_description and neighbour.port_description != port:
        port = f"{port} ({neighbour.port_description})" if port else neighbour.port_description
    return bounded_name(port)


def neighbour_hosts(segment: Segment | None, hosts: dict[str, Host]) -> dict[str, Host]:
    """``hosts`` (ip -> Host) with the segment's neighbours merged in or added.

    A neighbour without any IPv4 address is keyed ``lldp:<mac>`` in the returned mapping.
    """
    merged = dict(hosts)
    if segment is None:
        return merged
    by_mac = {h.mac: key for key, h in merged.items() if h.mac}
    for neighbour in _distinct(segment.lldp):
        mac = _identity(neighbour)
        address = _ipv4(neighbour.management_addresses)
        key = by_mac.get(mac) or (address if address in merged else "")
        model = neighbour.platform or neighbour.system_description.split(",")[0][:120]
        evidence = (f"announced itself by {neighbour.protocol.upper()} on the laptop's port "
                    f"{neighbour.port_id or '?'}: {neighbour.system_name or mac}"
                    + (f", {neighbour.system_description[:160]}"
                       if neighbour.system_description else ""))
        if key:
            host = merged[key]
            merged[key] = replace(
                host, device_class=neighbour_class(neighbour), confidence=CONFIDENCE,
                model=host.model or model or None, switch_port=_port_label(neighbour),
                hostnames=host.hostnames or ((neighbour.system_name,)
                                             if neighbour.system_name else ()),
                discovered_by=tuple(dict.fromkeys((*host.discovered_by, neighbour.protocol))),
                evidence=(evidence, *host.evidence))
            continue
        vendor = vendor_for(mac) if mac else None
        merged[address or f"lldp:{mac or neighbour.system_name}"] = Host(
            ip=address, mac=mac or None, vendor=vendor,
            mac_private=bool(mac and is_locally_administered(mac)),
            hostnames=(neighbour.system_name,) if neighbour.system_name else (),
            device_class=neighbour_class(neighbour), manufacturer=vendor,
            model=model or None, confidence=CONFIDENCE, evidence=(evidence,),
            discovered_by=(neighbour.protocol,), switch_port=_port_label(neighbour))
    return merged


def _distinct(neighbours: tuple[LldpNeighbour, ...]) -> list[LldpNeighbour]:
    """One entry per device: a switch speaking LLDP and CDP is one switch (LLDP kept first)."""
    seen: dict[str, LldpNeighbour] = {}
    for neighbour in sorted(neighbours, key=lambda n: n.protocol != "lldp"):
        key = neighbour.system_name.lower() or _identity(neighbour)
        if key in seen:
            first = seen[key]
            seen[key] = replace(first, platform=first.platform or neighbour.platform,
                                native_vlan=first.native_vlan or neighbour.native_vlan,
                                voice_vlan=first.voice_vlan or neighbour.voice_vlan,
                                management_addresses=first.management_addresses
                                or neighbour.management_addresses)
        else:
            seen[key] = neighbour
    return list(seen.values())
