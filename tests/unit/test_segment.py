"""The segment record: frames recorded in the virtual office, read back with scapy.

``office-rogue.pcap`` was captured on the laptop's port of the virtual office while the
listener asked its questions (one DHCP DISCOVER, a router solicitation, a DHCPv6 Solicit,
LLMNR/NBT-NS queries): the firewall's DHCP server and the accounts PC sharing its connection
both answer, radvd advertises a prefix, the switch speaks CDP and spanning tree.
``office-quiet.pcap`` is the same office with the rogue DHCP server and radvd paused.
The switch is lldpd (LLDP with LLDP-MED, and CDP). The LLDP frames with a native VLAN, a
MAC chassis ID and a flood of neighbours are built here with scapy (IEEE 802.1AB TLVs).
"""

from __future__ import annotations

from pathlib import Path

from scapy.contrib import lldp
from scapy.layers.dns import DNSRR
from scapy.layers.inet import IP, UDP
from scapy.layers.l2 import ARP, Ether
from scapy.layers.llmnr import LLMNRResponse
from scapy.utils import rdpcap

from scanner.folder import validate
from scanner.model import Host, Inventory, inventory_from_dict, inventory_to_dict
from scanner.segment.devices import neighbour_hosts
from scanner.segment.parse import SegmentCollector, lldp_neighbour
from scanner.segment.records import Segment

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "segment"
LAPTOP_MAC = "e4:c7:67:4d:77:fa"
SWITCH_MAC = "00:1b:54:aa:bb:01"


def _read(name: str) -> Segment:
    collector = SegmentCollector(own_macs=frozenset({LAPTOP_MAC}), gateway="192.168.77.1")
    for packet in rdpcap(str(FIXTURES / name)):
        collector.add(packet)
    return collector.segment()


def _voice_policy(vlan: int) -> bytes:
    """ANSI/TIA-1057 network policy bits: tagged, VLAN, priority 5, DSCP 46."""
    return ((1 << 22) | (vlan << 9) | (5 << 6) | 46).to_bytes(3, "big")


def _lldp_frame(name: bytes = b"SW-OFFICE-01", chassis: str = SWITCH_MAC) -> Ether:
    """An LLDP frame as a switch sends it, read back from its bytes as the listener would."""
    return Ether(bytes(Ether(src=SWITCH_MAC, dst="01:80:c2:00:00:0e", type=0x88CC)
            / lldp.LLDPDUChassisID(subtype=4, id=chassis)
            / lldp.LLDPDUPortID(subtype=5, id=b"Gi1/0/12")
            / lldp.LLDPDUTimeToLive(ttl=120)
            / lldp.LLDPDUPortDescription(description=b"Office wall port 12\x07")
            / lldp.LLDPDUSystemName(system_name=name)
            / lldp.LLDPDUSystemDescription(description=b"Cisco IOS Software, C1000")
            / lldp.LLDPDUSystemCapabilities(mac_bridge_available=1, mac_bridge_enabled=1)
            / lldp.LLDPDUManagementAddress(management_address_subtype=1,
                                           management_address=bytes([10, 77, 0, 2]))
            # IEEE 802.1 port VLAN ID 10; LLDP-MED network policy: voice, VLAN 20
            / lldp.LLDPDUGenericOrganisationSpecific(org_code=0x0080C2, subtype=1,
                                                     data=(10).to_bytes(2, "big"))
            / lldp.LLDPDUGenericOrganisationSpecific(org_code=0x0012BB, subtype=2,
                                                     data=bytes([1]) + _voice_policy(20))
            / lldp.LLDPDUEndOfLLDPDU()))


def test_the_rogue_office_shows_two_dhcp_servers_and_the_pc_s_ipv6() -> None:
    segment = _read("office-rogue.pcap")
    servers = {s.server_ip: s for s in segment.dhcp_servers}
    assert set(servers) == {"192.168.77.1", "192.168.77.102"}
    assert servers["192.168.77.1"].routers == ("192.168.77.1",)
    assert servers["192.168.77.1"].domain == "office.lan"
    assert servers["192.168.77.102"].routers == ("192.168.77.102",)
    assert servers["192.168.77.102"].server_mac == "64:4e:d7:2b:77:66"
    assert servers["192.168.77.102"].lease_seconds == 3600
    kinds = {r.kind: r for r in segment.ipv6_routers}
    assert kinds["ra"].prefixes == ("2001:db8:77::/64",)
    assert kinds["ra"].managed is False and kinds["ra"].other is True
    assert kinds["ra"].source_mac == "64:4e:d7:2b:77:66"
    assert kinds["dhcpv6"].dns_servers == ("2001:db8:77::102",)


def test_the_switch_speaks_cdp_and_spanning_tree() -> None:
    segment = _read("office-rogue.pcap")
    (switch,) = [n for n in segment.lldp if n.protocol == "cdp"]
    assert switch.system_name == "SW-OFFICE-01"
    assert switch.platform == "Cisco Catalyst C1000-24P-4G-L"
    assert switch.port_id == "Office wall port 12"
    assert switch.management_addresses == ("10.77.0.2",)
    assert "switch" in switch.capabilities
    assert segment.stp is not None and segment.stp.root_priority == 32768
    assert segment.stp.version == "stp"


def test_the_switch_s_own_lldp_agent_names_the_laptop_s_port_and_voice_vlan() -> None:
    (switch,) = [n for n in _read("office-rogue.pcap").lldp if n.protocol == "lldp"]
    assert (switch.system_name, switch.port_id, switch.port_description) == (
        "SW-OFFICE-01", "v-laptop", "Office wall port 12")
    assert switch.voice_vlan == 20 and switch.capabilities == ("bridge",)
    assert switch.management_addresses == ("10.77.0.2",)


def test_hosts_answering_their_own_name_are_responders() -> None:
    segment = _read("office-rogue.pcap")
    answered = {(r.ip, r.protocol) for r in segment.name_responders}
    assert answered == {("192.168.77.101", "llmnr"), ("192.168.77.101", "nbt-ns"),
                        ("192.168.77.10", "nbt-ns")}
    assert not any(r.random_name for r in segment.name_responders)


def test_the_quiet_office_has_one_dhcp_server_and_no_ipv6_router() -> None:
    segment = _read("office-quiet.pcap")
    assert [s.server_ip for s in segment.dhcp_servers] == ["192.168.77.1"]
    assert segment.ipv6_routers == ()
    assert segment.arp_events == ()


def test_an_lldp_frame_names_the_switch_port_and_vlans() -> None:
    neighbour = lldp_neighbour(_lldp_frame())
    assert neighbour is not None
    assert (neighbour.system_name, neighbour.chassis_id, neighbour.port_id) == (
        "SW-OFFICE-01", SWITCH_MAC, "Gi1/0/12")
    assert neighbour.port_description == "Office wall port 12"  # control character dropped
    assert neighbour.management_addresses == ("10.77.0.2",)
    assert neighbour.capabilities == ("bridge",)
    assert (neighbour.native_vlan, neighbour.voice_vlan) == (10, 20)


def test_a_random_name_answered_marks_a_poisoner_and_arp_conflicts_are_seen() -> None:
    collector = SegmentCollector(own_macs=frozenset({LAPTOP_MAC}), gateway="192.168.77.1")
    collector.llmnr_ids[4242] = ("swzz9q", True)
    collector.add(Ether(bytes(
        Ether(src="02:00:00:00:00:66") / IP(src="192.168.77.66", dst="192.168.77.250")
        / UDP(sport=5355, dport=40000)
        / LLMNRResponse(id=4242, qr=1, an=[DNSRR(rrname="swzz9q", rdata="1.2.3.4")]))))
    for mac in ("7c:5a:1c:3e:77:01", "02:00:00:00:00:66"):
        collector.add(Ether(src=mac) / ARP(op=2, psrc="192.168.77.1", hwsrc=mac))
    segment = collector.segment()
    assert [(r.ip, r.random_name) for r in segment.name_responders] == [("192.168.77.66", True)]
    (event,) = segment.arp_events
    assert event.kind == "gateway_changed" and len(event.macs) == 2


def test_a_flood_of_neighbours_is_bounded() -> None:
    collector = SegmentCollector()
    for index in range(200):
        collector.add(_lldp_frame(f"fake-{index}".encode(),
                                  f"00:1b:54:aa:{index // 256:02x}:{index % 256:02x}"))
    assert len(collector.segment().lldp) == 16


def test_the_segment_round_trips_and_validates(tmp_path: Path) -> None:
    segment = _read("office-rogue.pcap")
    inventory = Inventory(client="X", targets=("192.168.77.0/24",), segment=segment)
    hosts = neighbour_hosts(segment, {})
    inventory = inventory.with_hosts(list(hosts.values()))
    data = inventory_to_dict(inventory)
    validate(data, "scanner", "inventory.schema.json", tmp_path / "x.json")
    again = inventory_from_dict(data)
    assert again.segment == segment
    assert again.hosts == inventory.hosts


def test_a_switch_heard_by_lldp_and_cdp_is_one_device_even_without_a_reachable_ip() -> None:
    segment = _read("office-rogue.pcap")
    lldp_only = lldp_neighbour(_lldp_frame())
    assert lldp_only is not None
    cdp = [n for n in segment.lldp if n.protocol == "cdp"]
    both = Segment(lldp=(*cdp, lldp_only))
    hosts = neighbour_hosts(both, {"192.168.77.1": Host(ip="192.168.77.1")})
    switches = [h for h in hosts.values() if h.device_class == "switch"]
    assert len(switches) == 1
    (switch,) = switches
    assert switch.ip == "10.77.0.2" and switch.hostnames == ("SW-OFFICE-01",)
    assert switch.switch_port.startswith("Gi1/0/12")
    assert switch.model == "Cisco Catalyst C1000-24P-4G-L"  # CDP's platform completes LLDP


def test_older_inventories_load_without_a_segment() -> None:
    assert inventory_from_dict({"client": "X", "targets": [], "hosts": []}).segment is None


def test_the_listener_never_starts_off_the_scanned_segment() -> None:
    from scanner.netinfo import LocalAddress
    from scanner.segment.scan import start_listening

    link = LocalAddress("eth0", "192.168.77.250", 24, LAPTOP_MAC)
    not_root = start_listening(link, "192.168.77.1", "standard", False, ["192.168.77.1"])
    elsewhere = start_listening(link, "192.168.77.1", "standard", True, ["127.0.0.1", "10.0.0.5"])
    no_link = start_listening(None, None, "standard", True, ["192.168.77.1"])
    for skipped in (not_root, elsewhere, no_link):
        assert isinstance(skipped, Segment) and skipped.asked == () and skipped.notes
    assert "own segment" in elsewhere.notes[0]
