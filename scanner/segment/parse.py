"""Frames caught on the segment, read with scapy, into a :class:`Segment` record.

:class:`SegmentCollector` takes scapy packets one by one (from the live listener or from a
pcap file, the same code) and keeps what matters: LLDP and CDP neighbours, DHCP OFFERs to our
DISCOVER, IPv6 router advertisements and DHCPv6 Advertises, spanning-tree BPDUs, 802.1Q tags,
LLMNR/NBT-NS answers and ARP claims. Everything is dissected by scapy (``scapy.contrib.lldp``,
``scapy.contrib.cdp``, ``scapy.layers.dhcp``/``dhcp6``/``inet6``/``l2``/``llmnr``/
``netbios``); the only bytes read here are the payloads of two organisation-specific LLDP TLVs
scapy leaves opaque (IEEE 802.1 port VLAN ID and the LLDP-MED network policy, a few bytes
each, read with ``int.from_bytes``). Strings are hostile: every one is bounded.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field, replace

from scapy.contrib import cdp, lldp
from scapy.layers.dhcp import BOOTP, DHCP
from scapy.layers.dhcp6 import (
    DHCP6_Advertise,
    DHCP6OptDNSServers,
    DHCP6OptIAAddress,
    DHCP6OptIAPrefix,
)
from scapy.layers.inet import IP, UDP
from scapy.layers.inet6 import ICMPv6ND_RA, ICMPv6NDOptPrefixInfo, ICMPv6NDOptRDNSS, IPv6
from scapy.layers.l2 import ARP, STP, Dot1Q, Dot3, Ether
from scapy.layers.llmnr import LLMNRQuery, LLMNRResponse
from scapy.layers.netbios import NBNSHeader, NBNSQueryRequest, NBNSQueryResponse
from scapy.packet import Packet

from scanner.macvendor import normalise_mac
from scanner.segment.records import (
    ArpEvent,
    DhcpServer,
    Ipv6Router,
    LldpNeighbour,
    NameResponder,
    Segment,
    SpanningTree,
)
from scanner.textsafe import bounded, bounded_name

MAX_NEIGHBOURS = 16  # per protocol; a flood of fake neighbours cannot grow the record
MAX_SERVERS = 16
MAX_RESPONDERS = 256
MAX_VLANS = 64
MAX_MACS_PER_IP = 8
DOT1_OUI = 0x0080C2  # IEEE 802.1 organisationally specific TLVs
MED_OUI = 0x0012BB  # TIA LLDP-MED
MED_VOICE = 1  # LLDP-MED network policy application type "voice"

_LLDP_CAPABILITIES = (
    ("mac_bridge_enabled", "bridge"), ("router_enabled", "router"),
    ("wlan_access_point_enabled", "wlan-ap"), ("telephone_enabled", "telephone"),
    ("repeater_enabled", "repeater"), ("docsis_cable_device_enabled", "docsis"),
    ("station_only_enabled", "station"), ("other_enabled", "other"),
)
# CDP capability bits (Cisco's CDP specification).
_CDP_CAPABILITIES = ((0x01, "router"), (0x04, "bridge"), (0x08, "switch"), (0x10, "host"),
                     (0x80, "repeater"), (0x400, "telephone"), (0x02, "bridge"))


def _text(value: object, limit: int = 512) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    return bounded(value, limit).replace("\n", " ")


def _mac(value: object) -> str:
    if isinstance(value, bytes):
        value = value.hex() if len(value) == 6 else value.decode("latin-1", errors="replace")
    return normalise_mac(str(value)) or ""


def _source(packet: Packet) -> str:
    """The source MAC of an Ethernet II or an 802.3 frame (CDP and STP use 802.3)."""
    return _mac(getattr(packet, "src", ""))


def _ip_text(value: object) -> str:
    """An IPv4/IPv6 address as text, or "" for anything that is not one."""
    try:
        if isinstance(value, bytes) and len(value) in (4, 16):
            return str(ipaddress.ip_address(value))
        return str(ipaddress.ip_address(str(value)))
    except ValueError:
        return ""


def lldp_neighbour(packet: Packet) -> LldpNeighbour | None:
    """The neighbour one LLDP frame describes."""
    if lldp.LLDPDU not in packet:
        return None
    found: dict[str, object] = {"protocol": "lldp", "source_mac": _source(packet)}
    addresses: list[str] = []
    layer = packet[lldp.LLDPDU]
    while isinstance(layer, lldp.LLDPDU):
        if isinstance(layer, lldp.LLDPDUChassisID):
            found["chassis_id"] = (_mac(layer.id) if layer.subtype == 4
                                   else _text(layer.id, 255))
        elif isinstance(layer, lldp.LLDPDUPortID):
            found["port_id"] = (_mac(layer.id) if layer.subtype == 3 else _text(layer.id, 255))
        elif isinstance(layer, lldp.LLDPDUPortDescription):
            found["port_description"] = _text(layer.description, 255)
        elif isinstance(layer, lldp.LLDPDUSystemName):
            found["system_name"] = bounded_name(_text(layer.system_name, 255))
        elif isinstance(layer, lldp.LLDPDUSystemDescription):
            found["system_description"] = _text(layer.description)
        elif isinstance(layer, lldp.LLDPDUTimeToLive):
            found["ttl"] = int(layer.ttl)
        elif isinstance(layer, lldp.LLDPDUManagementAddress):
            address = _ip_text(layer.management_address)
            if address and len(addresses) < 8:
                addresses.append(address)
        elif isinstance(layer, lldp.LLDPDUSystemCapabilities):
            found["capabilities"] = tuple(name for attr, name in _LLDP_CAPABILITIES
                                          if getattr(layer, attr, 0))
        elif isinstance(layer, lldp.LLDPDUGenericOrganisationSpecific):
            _org_specific(layer, found)
        layer = layer.payload
    found["management_addresses"] = tuple(addresses)
    return LldpNeighbour(**found)  # type: ignore[arg-type]


def _org_specific(layer: Packet, found: dict[str, object]) -> None:
    """The two organisation-specific TLVs scapy leaves as bytes: port VLAN and voice VLAN."""
    data = bytes(layer.data or b"")
    if layer.org_code == DOT1_OUI and layer.subtype == 1 and len(data) >= 2:
        vlan = int.from_bytes(data[:2], "big")
        found["native_vlan"] = vlan if 0 < vlan < 4095 else None
    elif layer.org_code == MED_OUI and layer.subtype == 2 and len(data) >= 4:
        # ANSI/TIA-1057: application type (1 byte), then 24 bits: unknown, tagged and reserved
        # flags (1 bit each), VLAN ID (12), L2 priority (3), DSCP (6)
        if data[0] == MED_VOICE:
            vlan = (int.from_bytes(data[1:4], "big") >> 9) & 0x0FFF
            found["voice_vlan"] = vlan if 0 < vlan < 4095 else None


def cdp_neighbour(packet: Packet) -> LldpNeighbour | None:
    """The neighbour one CDP frame describes."""
    if cdp.CDPv2_HDR not in packet:
        return None
    found: dict[str, object] = {"protocol": "cdp", "source_mac": _source(packet)}
    addresses: list[str] = []
    for message in packet[cdp.CDPv2_HDR].msg or ():
        if isinstance(message, cdp.CDPMsgDeviceID):
            found["system_name"] = bounded_name(_text(message.val, 255))
        elif isinstance(message, cdp.CDPMsgPortID):
            found["port_id"] = _text(message.iface, 255)
        elif isinstance(message, cdp.CDPMsgSoftwareVersion):
            found["system_description"] = _text(message.val)
        elif isinstance(message, cdp.CDPMsgPlatform):
            found["platform"] = _text(message.val, 255)
        elif isinstance(message, cdp.CDPMsgNativeVLAN):
            found["native_vlan"] = int(message.vlan)
        elif isinstance(message, cdp.CDPMsgVoIPVLANReply):
            found["voice_vlan"] = int(message.vlan)
        elif isinstance(message, cdp.CDPMsgCapabilities):
            found["capabilities"] = tuple(dict.fromkeys(
                name for bit, name in _CDP_CAPABILITIES if int(message.cap) & bit))
        elif isinstance(message, (cdp.CDPMsgAddr, cdp.CDPMsgMgmtAddr)):
            for record in message.addr or ():
                address = _ip_text(getattr(record, "addr", ""))
                if address and address not in addresses and len(addresses) < 8:
                    addresses.append(address)
    found["management_addresses"] = tuple(addresses)
    return LldpNeighbour(**found)  # type: ignore[arg-type]


def dhcp_offer(packet: Packet, xid: int | None) -> DhcpServer | None:
    """The server behind a DHCP OFFER to our DISCOVER (``xid``; None accepts any)."""
    if DHCP not in packet or BOOTP not in packet:
        return None
    options = {opt[0]: opt[1:] for opt in packet[DHCP].options if isinstance(opt, tuple)}
    if options.get("message-type", (None,))[0] != 2:  # 2 = OFFER
        return None
    if xid is not None and packet[BOOTP].xid != xid:
        return None
    server = _ip_text(options.get("server_id", ("",))[0]) or _ip_text(packet[IP].src)
    domain = options.get("domain", (b"",))[0]
    lease = options.get("lease_time", (None,))[0]
    return DhcpServer(
        server_ip=server, server_mac=_source(packet),
        offered_ip=_ip_text(packet[BOOTP].yiaddr),
        subnet_mask=_ip_text(options.get("subnet_mask", ("",))[0]),
        routers=tuple(a for a in (_ip_text(r) for r in options.get("router", ())) if a)[:8],
        dns_servers=tuple(a for a in (_ip_text(r) for r in options.get("name_server", ()))
                          if a)[:8],
        domain=bounded_name(_text(domain, 255)).rstrip("\x00"),
        lease_seconds=int(lease) if isinstance(lease, int) else None)


def router_advertisement(packet: Packet) -> Ipv6Router | None:
    """An IPv6 router advertisement: who sent it, its prefixes and flags."""
    if ICMPv6ND_RA not in packet:
        return None
    ra = packet[ICMPv6ND_RA]
    prefixes, dns = [], []
    option = ra.payload
    while option is not None and len(option) and len(prefixes) < 16:
        if isinstance(option, ICMPv6NDOptPrefixInfo):
            prefixes.append(f"{option.prefix}/{option.prefixlen}")
        elif isinstance(option, ICMPv6NDOptRDNSS):
            dns.extend(str(a) for a in option.dns or ())
        option = option.payload
    return Ipv6Router(source=str(packet[IPv6].src), source_mac=_source(packet),
                      kind="ra", prefixes=tuple(prefixes), managed=bool(ra.M),
                      other=bool(ra.O), router_lifetime=int(ra.routerlifetime),
                      dns_servers=tuple(dns[:8]))


def dhcpv6_advertise(packet: Packet) -> Ipv6Router | None:
    """A DHCPv6 server's Advertise to our Solicit."""
    if DHCP6_Advertise not in packet:
        return None
    advertise = packet[DHCP6_Advertise]
    prefixes = [f"{p.prefix}/{p.plen}" for p in _layers(advertise, DHCP6OptIAPrefix)]
    prefixes += [f"{a.addr}/128" for a in _layers(advertise, DHCP6OptIAAddress)]
    dns = [str(a) for o in _layers(advertise, DHCP6OptDNSServers) for a in o.dnsservers or ()]
    return Ipv6Router(source=str(packet[IPv6].src), source_mac=_source(packet),
                      kind="dhcpv6", prefixes=tuple(prefixes[:16]), managed=True,
                      dns_servers=tuple(dns[:8]))


def _layers(packet: Packet, cls: type) -> list[Packet]:
    found = []
    index = 1
    while len(found) < 32:
        layer = packet.getlayer(cls, index)
        if layer is None:
            break
        found.append(layer)
        index += 1
    return found


def spanning_tree(packet: Packet) -> SpanningTree | None:
    """The root bridge and sender of a spanning-tree BPDU."""
    if STP not in packet:
        return None
    bpdu = packet[STP]
    root_mac = _mac(bpdu.rootmac)
    version = {0: "stp", 2: "rstp", 3: "mstp"}.get(int(bpdu.version), str(bpdu.version))
    return SpanningTree(root_bridge=f"{int(bpdu.rootid)}/{root_mac}", root_mac=root_mac,
                        root_priority=int(bpdu.rootid),
                        bridge_id=f"{int(bpdu.bridgeid)}/{_mac(bpdu.bridgemac)}",
                        root_path_cost=int(bpdu.pathcost), port_id=int(bpdu.portid),
                        version=version)


@dataclass
class SegmentCollector:
    """Accumulates what the frames say; :meth:`segment` gives the record."""

    own_macs: frozenset[str] = frozenset()  # the laptop's own frames are not evidence
    gateway: str | None = None
    dhcp_xid: int | None = None
    llmnr_ids: dict[int, tuple[str, bool]] = field(default_factory=dict)  # id -> (name, random)
    nbns_ids: dict[int, tuple[str, bool]] = field(default_factory=dict)
    frames: int = 0
    _lldp: dict[tuple[str, str, str], LldpNeighbour] = field(default_factory=dict)
    _dhcp: dict[tuple[str, str], DhcpServer] = field(default_factory=dict)
    _ipv6: dict[tuple[str, str], Ipv6Router] = field(default_factory=dict)
    _stp: SpanningTree | None = None
    _vlans: set[int] = field(default_factory=set)
    _names: dict[tuple[str, str], NameResponder] = field(default_factory=dict)
    _arp: dict[str, list[str]] = field(default_factory=dict)

    def add(self, packet: Packet) -> None:
        """Read one frame (anything unexpected or malformed is ignored)."""
        if Ether not in packet and Dot3 not in packet:
            return
        self.frames += 1
        if _source(packet) in self.own_macs:
            self._own_question(packet)
            return
        if Dot1Q in packet and len(self._vlans) < MAX_VLANS:
            self._vlans.add(int(packet[Dot1Q].vlan))
        for reader in (self._add_neighbour, self._add_dhcp, self._add_ipv6, self._add_stp,
                       self._add_names, self._add_arp):
            if reader(packet):
                return

    def heard(self, protocol: str) -> bool:
        """Whether a neighbour has spoken ``protocol`` ("lldp" or "cdp")."""
        return any(key[0] == protocol for key in self._lldp)

    def _own_question(self, packet: Packet) -> None:
        """A name query the laptop sent: read from a recording, its answers count too."""
        if LLMNRQuery in packet and packet[LLMNRQuery].qd:
            name = _text(packet[LLMNRQuery].qd[0].qname, 255).rstrip(".")
            self.llmnr_ids.setdefault(int(packet[LLMNRQuery].id), (name, False))
        elif NBNSHeader in packet and UDP in packet and packet[UDP].dport == 137:
            # scapy dissects only broadcast queries as such: a unicast one is re-read
            request = (packet[NBNSQueryRequest] if NBNSQueryRequest in packet
                       else NBNSQueryRequest(bytes(packet[NBNSHeader].payload)))
            name = _text(request.QUESTION_NAME, 32).strip()
            self.nbns_ids.setdefault(int(packet[NBNSHeader].NAME_TRN_ID), (name, False))

    def _add_neighbour(self, packet: Packet) -> bool:
        neighbour = lldp_neighbour(packet) or cdp_neighbour(packet)
        if neighbour is None:
            return False
        key = (neighbour.protocol, neighbour.chassis_id or neighbour.system_name,
               neighbour.port_id)
        if key in self._lldp or sum(1 for k in self._lldp if k[0] == key[0]) < MAX_NEIGHBOURS:
            self._lldp[key] = neighbour
        return True

    def _add_dhcp(self, packet: Packet) -> bool:
        offer = dhcp_offer(packet, self.dhcp_xid)
        if offer is None:
            return DHCP in packet
        if len(self._dhcp) < MAX_SERVERS:
            self._dhcp[(offer.server_ip, offer.server_mac)] = offer
        return True

    def _add_ipv6(self, packet: Packet) -> bool:
        router = router_advertisement(packet) or dhcpv6_advertise(packet)
        if router is None:
            return False
        if len(self._ipv6) < MAX_SERVERS:
            self._ipv6[(router.kind, router.source)] = router
        return True

    def _add_stp(self, packet: Packet) -> bool:
        bpdu = spanning_tree(packet)
        if bpdu is None:
            return False
        self._stp = bpdu
        return True

    def _add_names(self, packet: Packet) -> bool:
        if IP not in packet or UDP not in packet:
            return False
        if LLMNRResponse in packet:
            asked = self.llmnr_ids.get(int(packet[LLMNRResponse].id))
            if asked and packet[LLMNRResponse].ancount:
                self._responder(str(packet[IP].src), "llmnr", asked)
            return True
        if NBNSHeader in packet and NBNSQueryResponse in packet:
            asked = self.nbns_ids.get(int(packet[NBNSHeader].NAME_TRN_ID))
            if asked:
                self._responder(str(packet[IP].src), "nbt-ns", asked)
            return True
        return False

    def _responder(self, ip: str, protocol: str, asked: tuple[str, bool]) -> None:
        if len(self._names) < MAX_RESPONDERS:
            self._names[(ip, protocol)] = NameResponder(ip, protocol, bounded_name(asked[0]),
                                                        asked[1])

    def _add_arp(self, packet: Packet) -> bool:
        if ARP not in packet or packet[ARP].op not in (1, 2):
            return False
        ip, mac = str(packet[ARP].psrc), _mac(packet[ARP].hwsrc)
        if not mac or ip == "0.0.0.0" or mac in self.own_macs:  # noqa: S104 - ARP probe
            return True
        seen = self._arp.setdefault(ip, [])
        if mac not in seen and len(seen) < MAX_MACS_PER_IP and len(self._arp) < 4096:
            seen.append(mac)
        return True

    def segment(self, base: Segment | None = None) -> Segment:
        """The record of everything read so far (``base`` gives interface, asked, notes …)."""
        events = tuple(
            ArpEvent(ip, tuple(macs), "gateway_changed" if ip == self.gateway else "conflict")
            for ip, macs in sorted(self._arp.items()) if len(macs) > 1)
        return replace(
            base or Segment(), frames=self.frames,
            lldp=tuple(self._lldp.values()), dhcp_servers=tuple(self._dhcp.values()),
            ipv6_routers=tuple(self._ipv6.values()), stp=self._stp,
            vlan_tags=tuple(sorted(self._vlans)),
            name_responders=tuple(sorted(self._names.values(),
                                         key=lambda r: (r.ip, r.protocol))),
            arp_events=events)
