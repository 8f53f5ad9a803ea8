"""ARP discovery: finds every host on the local segment, even one that ignores ping.

scapy builds the request and reads the replies; the sending and receiving stay a plain raw
packet socket loop (root or CAP_NET_RAW; the caller falls back to nmap host discovery
without it), because scapy's own ``srp`` is far too slow for this: measured on the lab
machine, building one frame with scapy costs ~0.7 ms (45 s for a /16) and ``srp`` adds its
own per-packet overhead, while discovery must stay under half of ``nmap -sn``. So scapy builds
*one* request per sweep, and each address's frame is that template with its 4 target-address
bytes set; a reply is dissected by scapy only after a two-byte check that it is an ARP reply
(the socket also sees our own requests going out).

Only addresses inside the interface's own subnet are asked. The sweep ends as soon as answers
stop coming (a short quiet period), not after a fixed wait, and never runs longer than
:data:`MAX_SWEEP_S`.
"""

from __future__ import annotations

import select
import socket
import time

from scapy.layers.l2 import ARP, Ether

from scanner.macvendor import normalise_mac
from scanner.netinfo import LocalAddress

QUIET_S = 0.2  # a round ends this long after the last answer (or the last request sent)
ROUNDS = 2  # the second round asks only the addresses still silent
MAX_SWEEP_S = 10.0  # hard bound on the whole sweep, whatever the network does
MAX_FRAMES = 20000  # frames read per sweep at most (a flood cannot keep us here)
ETH_P_ARP = 0x0806
TARGET_OFFSET = 14 + 24  # Ethernet header, then the ARP fields before the target address


def request_template(src_mac: str, src_ip: str) -> bytes:
    """An Ethernet broadcast ARP who-has from us, built by scapy, target address 0.0.0.0."""
    return bytes(Ether(src=src_mac, dst="ff:ff:ff:ff:ff:ff")
                 / ARP(op=1, hwsrc=src_mac, psrc=src_ip, hwdst="00:00:00:00:00:00",
                       pdst="0.0.0.0"))  # noqa: S104 - the target is set per address


def request_frame(template: bytes, target_ip: str) -> bytes:
    """The template with its target protocol address (the last 4 bytes of ARP) set."""
    return template[:TARGET_OFFSET] + socket.inet_aton(target_ip) + template[TARGET_OFFSET + 4:]


def parse_reply(frame: bytes) -> tuple[str, str] | None:
    """(sender IP, sender MAC) of an Ethernet ARP reply, or None for anything else."""
    if len(frame) < 42 or frame[12:14] != b"\x08\x06" or frame[20:22] != b"\x00\x02":
        return None  # not an ARP reply: cheap to refuse before scapy dissects anything
    packet = Ether(frame)
    if ARP not in packet:
        return None
    arp = packet[ARP]
    if (arp.hwtype, arp.ptype, arp.hwlen, arp.plen) != (1, 0x0800, 6, 4):
        return None
    mac = normalise_mac(str(arp.hwsrc))
    return (str(arp.psrc), mac) if mac else None


def arp_sweep(addresses: list[str], link: LocalAddress, quiet_s: float = QUIET_S,
              rounds: int = ROUNDS) -> dict[str, str]:
    """Ask every address in ``addresses`` who has it on ``link``; ip -> MAC of those answering."""
    if not addresses or not link.mac:
        return {}
    found: dict[str, str] = {}
    pending = set(addresses)
    deadline = time.monotonic() + MAX_SWEEP_S
    frames = 0
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ARP))
    try:
        sock.bind((link.interface, ETH_P_ARP))
        sock.setblocking(False)
        template = request_template(link.mac, link.ip)
        for _round in range(rounds):
            for ip in sorted(pending):
                sock.send(request_frame(template, ip))
            last = time.monotonic()
            while (pending and frames < MAX_FRAMES and time.monotonic() - last < quiet_s
                   and time.monotonic() < deadline):
                ready, _, _ = select.select([sock], [], [], quiet_s)
                if not ready:
                    break
                try:
                    frame = sock.recv(2048)
                except BlockingIOError:
                    continue
                frames += 1
                answer = parse_reply(frame)
                if answer and answer[0] in pending:
                    found[answer[0]] = answer[1]
                    pending.discard(answer[0])
                    last = time.monotonic()
            if not pending or time.monotonic() >= deadline:
                break
    finally:
        sock.close()
    return found
