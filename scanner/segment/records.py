"""What the wire under the laptop said: the ``segment`` record of the inventory.

Frozen dataclasses, filled by :mod:`scanner.segment.parse` from frames the listener caught
(and by its few questions: one DHCP DISCOVER, one DHCPv6 Solicit, one router solicitation,
LLMNR/NBT-NS name queries). Every string in them came from the network and is bounded.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LldpNeighbour:
    """A switch (or phone, AP …) that announced itself by LLDP or CDP on the laptop's port."""

    protocol: str  # "lldp" or "cdp"
    chassis_id: str = ""  # a MAC ("aa:bb:…") when the chassis ID subtype is a MAC address
    system_name: str = ""
    system_description: str = ""  # LLDP system description, CDP software version
    platform: str = ""  # CDP platform (the model), empty for LLDP
    port_id: str = ""  # the switch port the laptop is plugged into
    port_description: str = ""
    management_addresses: tuple[str, ...] = ()
    capabilities: tuple[str, ...] = ()  # enabled ones: "bridge", "router", "wlan-ap" …
    native_vlan: int | None = None  # LLDP 802.1 port VLAN ID, CDP native VLAN
    voice_vlan: int | None = None  # LLDP-MED network policy (voice), CDP voice VLAN
    source_mac: str = ""  # the frame's source MAC (the switch port's own MAC)
    ttl: int | None = None


@dataclass(frozen=True)
class DhcpServer:
    """A DHCP server that answered the one DISCOVER with an OFFER (no lease was taken)."""

    server_ip: str
    server_mac: str = ""
    offered_ip: str = ""
    subnet_mask: str = ""
    routers: tuple[str, ...] = ()
    dns_servers: tuple[str, ...] = ()
    domain: str = ""
    lease_seconds: int | None = None


@dataclass(frozen=True)
class Ipv6Router:
    """A router advertisement (or a DHCPv6 server's Advertise) seen on the segment."""

    source: str  # link-local address of the sender
    source_mac: str = ""
    kind: str = "ra"  # "ra" (router advertisement) or "dhcpv6" (a DHCPv6 Advertise)
    prefixes: tuple[str, ...] = ()  # "2001:db8:1::/64"
    managed: bool | None = None  # M flag: addresses from DHCPv6
    other: bool | None = None  # O flag: other configuration from DHCPv6
    router_lifetime: int | None = None  # seconds; 0: not a default router
    dns_servers: tuple[str, ...] = ()  # RDNSS, or the DHCPv6 DNS option


@dataclass(frozen=True)
class SpanningTree:
    """What the spanning-tree BPDUs on the port say."""

    root_bridge: str = ""  # "priority/mac", e.g. "32768/00:11:22:33:44:55"
    root_mac: str = ""
    root_priority: int | None = None
    bridge_id: str = ""  # the sending bridge
    root_path_cost: int | None = None
    port_id: int | None = None
    version: str = ""  # "stp", "rstp", "mstp"


@dataclass(frozen=True)
class NameResponder:
    """A host that answered a link-local name query (LLMNR or NBT-NS)."""

    ip: str
    protocol: str  # "llmnr" or "nbt-ns"
    name: str  # the name asked
    random_name: bool = False  # True: it answered a made-up name (a poisoner, e.g. Responder)


@dataclass(frozen=True)
class ArpEvent:
    """An ARP anomaly: two MACs for one address, or the gateway's MAC changing."""

    ip: str
    macs: tuple[str, ...]  # every MAC seen claiming ``ip``, in order of first sight
    kind: str  # "conflict" or "gateway_changed"


@dataclass(frozen=True)
class Segment:
    """Everything the listener learned about the laptop's segment during the scan."""

    interface: str = ""
    listened_s: float = 0.0  # how long it listened
    frames: int = 0  # frames it kept (after the kernel filter)
    lldp: tuple[LldpNeighbour, ...] = ()
    dhcp_servers: tuple[DhcpServer, ...] = ()
    ipv6_routers: tuple[Ipv6Router, ...] = ()
    stp: SpanningTree | None = None
    vlan_tags: tuple[int, ...] = ()  # 802.1Q VLAN IDs seen on tagged frames
    name_responders: tuple[NameResponder, ...] = ()
    arp_events: tuple[ArpEvent, ...] = ()
    # What was asked: "dhcp", "dhcpv6", "rs", "llmnr", "nbt-ns" (the checks answer UNKNOWN for
    # what was not asked), and what could not be done and why.
    asked: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def _tuple_of(cls: type, items: object) -> tuple:
    known = set(cls.__dataclass_fields__)  # type: ignore[attr-defined]
    return tuple(cls(**{k: tuple(v) if isinstance(v, list) else v
                        for k, v in item.items() if k in known})
                 for item in items or () if isinstance(item, dict))


def segment_from_dict(data: dict) -> Segment:
    """A Segment from its JSON form (unknown keys ignored, lists made tuples)."""
    stp = data.get("stp")
    plain = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()
             if k in ("interface", "listened_s", "frames", "vlan_tags", "asked", "notes")}
    return Segment(
        **plain,
        lldp=_tuple_of(LldpNeighbour, data.get("lldp")),
        dhcp_servers=_tuple_of(DhcpServer, data.get("dhcp_servers")),
        ipv6_routers=_tuple_of(Ipv6Router, data.get("ipv6_routers")),
        stp=_tuple_of(SpanningTree, [stp])[0] if isinstance(stp, dict) else None,
        name_responders=_tuple_of(NameResponder, data.get("name_responders")),
        arp_events=_tuple_of(ArpEvent, data.get("arp_events")),
    )
