"""Build the lab's namespaces and links; nothing of it ever sits in the root namespace.

* ``swlab-sw`` holds the bridge ``br0``; every LAN veth pair is created *inside*
  it, with the peer created directly in the host namespace as ``eth0``.
* ``swlab-fw`` and ``swlab-isp`` share a /30 over a veth pair created inside
  ``swlab-fw`` (``wan0`` there, ``eth0`` at the ISP). The ISP has no default
  route, so traffic that leaves the LAN dies at the ISP.
* No lab interface is ever linked to a real interface of the machine.
"""

from __future__ import annotations

import socket

from . import netns
from .state import LabState
from .topology import BRIDGE, FW_NS, FW_WAN_IFACE, SWITCH_NS, WAN_PREFIX_LEN, Node, Topology

COMMON_SYSCTLS = (
    # IPv4 only: keeps scans deterministic and avoids DAD/router-solicitation chatter.
    ("net.ipv6.conf.all.disable_ipv6", "1"),
    ("net.ipv6.conf.default.disable_ipv6", "1"),
)
HOST_SYSCTLS = (
    ("net.ipv4.icmp_ratelimit", "0"),  # fast ping and UDP scans (no ICMP rate limit)
)


def _etc_files(topo: Topology, node: Node | None) -> dict[str, str]:
    """Return the /etc/netns/NS files: the lab resolver and a minimal hosts file."""
    resolv = (f"nameserver {topo.gateway}\nsearch {topo.domain}\n"
              "options timeout:1 attempts:2\n")
    hosts = f"127.0.0.1\tlocalhost\n127.0.1.1\t{socket.gethostname()}\n"
    if node is not None and node.names:
        hosts += f"{node.ip}\t{' '.join(node.names)}\t{node.hostname}\n"
    return {"resolv.conf": resolv, "hosts": hosts}


def create_namespaces(topo: Topology, state: LabState) -> None:
    """Create every lab namespace (recording each one first) with its /etc overrides."""
    if not netns.NETNS_ETC.exists():
        state.created_netns_etc = True
    by_ns = {n.ns: n for n in (*topo.lan_nodes, topo.isp)}
    for ns in topo.all_namespaces:
        state.namespaces.append(ns)
        state.etc_dirs.append(str(netns.etc_dir(ns)))
        state.save()
        netns.write_etc_files(ns, _etc_files(topo, by_ns.get(ns)))
        netns.add_namespace(ns)
        for key, value in COMMON_SYSCTLS:
            netns.sysctl(ns, key, value)
        if ns != SWITCH_NS:
            for key, value in HOST_SYSCTLS:
                netns.sysctl(ns, key, value)


def wire_lan(topo: Topology) -> None:
    """Create the bridge and plug every LAN node into it."""
    netns.ip(SWITCH_NS, "link", "add", BRIDGE, "type", "bridge", "stp_state", "0")
    netns.ip(SWITCH_NS, "link", "set", BRIDGE, "up")
    for node in topo.lan_nodes:
        port = f"v-{node.key}"
        netns.ip(SWITCH_NS, "link", "add", port, "type", "veth",
                 "peer", "name", "eth0", "netns", node.ns)
        netns.ip(SWITCH_NS, "link", "set", port, "master", BRIDGE, "up")
        netns.ip(node.ns, "link", "set", "eth0", "address", node.mac)
        netns.ip(node.ns, "addr", "add", topo.lan_cidr(node.ip), "dev", "eth0")
        netns.ip(node.ns, "link", "set", "eth0", "up")
        if node.ip != topo.gateway:
            netns.ip(node.ns, "route", "add", "default", "via", topo.gateway)


def wire_wan(topo: Topology) -> None:
    """Link the firewall to the fake ISP and route the firewall's default there."""
    fw = topo.host("fw")
    isp = topo.isp
    wan_mac = fw.mac[:-2] + f"{(int(fw.mac[-2:], 16) + 1) % 256:02x}"  # the fw's 2nd port
    netns.ip(FW_NS, "link", "add", FW_WAN_IFACE, "type", "veth",
             "peer", "name", "eth0", "netns", isp.ns)
    netns.ip(FW_NS, "link", "set", FW_WAN_IFACE, "address", wan_mac)
    netns.ip(FW_NS, "addr", "add", f"{topo.fw_wan_ip}/{WAN_PREFIX_LEN}", "dev", FW_WAN_IFACE)
    netns.ip(FW_NS, "link", "set", FW_WAN_IFACE, "up")
    netns.ip(isp.ns, "link", "set", "eth0", "address", isp.mac)
    netns.ip(isp.ns, "addr", "add", f"{isp.ip}/{WAN_PREFIX_LEN}", "dev", "eth0")
    netns.ip(isp.ns, "link", "set", "eth0", "up")
    netns.ip(FW_NS, "route", "add", "default", "via", isp.ip)
    netns.sysctl(FW_NS, "net.ipv4.ip_forward", "1")


def build(topo: Topology, state: LabState) -> None:
    """Create all namespaces and links of the office."""
    create_namespaces(topo, state)
    wire_lan(topo)
    wire_wan(topo)
