"""This machine's own addresses and default route, read from iproute2 (``ip -j``).

Only reads local state; sends nothing. Inside a network namespace (``ip netns exec``) it sees
that namespace's interfaces, which is how the virtual office's laptop finds its LAN.
"""

from __future__ import annotations

import ipaddress
import json
import subprocess
from dataclasses import dataclass


@dataclass(frozen=True)
class LocalAddress:
    """One IPv4 address configured on one of this machine's interfaces."""

    interface: str
    ip: str
    prefixlen: int
    mac: str | None

    @property
    def network(self) -> ipaddress.IPv4Network:
        """The directly connected subnet of this address."""
        return ipaddress.IPv4Network(f"{self.ip}/{self.prefixlen}", strict=False)


@dataclass(frozen=True)
class DefaultRoute:
    """The default IPv4 route: where off-LAN traffic goes."""

    gateway: str
    interface: str


def _ip_json(*args: str) -> list[dict]:
    try:
        out = subprocess.run(["ip", "-j", *args], capture_output=True, text=True, timeout=10,
                             check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    try:
        data = json.loads(out or "[]")
    except json.JSONDecodeError:
        return []
    return data if isinstance(data, list) else []


def local_addresses() -> list[LocalAddress]:
    """Every IPv4 address on an interface that is up, loopback left out."""
    result = []
    for link in _ip_json("addr", "show", "up"):
        name = link.get("ifname", "")
        if name == "lo" or "LOOPBACK" in link.get("flags", []):
            continue
        mac = link.get("address")
        for info in link.get("addr_info", []):
            if info.get("family") == "inet" and info.get("local"):
                result.append(LocalAddress(name, info["local"], int(info.get("prefixlen", 32)),
                                           mac.lower() if mac else None))
    return result


def default_route() -> DefaultRoute | None:
    """The IPv4 default route, if there is one with a gateway."""
    for route in _ip_json("-4", "route", "show", "default"):
        if route.get("gateway") and route.get("dev"):
            return DefaultRoute(route["gateway"], route["dev"])
    return None


def interface_for(ip: str, addresses: list[LocalAddress]) -> LocalAddress | None:
    """The local address whose subnet contains ``ip`` (so ``ip`` is reachable by ARP)."""
    target = ipaddress.IPv4Address(ip)
    return next((a for a in addresses if target in a.network), None)
