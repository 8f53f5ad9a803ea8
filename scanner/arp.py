"""ARP discovery with scapy: finds every host on the local segment, even one that ignores ping.

Needs raw-socket privilege (root or CAP_NET_RAW); the caller falls back to nmap host
discovery without it. Only addresses inside the interface's own subnet are asked. The sweep
ends as soon as answers stop coming (a short quiet period), not after a fixed wait.
"""

from __future__ import annotations

import logging
import select
import time

from scanner.macvendor import normalise_mac
from scanner.netinfo import LocalAddress

# scapy warns on import about routes and IPv6 it cannot use; none of that matters here.
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)

QUIET_S = 0.3  # a round ends this long after the last answer (or the last request sent)
ROUNDS = 2  # the second round asks only the addresses still silent
MAX_SWEEP_S = 10.0  # hard bound on the whole sweep, whatever the network does
BROADCAST = "ff:ff:ff:ff:ff:ff"


def arp_sweep(addresses: list[str], link: LocalAddress, quiet_s: float = QUIET_S,
              rounds: int = ROUNDS) -> dict[str, str]:
    """Ask every address in ``addresses`` who has it on ``link``; ip -> MAC of those answering."""
    if not addresses:
        return {}
    from scapy.config import conf
    from scapy.layers.l2 import ARP, Ether

    found: dict[str, str] = {}
    pending = set(addresses)
    deadline = time.monotonic() + MAX_SWEEP_S
    sock = conf.L2socket(iface=link.interface, filter="arp")
    try:
        for _round in range(rounds):
            for ip in sorted(pending):
                sock.send(Ether(dst=BROADCAST, src=link.mac) /
                          ARP(op=1, hwsrc=link.mac, psrc=link.ip, pdst=ip))
            last = time.monotonic()
            while pending and time.monotonic() - last < quiet_s and time.monotonic() < deadline:
                ready, _, _ = select.select([sock], [], [], quiet_s)
                if not ready:
                    break
                packet = sock.recv()
                if packet is None or ARP not in packet or packet[ARP].op != 2:
                    continue
                ip, mac = packet[ARP].psrc, normalise_mac(packet[ARP].hwsrc)
                if ip in pending and mac:
                    found[ip] = mac
                    pending.discard(ip)
                    last = time.monotonic()
            if not pending or time.monotonic() >= deadline:
                break
    finally:
        sock.close()
    return found
