"""The listener: a thread that hears the laptop's segment for the whole scan, and asks a little.

It opens one scapy L2 listening socket on the scan interface with a kernel BPF filter (compiled
by libpcap through scapy), so only the few frames that matter reach Python: LLDP, CDP and
spanning-tree multicasts, ARP, DHCP, LLMNR, NBT-NS, ICMPv6 and DHCPv6, and 802.1Q-tagged
frames. The port sweep's thousands of answers never wake it, so it costs the sweep nothing.

What it asks, once each, at the start (scapy builds every message):

* one LLDP-MED announcement of the laptop itself: an LLDP-MED switch answers it at once (its
  fast start), so the scan need not wait for the switch's 30 s interval;
* one DHCP DISCOVER with the laptop's own MAC and the broadcast flag; every OFFER is kept.
  Never a REQUEST: no lease is taken, the offered address stays free.
* one ICMPv6 router solicitation and one DHCPv6 Solicit (no Request follows), from the
  link-local address derived from the laptop's MAC;
* one LLMNR query (multicast) and one NBT-NS query (broadcast) for a random name nobody has:
  whoever answers it is a name poisoner (Responder and the like).

At the end of the scan :meth:`SegmentListener.ask_names` asks each host for its own name by
LLMNR and NBT-NS (unicast): whoever answers resolves names that way too, and can be poisoned.

Bounds: at most :data:`MAX_FRAMES` frames and :data:`MAX_LISTEN_S` seconds, whatever the
network does. ``stop`` waits until ``min_listen_s`` have passed since the start (switches send
LLDP every 30 s) unless a switch has already spoken LLDP — a standard scan usually runs
longer, and then it does not wait at all.
"""

from __future__ import annotations

import ipaddress
import random
import select
import socket
import string
import threading
import time
from dataclasses import replace

from scapy.config import conf
from scapy.contrib import lldp
from scapy.layers.dhcp import BOOTP, DHCP
from scapy.layers.dhcp6 import (
    DUID_LL,
    DHCP6_Solicit,
    DHCP6OptClientId,
    DHCP6OptElapsedTime,
    DHCP6OptIA_NA,
)
from scapy.layers.dns import DNSQR
from scapy.layers.inet import IP, UDP
from scapy.layers.inet6 import ICMPv6ND_RS, ICMPv6NDOptSrcLLAddr, IPv6
from scapy.layers.l2 import Ether
from scapy.layers.llmnr import LLMNRQuery
from scapy.layers.netbios import NBNSHeader, NBNSQueryRequest
from scapy.packet import Packet
from scapy.utils6 import in6_mactoifaceid

from scanner.segment.parse import MED_OUI, SegmentCollector
from scanner.segment.records import Segment

LLDP_INTERVAL_S = 30.0  # IEEE 802.1AB's default msgTxInterval; CDP sends every 60 s
MAX_LISTEN_S = 4 * 3600.0
MAX_FRAMES = 20000
MAX_NAME_QUERIES = 512  # hosts asked for their own name at the end, at most
NAME_WAIT_S = 0.5  # how long answers to the name queries are awaited
POLL_S = 0.25
# LLDP-MED capabilities TLV of a class I endpoint: capabilities "LLDP-MED capabilities" only,
# device type 1 (ANSI/TIA-1057 10.2.2).
MED_CLASS_I_CAPABILITIES = b"\x00\x01\x01"
LLMNR_GROUP = "224.0.0.252"
LLMNR_PORT = 5355
NBNS_PORT = 137
# The frames worth reading (libpcap syntax). "vlan" comes last: it shifts the offsets of
# whatever follows it.
CAPTURE_FILTER = (
    "ether proto 0x88cc or ether dst 01:80:c2:00:00:00 or "
    "ether dst 01:80:c2:00:00:03 or ether dst 01:00:0c:cc:cc:cc or arp or "
    "(udp and (port 67 or port 68 or port 5355 or port 137)) or "
    "(ip6 and (icmp6 or udp port 546 or udp port 547)) or vlan"
)


def random_name(length: int = 12) -> str:
    """A name no host has (the poisoner test asks for it)."""
    return "sw" + "".join(random.choices(string.ascii_lowercase + string.digits, k=length))


def link_local(mac: str) -> str:
    """The laptop's IPv6 link-local address (modified EUI-64 of its MAC)."""
    return "fe80::" + in6_mactoifaceid(mac)


class SegmentListener:
    """Listens on ``interface`` in a thread from :meth:`start` to :meth:`stop`."""

    def __init__(self, interface: str, mac: str, ip: str | None, gateway: str | None,
                 broadcast: str | None = None, min_listen_s: float = LLDP_INTERVAL_S,
                 ask: bool = True) -> None:
        self.interface = interface
        self.mac = mac.lower()
        self.ip = ip
        self.broadcast = broadcast
        self.min_listen_s = min_listen_s
        self.ask = ask
        self.collector = SegmentCollector(own_macs=frozenset({self.mac}), gateway=gateway,
                                          dhcp_xid=random.getrandbits(32))
        self.asked: list[str] = []
        self.notes: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._socket: object | None = None
        self._udp: socket.socket | None = None
        self._started = 0.0

    # -- lifecycle ---------------------------------------------------------------

    def start(self) -> None:
        """Open the socket, start the thread, ask the first questions."""
        self._started = time.monotonic()
        try:
            self._socket = conf.L2listen(iface=self.interface, filter=CAPTURE_FILTER)
        except Exception as exc:  # no libpcap, no privilege, no interface: say why
            self.notes.append(f"could not listen on {self.interface}: {exc}")
            return
        self._thread = threading.Thread(target=self._run, name="segment-listener", daemon=True)
        self._thread.start()
        if self.ask:
            self._ask_segment()

    def stop(self) -> Segment:
        """Wait out ``min_listen_s`` (if the scan was shorter) unless a switch has already
        spoken LLDP (it would only repeat itself), stop, return the record."""
        if self._thread is not None:
            deadline = self._started + min(self.min_listen_s, MAX_LISTEN_S)
            while time.monotonic() < deadline and not self._heard_lldp():
                self._stop.wait(min(POLL_S, max(0.0, deadline - time.monotonic())))
            self._stop.set()
            self._thread.join(timeout=5.0)
        self._close()
        listened = round(time.monotonic() - self._started, 1) if self._started else 0.0
        if self._thread is not None and listened < LLDP_INTERVAL_S:
            self.notes.append(f"listened {listened:.0f} s, less than the {LLDP_INTERVAL_S:.0f} s "
                              "LLDP interval: a switch may not have announced itself")
        with self._lock:
            return self.collector.segment(Segment(
                interface=self.interface, listened_s=listened, asked=tuple(self.asked),
                notes=tuple(self.notes)))

    def _heard_lldp(self) -> bool:
        with self._lock:
            return self.collector.heard("lldp")

    def _close(self) -> None:
        for closable in (self._socket, self._udp):
            try:
                if closable is not None:
                    closable.close()  # type: ignore[attr-defined]
            except OSError:
                pass
        self._socket = self._udp = None

    def _run(self) -> None:
        sock = self._socket
        deadline = self._started + MAX_LISTEN_S
        while not self._stop.is_set() and time.monotonic() < deadline:
            if self.collector.frames >= MAX_FRAMES:
                self.notes.append(f"stopped listening after {MAX_FRAMES} frames")
                return
            try:
                ready, _, _ = select.select([sock], [], [], POLL_S)
                if not ready:
                    continue
                packet = sock.recv()  # type: ignore[attr-defined]
            except (OSError, ValueError):
                return  # the socket was closed by stop()
            except Exception:  # noqa: BLE001 - a frame scapy cannot dissect is skipped
                continue
            if packet is not None:
                with self._lock:
                    try:
                        self.collector.add(packet)
                    except Exception:  # noqa: BLE001, S112 - hostile frame: skip it
                        continue

    # -- questions ---------------------------------------------------------------

    def _send_l2(self, frames: list[Packet]) -> None:
        sender = conf.L2socket(iface=self.interface)
        try:
            for frame in frames:
                sender.send(frame)
        finally:
            sender.close()

    def _ask_segment(self) -> None:
        mac_bytes = bytes.fromhex(self.mac.replace(":", ""))
        own_ll = link_local(self.mac)
        discover = (Ether(src=self.mac, dst="ff:ff:ff:ff:ff:ff")
                    / IP(src="0.0.0.0", dst="255.255.255.255")  # noqa: S104 - DHCP client
                    / UDP(sport=68, dport=67)
                    / BOOTP(chaddr=mac_bytes, xid=self.collector.dhcp_xid, flags=0x8000)
                    / DHCP(options=[("message-type", "discover"),
                                    ("param_req_list", [1, 3, 6, 15, 51, 54]), "end"]))
        solicit_rs = (Ether(src=self.mac, dst="33:33:00:00:00:02")
                      / IPv6(src=own_ll, dst="ff02::2") / ICMPv6ND_RS()
                      / ICMPv6NDOptSrcLLAddr(lladdr=self.mac))
        solicit6 = (Ether(src=self.mac, dst="33:33:00:01:00:02")
                    / IPv6(src=own_ll, dst="ff02::1:2") / UDP(sport=546, dport=547)
                    / DHCP6_Solicit(trid=random.getrandbits(24))
                    / DHCP6OptElapsedTime()
                    / DHCP6OptClientId(duid=DUID_LL(lladdr=self.mac))
                    / DHCP6OptIA_NA(iaid=random.getrandbits(32)))
        # One LLDP-MED announcement of the laptop (a class I endpoint, as an IP phone or a PC
        # running lldpd sends): an LLDP-MED switch answers with its fast start (LLDPDUs every
        # second for a few seconds) instead of making us wait for its 30 s interval.
        announce = (Ether(src=self.mac, dst="01:80:c2:00:00:0e", type=0x88CC)
                    / lldp.LLDPDUChassisID(subtype=4, id=self.mac)
                    / lldp.LLDPDUPortID(subtype=3, id=self.mac)
                    / lldp.LLDPDUTimeToLive(ttl=120)
                    / lldp.LLDPDUSystemName(system_name=b"sitewalk")
                    / lldp.LLDPDUSystemCapabilities(station_only_available=1,
                                                    station_only_enabled=1)
                    / lldp.LLDPDUGenericOrganisationSpecific(
                        org_code=MED_OUI, subtype=1, data=MED_CLASS_I_CAPABILITIES)
                    / lldp.LLDPDUEndOfLLDPDU())
        try:
            self._send_l2([announce, discover, solicit_rs, solicit6])
            self.asked.extend(("lldp-med", "dhcp", "rs", "dhcpv6"))
        except OSError as exc:
            self.notes.append(f"could not send the DHCP/IPv6 questions: {exc}")
        self._ask_random_name()

    def _udp_socket(self) -> socket.socket | None:
        if self._udp is None and self.ip:
            try:
                udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                udp.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
                udp.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
                udp.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                               socket.inet_aton(self.ip))
                udp.bind((self.ip, 0))
                self._udp = udp
            except OSError as exc:
                self.notes.append(f"could not ask names: {exc}")
        return self._udp

    def _ask_random_name(self) -> None:
        udp = self._udp_socket()
        if udp is None:
            return
        name = random_name()
        try:
            udp.sendto(bytes(self._llmnr_query(name, True)), (LLMNR_GROUP, LLMNR_PORT))
            self.asked.append("llmnr")
            if self.broadcast:
                udp.sendto(bytes(self._nbns_query(name[:15], True, broadcast=True)),
                           (self.broadcast, NBNS_PORT))
                self.asked.append("nbt-ns")
        except OSError as exc:
            self.notes.append(f"could not ask a random name: {exc}")

    def _llmnr_query(self, name: str, made_up: bool) -> Packet:
        query_id = random.getrandbits(16)
        with self._lock:
            self.collector.llmnr_ids[query_id] = (name, made_up)
        return LLMNRQuery(id=query_id, qd=DNSQR(qname=name, qtype="A"))

    def _nbns_query(self, name: str, made_up: bool, broadcast: bool = False) -> Packet:
        query_id = random.getrandbits(16)
        with self._lock:
            self.collector.nbns_ids[query_id] = (name, made_up)
        flags = 0x11 if broadcast else 0x10  # RD, plus B for a broadcast query
        # SUFFIX 0x4141 is <00>, the workstation name, in NetBIOS first-level encoding
        return (NBNSHeader(NAME_TRN_ID=query_id, NM_FLAGS=flags)
                / NBNSQueryRequest(QUESTION_NAME=name.upper(), SUFFIX=0x4141))

    def ask_names(self, names: list[tuple[str, str, str]]) -> None:
        """Ask each (ip, host name, NetBIOS name) for its own name by LLMNR and NBT-NS."""
        udp = self._udp_socket() if self._thread is not None else None
        if udp is None:
            return
        sent = False
        for ip, host_name, netbios in names[:MAX_NAME_QUERIES]:
            try:
                ipaddress.IPv4Address(ip)
                if host_name:
                    udp.sendto(bytes(self._llmnr_query(host_name, False)), (ip, LLMNR_PORT))
                    sent = True
                if netbios:
                    udp.sendto(bytes(self._nbns_query(netbios[:15], False)), (ip, NBNS_PORT))
                    sent = True
            except (OSError, ValueError):
                continue
        if sent:
            self.asked[:] = list(dict.fromkeys([*self.asked, "llmnr-hosts", "nbt-ns-hosts"]))
            time.sleep(NAME_WAIT_S)


def skipped(reason: str) -> Segment:
    """The record of a scan that did not listen, and why."""
    return replace(Segment(), notes=(reason,))
