"""Lab topology: which namespaces exist, how they are wired, and their addresses.

The LAN hosts (addresses, MACs, host names) come from the ground truth in
``office.json`` so that the lab and the tests can never disagree about them.
The namespaces that are not scan targets (the switch, the scanner laptop and the
fake ISP) are defined here.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LAB_DIR = Path(__file__).resolve().parent
GROUND_TRUTH_FILE = LAB_DIR / "office.json"

NS_PREFIX = "swlab-"
SWITCH_NS = "swlab-sw"
LAPTOP_NS = "swlab-laptop"
ISP_NS = "swlab-isp"
FW_NS = "swlab-fw"
BRIDGE = "br0"

WAN_PREFIX_LEN = 30
ISP_MAC = "02:5e:10:00:00:01"  # locally administered: the "internet" has no vendor
FW_WAN_IFACE = "wan0"


@dataclass(frozen=True)
class Node:
    """One network namespace that has an interface on the LAN (or the WAN for the ISP)."""

    key: str  # short name: "fw", "dc", ..., "laptop", "isp"
    ns: str
    ip: str
    mac: str
    names: tuple[str, ...]  # DNS names (A+PTR in dnsmasq); empty for the laptop / ISP
    is_target: bool  # a LAN host the scanner is expected to find

    @property
    def fqdn(self) -> str | None:
        """Return the primary DNS name, or None."""
        return self.names[0] if self.names else None

    @property
    def hostname(self) -> str:
        """Return the short host name (UTS name inside the host's daemons)."""
        if self.fqdn:
            return self.fqdn.split(".", 1)[0]
        return self.key


def load_ground_truth() -> dict[str, Any]:
    """Read and return ``tests/lab/office.json``."""
    with GROUND_TRUTH_FILE.open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


@dataclass(frozen=True)
class Topology:
    """Everything needed to build the namespaces and their links."""

    lan: ipaddress.IPv4Network
    gateway: str
    domain: str
    isp_ip: str
    fw_wan_ip: str
    hosts: tuple[Node, ...]  # LAN targets, in ground-truth order
    laptop: Node
    isp: Node

    @property
    def lan_nodes(self) -> tuple[Node, ...]:
        """Return every namespace plugged into the LAN bridge (targets + laptop)."""
        return (*self.hosts, self.laptop)

    @property
    def all_namespaces(self) -> tuple[str, ...]:
        """Return all lab namespaces in creation order (switch first)."""
        return (SWITCH_NS, *(n.ns for n in self.lan_nodes), ISP_NS)

    def host(self, key: str) -> Node:
        """Return the LAN host with short name ``key``."""
        for node in self.hosts:
            if node.key == key:
                return node
        raise KeyError(key)

    def lan_cidr(self, ip: str) -> str:
        """Return ``ip`` with the LAN prefix length, e.g. ``192.168.77.1/24``."""
        return f"{ip}/{self.lan.prefixlen}"


def load_topology(truth: dict[str, Any] | None = None) -> Topology:
    """Build the :class:`Topology` from the ground truth."""
    truth = truth if truth is not None else load_ground_truth()
    hosts = tuple(
        Node(
            key=h["name"],
            ns=h["ns"],
            ip=h["ip"],
            mac=h["mac"],
            names=tuple(h["hostnames"]),
            is_target=True,
        )
        for h in truth["hosts"]
    )
    scanner = truth["scanner"]
    laptop = Node(
        key="laptop", ns=scanner["ns"], ip=scanner["ip"], mac=scanner["mac"],
        names=(), is_target=False,
    )
    isp = Node(
        key="isp", ns=ISP_NS, ip=truth["wan"]["isp_ip"], mac=ISP_MAC, names=(),
        is_target=False,
    )
    topo = Topology(
        lan=ipaddress.IPv4Network(truth["lan"]),
        gateway=truth["gateway"],
        domain=truth["domain"],
        isp_ip=truth["wan"]["isp_ip"],
        fw_wan_ip=truth["wan"]["fw_wan_ip"],
        hosts=hosts,
        laptop=laptop,
        isp=isp,
    )
    _validate(topo)
    return topo


def _validate(topo: Topology) -> None:
    """Refuse a ground truth that would put lab traffic outside the lab."""
    for node in topo.lan_nodes:
        if ipaddress.IPv4Address(node.ip) not in topo.lan:
            raise ValueError(f"{node.key}: {node.ip} is outside {topo.lan}")
        if not node.ns.startswith(NS_PREFIX):
            raise ValueError(f"{node.key}: namespace {node.ns!r} lacks prefix {NS_PREFIX!r}")
    wan = ipaddress.IPv4Network(f"{topo.isp_ip}/{WAN_PREFIX_LEN}", strict=False)
    if ipaddress.IPv4Address(topo.fw_wan_ip) not in wan:
        raise ValueError("fw WAN address and ISP address are not in the same /30")
    if topo.laptop.ns != LAPTOP_NS:
        raise ValueError(f"scanner namespace must be {LAPTOP_NS}")
