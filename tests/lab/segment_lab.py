"""The wire under the laptop in the virtual office: what the segment itself says.

Additive to the office (its own functions, called once from ``office.py``):

* the switch ``swlab-sw`` runs **lldpd** (LLDP, and CDP forced) on its ports, as a managed
  switch's own agent does: system name, model, a management address on a management VLAN the
  laptop cannot reach, the voice VLAN (LLDP-MED). The laptop's port has a description (its
  alias). Linux bridges do not forward 01:80:c2:00:00:0e, so the frames the laptop hears come
  from lldpd on the port facing it, exactly as on a real switch. The bridge runs **spanning
  tree** (kernel STP, forward delay cut to the 2 s minimum) so BPDUs name the root bridge;
* ``ws2`` (accounts-pc) is **a PC sharing its connection**: a second DHCP server (dnsmasq,
  DHCP only) offering itself as gateway and DNS, **radvd** advertising an IPv6 prefix, and
  DHCPv6 from the same dnsmasq;
* ``ws1`` (reception-pc) answers **NBT-NS** (Samba's nmbd) and **LLMNR** (llmnrd, the
  Debian LLMNR daemon) for its name, as a Windows PC does by default.

The laptop's eth0 gets IPv6 (without accepting RAs) so that a DHCPv6 server can answer its
Solicit (the server resolves the laptop's link-local address first). Everything else in the
office stays IPv4-only.

:func:`rogue_paused` is the negative control: it stops the rogue DHCP server and radvd
(SIGSTOP, by recorded PID) for the length of a ``with`` block, so one office with one DHCP
server and no RA can be scanned.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import netns
from .hostenv import HostEnv
from .procs import LaunchSpec, is_alive
from .state import LabState
from .topology import BRIDGE, LAPTOP_NS, SWITCH_NS, Node, Topology

SWITCH_NAME = "SW-OFFICE-01"
SWITCH_MODEL = "Cisco Catalyst C1000-24P-4G-L"
SWITCH_DESCRIPTION = ("Cisco IOS Software, C1000 Software (C1000-UNIVERSALK9-M), "
                      "Version 15.2(7)E7, RELEASE SOFTWARE (fc3)")
# On the management VLAN: announced (lldpd -m takes an exact address without checking it),
# configured nowhere, so the laptop cannot reach it, as on a site with a management VLAN.
SWITCH_MGMT_IP = "10.77.0.2"
VOICE_VLAN = 20
SWITCH_OUI = "00:1b:54"  # Cisco Systems
LAPTOP_PORT_ALIAS = "Office wall port 12"
STP_FORWARD_DELAY_CS = 200  # centiseconds: the kernel's minimum (2 s)
ROGUE_HOST = "ws2"
ROGUE_DAEMONS = ("dnsmasq-rogue", "radvd")
ROGUE_V6_PREFIX = "2001:db8:77::/64"
ROGUE_V6_ADDRESS = "2001:db8:77::102"
ROGUE_RANGE = (200, 240)  # last octets of the rogue DHCP pool
NAME_HOST = "ws1"


def wire(topo: Topology) -> None:
    """Switch port MACs, the laptop port's alias, STP, and IPv6 where the scenario needs it."""
    # A real switch's ports carry its maker's OUI (LLDP's chassis ID, STP's bridge ID); the
    # veths' random, locally administered MACs would read as a personal device.
    for index, node in enumerate(topo.lan_nodes, start=1):
        netns.ip(SWITCH_NS, "link", "set", f"v-{node.key}", "address",
                 f"{SWITCH_OUI}:77:0c:{index:02x}")
    netns.ip(SWITCH_NS, "link", "set", f"v-{topo.laptop.key}", "alias", LAPTOP_PORT_ALIAS)
    netns.ip(SWITCH_NS, "link", "set", BRIDGE, "type", "bridge", "forward_delay",
             str(STP_FORWARD_DELAY_CS), "stp_state", "1")
    rogue = topo.host(ROGUE_HOST)
    netns.sysctl(rogue.ns, "net.ipv6.conf.eth0.disable_ipv6", "0")
    netns.sysctl(rogue.ns, "net.ipv6.conf.all.forwarding", "1")  # radvd wants a router
    netns.ip(rogue.ns, "-6", "addr", "add", f"{ROGUE_V6_ADDRESS}/64", "dev", "eth0",
             "nodad")
    netns.sysctl(LAPTOP_NS, "net.ipv6.conf.eth0.accept_ra", "0")
    netns.sysctl(LAPTOP_NS, "net.ipv6.conf.eth0.disable_ipv6", "0")


def switch_env(topo: Topology, state_dir: Path, cache: Path) -> HostEnv:
    """The switch's workspace (it is no scan target and has no LAN address)."""
    node = Node(key="sw", ns=SWITCH_NS, ip=SWITCH_MGMT_IP, mac="", names=(), is_target=False)
    env = HostEnv(node=node, topo=topo, truth=None, state_dir=state_dir, cache=cache)
    env.hdir.mkdir(parents=True, exist_ok=True)
    return env


def switch_specs(h: HostEnv) -> list[LaunchSpec]:
    """lldpd on every switch port: LLDP (with LLDP-MED) and CDP, even without a CDP peer.

    Both are forced (``-l -cc``): lldpd sends a forced protocol always, and LLDP only as the
    fallback when nothing else was sent, so forcing CDP alone would silence LLDP.
    """
    conf = h.render("lldpd-switch.conf", switch_name=SWITCH_NAME, switch_model=SWITCH_MODEL,
                    switch_description=SWITCH_DESCRIPTION, voice_vlan=VOICE_VLAN)
    return [h.daemon("lldpd", ["lldpd", "-d", "-l", "-cc", "-M", "4", "-I", "v-*",
                               "-m", SWITCH_MGMT_IP, "-O", conf],
                     run_dirs=("/run/lldpd",))]


def rogue_specs(h: HostEnv) -> list[LaunchSpec]:
    """ws2, a PC sharing its connection: a second DHCP(v6) server and radvd."""
    lan = h.topo.lan
    dnsmasq = h.render(
        "dnsmasq-rogue.conf", netmask=lan.netmask,
        range_start=lan.network_address + ROGUE_RANGE[0],
        range_end=lan.network_address + ROGUE_RANGE[1],
        v6_start="2001:db8:77::1000", v6_end="2001:db8:77::1fff", v6_address=ROGUE_V6_ADDRESS)
    radvd = h.render("radvd.conf", v6_prefix=ROGUE_V6_PREFIX, v6_address=ROGUE_V6_ADDRESS)
    return [
        h.daemon("dnsmasq-rogue", ["dnsmasq", "-k", f"--conf-file={dnsmasq}"]),
        h.daemon("radvd", ["radvd", "-n", "-C", radvd, "-m", "stderr",
                           "-p", "/run/radvd/radvd.pid"], run_dirs=("/run/radvd",)),
    ]


def name_specs(h: HostEnv) -> list[LaunchSpec]:
    """ws1 answers NBT-NS (nmbd) and LLMNR (llmnrd) for its own name."""
    sdir = h.hdir / "samba"
    for sub in ("samba/private", "samba/state", "samba/cache", "samba/lock", "samba/run"):
        h.mkdir(sub, 0o755)
    conf = h.render("smb-ws.conf", "samba/smb.conf", sdir=sdir,
                    netbios_name=h.node.hostname.upper(), workgroup="OFFICE")
    return [
        h.daemon("nmbd", ["nmbd", "--foreground", "--no-process-group", "-s", conf],
                 shadow=("/var/lib/samba", "/var/cache/samba", "/var/log/samba"),
                 run_dirs=("/run/samba",)),
        h.daemon("llmnrd", ["llmnrd", "-H", h.node.hostname, "-i", "eth0"]),
    ]


def host_specs(h: HostEnv) -> list[LaunchSpec]:
    """The segment daemons of one lab host (none for most)."""
    if h.key == ROGUE_HOST:
        return rogue_specs(h)
    if h.key == NAME_HOST:
        return name_specs(h)
    return []


@contextmanager
def rogue_paused(state: LabState | None) -> Iterator[None]:
    """The negative control: the rogue DHCP server and radvd stopped (SIGSTOP) for a while."""
    records = [d for d in (state.daemons if state else ())
               if d.host == ROGUE_HOST and d.name in ROGUE_DAEMONS
               and is_alive(d.pid, d.start_ticks)]
    if len(records) != len(ROGUE_DAEMONS):
        raise RuntimeError("the rogue DHCP server and radvd are not both running")
    for record in records:
        os.kill(record.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for record in records:
            if is_alive(record.pid, record.start_ticks):
                os.kill(record.pid, signal.SIGCONT)
