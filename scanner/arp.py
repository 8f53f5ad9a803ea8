"""ARP discovery with scapy: finds every host on the local segment, even one that ignores ping.

Needs raw-socket privilege (root or CAP_NET_RAW); the caller falls back to nmap host
discovery without it. Only addresses inside the interface's own subnet are asked.
"""

from __future__ import annotations

import logging

from scanner.macvendor import normalise_mac

# scapy warns on import about routes and IPv6 it cannot use; none of that matters here.
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)


def arp_sweep(addresses: list[str], interface: str, timeout: float = 0.8) -> dict[str, str]:
    """Ask every address in ``addresses`` who has it; ip -> MAC for each that answered.

    One broadcast round, then up to two re-sends for the addresses still silent; each round
    waits at most ``timeout`` seconds after its last packet, so the whole sweep is bounded.
    """
    if not addresses:
        return {}
    from scapy.layers.l2 import ARP, Ether
    from scapy.sendrecv import srp

    answered, _unanswered = srp(
        Ether(dst="ff:ff:ff:ff:ff:ff") / ARP(pdst=addresses),
        iface=interface, timeout=timeout, retry=-2, verbose=False,
    )
    found: dict[str, str] = {}
    for _sent, reply in answered:
        mac = normalise_mac(reply[ARP].hwsrc)
        if mac and reply[ARP].psrc in addresses:
            found[reply[ARP].psrc] = mac
    return found
