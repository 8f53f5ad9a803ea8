"""Which addresses are alive: ARP on the local segment (as root), nmap ping elsewhere.

Used by the full scan and by ``sitewalk discover``, the quick first look on arrival.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scanner.arp import arp_sweep
from scanner.netinfo import LocalAddress, interface_for, local_addresses
from scanner.nmap_scan import ping_sweep


@dataclass(frozen=True)
class LiveHost:
    """An address that answered, its MAC when on the local segment, and how it was found."""

    ip: str
    mac: str | None
    method: str  # "arp" or "ping"


def discover_hosts(addresses: list[str], privileged: bool,
                   on_error: Callable[[str], None] | None = None,
                   local: list[LocalAddress] | None = None) -> list[LiveHost]:
    """Live hosts among ``addresses``; ARP failures fall back to nmap ping and are reported."""
    local = local_addresses() if local is None else local
    on_link: dict[LocalAddress, list[str]] = {}
    elsewhere: list[str] = []
    for ip in addresses:
        link = interface_for(ip, local) if privileged else None
        if link and link.mac:
            on_link.setdefault(link, []).append(ip)
        else:
            elsewhere.append(ip)
    live: dict[str, LiveHost] = {}
    for link, ips in on_link.items():
        try:
            found = arp_sweep(ips, link)
        except OSError as exc:
            if on_error:
                on_error(f"ARP sweep on {link.interface} failed: {exc}; using nmap ping")
            elsewhere.extend(ips)
            continue
        live.update({ip: LiveHost(ip, mac, "arp") for ip, mac in found.items()})
    if elsewhere:
        for ip, mac in ping_sweep(elsewhere, privileged).items():
            live.setdefault(ip, LiveHost(ip, mac, "ping"))
    return [live[ip] for ip in sorted(live, key=lambda a: tuple(map(int, a.split("."))))]


@dataclass(frozen=True)
class FirstLookRow:
    """One live device in ``sitewalk discover``'s table."""

    ip: str
    mac: str | None
    vendor: str | None
    names: tuple[str, ...]
    method: str


def first_look(addresses: list[str], privileged: bool,
               on_error: Callable[[str], None] | None = None) -> list[FirstLookRow]:
    """Live hosts with MAC, vendor and reverse-DNS names: the look on arrival, in seconds."""
    from scanner.macvendor import vendor_for
    from scanner.names import reverse_dns

    live = discover_hosts(addresses, privileged, on_error)
    names = reverse_dns([h.ip for h in live], deadline_s=3.0)
    return [FirstLookRow(h.ip, h.mac, vendor_for(h.mac) if h.mac else None,
                         tuple(names.get(h.ip, ())), h.method) for h in live]
