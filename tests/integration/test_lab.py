"""The virtual office itself: is it up, isolated, and exactly as office.json says?

Everything is observed from inside the scanner's namespace (``swlab-laptop``), the
way sitewalk sees the office. Only lab addresses are ever contacted.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

LAB = Path(__file__).resolve().parents[1] / "lab"
PROBE = LAB / "probe.py"
TRUTH = json.loads((LAB / "office.json").read_text(encoding="utf-8"))
HOSTS = TRUTH["hosts"]
HOST_IDS = [h["name"] for h in HOSTS]


def _laptop(office, argv: list[str], timeout: float = 30):
    return office.run_in(office.LAPTOP_NS, argv, timeout=timeout)


@pytest.mark.parametrize("host", HOSTS, ids=HOST_IDS)
def test_every_ground_truth_tcp_port_accepts_a_connection(office, host: dict) -> None:
    targets = [f"{host['ip']}:{port}" for port in host["tcp_ports"]]
    done = _laptop(office, [sys.executable, "-I", str(PROBE), "--timeout", "3", *targets])
    result = json.loads(done.stdout)
    assert result["closed"] == [], f"{host['name']}: no connection to {result['closed']}"


def test_the_internet_is_reachable_only_through_the_firewalls_nat(office) -> None:
    isp = TRUTH["wan"]["isp_ip"]
    done = _laptop(office, [sys.executable, "-I", str(PROBE), "--timeout", "3", f"{isp}:80"])
    assert json.loads(done.stdout)["closed"] == []
    # ... and nothing comes back in: the ISP has no route to the LAN, the firewall's WAN
    # side drops everything unsolicited.
    to_lan = office.run_in("swlab-isp", ["ip", "route", "get", TRUTH["gateway"]], timeout=10)
    assert to_lan.returncode != 0
    wan = office.run_in("swlab-isp", [sys.executable, "-I", str(PROBE), "--timeout", "1",
                                      f"{TRUTH['wan']['fw_wan_ip']}:22"], timeout=15)
    assert json.loads(wan.stdout)["open"] == []


@pytest.mark.parametrize("host", HOSTS, ids=HOST_IDS)
def test_nothing_listens_on_the_lan_beyond_the_ground_truth(office, host: dict) -> None:
    # Cheap stand-in for a full nmap -p- (which takes ~45 s): every TCP listener that
    # is reachable on the host's LAN address must be in tcp_ports, and vice versa.
    done = office.run_in(host["ns"], ["ss", "-Hltn"], timeout=10)
    reachable = set()
    for line in done.stdout.splitlines():
        addr, _, port = line.split()[3].rpartition(":")
        addr = addr.split("%", 1)[0]  # "*%eth0": bound to the LAN interface (miniupnpd)
        if addr in ("0.0.0.0", "*", "[::]", host["ip"]):
            reachable.add(int(port))
    assert sorted(reachable) == host["tcp_ports"]


@pytest.mark.parametrize("host", [h for h in HOSTS if h["answers_ping"]],
                         ids=[h["name"] for h in HOSTS if h["answers_ping"]])
def test_hosts_that_should_answer_ping_do(office, host: dict) -> None:
    done = _laptop(office, ["ping", "-c", "1", "-W", "2", host["ip"]], timeout=10)
    assert done.returncode == 0, done.stdout + done.stderr


def test_owner_pc_ignores_ping_but_answers_arp(office) -> None:
    ws3 = next(h for h in HOSTS if h["name"] == "ws3")
    assert ws3["answers_ping"] is False
    _laptop(office, ["ip", "neigh", "flush", "to", ws3["ip"], "dev", "eth0"], timeout=10)
    ping = _laptop(office, ["ping", "-c", "2", "-W", "1", ws3["ip"]], timeout=10)
    assert ping.returncode != 0, "ws3 must not answer ICMP echo"
    neigh = _laptop(office, ["ip", "neigh", "show", "to", ws3["ip"], "dev", "eth0"], timeout=10)
    assert f"lladdr {ws3['mac']}" in neigh.stdout, f"no ARP answer from ws3: {neigh.stdout!r}"


def test_laptop_has_only_lo_and_eth0_and_no_way_to_the_real_network(office) -> None:
    links = _laptop(office, ["ip", "-o", "link", "show"], timeout=10).stdout
    names = sorted(re.findall(r"^\d+: ([^:@]+)[@:]", links, flags=re.M))
    assert names == ["eth0", "lo"]
    addrs = _laptop(office, ["ip", "-o", "-4", "addr", "show"], timeout=10).stdout
    assert "192.0.2." not in addrs
    assert f"inet {TRUTH['scanner']['ip']}/24" in addrs
    routes = _laptop(office, ["ip", "route", "show", "table", "all"], timeout=10).stdout
    assert "192.0.2." not in routes
    # The only way off the LAN is the lab firewall, and its upstream (the fake ISP) is a
    # dead end: no route to the machine's real network from anywhere in the lab.
    via = _laptop(office, ["ip", "route", "get", "192.0.2.2"], timeout=10).stdout
    assert f"via {TRUTH['gateway']} dev eth0" in via
    dead_end = office.run_in("swlab-isp", ["ip", "route", "get", "192.0.2.2"], timeout=10)
    assert dead_end.returncode != 0


def test_laptop_resolver_is_the_office_dnsmasq(office) -> None:
    resolv = _laptop(office, ["cat", "/etc/resolv.conf"], timeout=10).stdout
    assert re.findall(r"^nameserver (\S+)", resolv, flags=re.M) == [TRUTH["gateway"]]
    assert f"search {TRUTH['domain']}" in resolv


def test_reverse_dns_of_the_dc(office) -> None:
    done = _laptop(office, ["getent", "hosts", "192.168.77.10"], timeout=15)
    assert done.returncode == 0
    assert done.stdout.split()[1] == "dc01.office.lan"


@pytest.mark.parametrize("host", HOSTS, ids=HOST_IDS)
def test_forward_and_reverse_dns_of_every_host(office, host: dict) -> None:
    for name in host["hostnames"]:
        fwd = _laptop(office, ["getent", "ahostsv4", name], timeout=15)
        assert fwd.stdout.split()[:1] == [host["ip"]], f"{name}: {fwd.stdout!r}"
    rev = _laptop(office, ["getent", "hosts", host["ip"]], timeout=15)
    assert rev.stdout.split()[1:2] == host["hostnames"][:1]


@pytest.mark.parametrize("host", [h for h in HOSTS if h["snmp"]],
                         ids=[h["name"] for h in HOSTS if h["snmp"]])
def test_snmp_system_group_matches_ground_truth(office, host: dict) -> None:
    snmp = host["snmp"]
    done = _laptop(office, ["snmpget", "-v2c", "-c", snmp["community"], "-On", "-t", "2",
                            "-r", "1", host["ip"], ".1.3.6.1.2.1.1.1.0", ".1.3.6.1.2.1.1.2.0",
                            ".1.3.6.1.2.1.1.5.0"], timeout=20)
    assert done.returncode == 0, done.stderr
    assert f'= STRING: "{snmp["sys_descr"]}"' in done.stdout
    assert f"= OID: .{snmp['sys_object_id']}" in done.stdout
    assert f'= STRING: "{snmp["sys_name"]}"' in done.stdout


def test_ground_truth_vendors_are_netaddrs_oui_registrations() -> None:
    netaddr = pytest.importorskip("netaddr")
    for host in HOSTS:
        assert host["mac"] == host["mac"].lower()
        assert netaddr.EUI(host["mac"]).oui.registration().org == host["vendor"], host["name"]

def test_down_leaves_no_namespace_and_no_daemon(office, request: pytest.FixtureRequest) -> None:
    from tests.lab import netns, procs

    state = office.state()
    assert state is not None and state.phase == "up"
    assert office.down() == []
    assert not office.is_up()
    assert netns.lab_namespaces() == []
    assert not Path("/etc/netns/swlab-laptop").exists()
    alive = [f"{d.host}/{d.name}" for d in state.daemons
             if procs.is_alive(d.pid, d.start_ticks)
             or procs.is_alive(d.wrapper_pid, d.wrapper_start_ticks)]
    assert alive == []
    # Later tests in this session may still need the office: bring it back for them.
    items = request.session.items
    later = items[items.index(request.node) + 1:]
    if any("office" in getattr(item, "fixturenames", ()) for item in later):
        office.up()

