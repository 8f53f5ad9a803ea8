"""What a scan of the hostile office should find, shared by the integration test and the bench.

:data:`EXPECTED_PORTS` is the ground truth of every host but the all-open one (.11, which
answers on every TCP port). :func:`missing_facts` says what a scanned host lacks to count as
fully assessed; :func:`report_strings` says which hostile markers a rendered report shows
escaped and which raw. Plain functions over the JSON and HTML, no network.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tests.hostile import strings
from tests.hostile.net import BY_KEY, TARPIT_PORTS

# Measured 69-95 s on the shared 2-core machine: the TCP sweep (16-44 s, with its retry of
# lost answers) and the tarpit's bounded waits (its service scan, certificate run, three web
# probes and smbclient, about 40 s) set the pace. About twice the slowest.
SCAN_BOUND_S = 180

ALL_OPEN_IP = BY_KEY["allopen"].ip
NORMAL_IP = BY_KEY["normal"].ip

# ip -> {(protocol, port)} open, for every host whose ports are real.
EXPECTED_PORTS: dict[str, set[tuple[str, int]]] = {
    BY_KEY["gw"].ip: {("udp", 53)},
    BY_KEY["tarpit"].ip: {("tcp", port) for port in TARPIT_PORTS},
    BY_KEY["snmp"].ip: {("udp", 161)},
    BY_KEY["snmppart"].ip: {("udp", 161)},
    BY_KEY["web"].ip: {("tcp", 80), ("tcp", 443)},
    BY_KEY["names"].ip: {("udp", 137), ("udp", 5353), ("tcp", 139)},
    NORMAL_IP: {("tcp", 22), ("tcp", 80), ("udp", 161)},
}
ALL_IPS = {host.ip for host in BY_KEY.values()}

# The normal host's services as nmap identifies them: port -> (name, product, version).
NORMAL_SERVICES = {22: ("ssh", "OpenSSH", "9.2p1 Debian 2+deb12u3"),
                   80: ("http", "nginx", "1.22.1")}

# Markers a report must show escaped: the fields the report renders (others stay in the
# inventory only: sysContact, sysLocation, ifDescr, software, mDNS and NetBIOS names …).
REPORTED_MARKERS = ("snmp.sysDescr", "snmp.sysName", "web.title", "cert.CN", "cert.O",
                    "snmp.entPhysicalMfgName")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _ports(host: dict[str, Any]) -> set[tuple[str, int]]:
    return {(s["protocol"], s["port"]) for s in host.get("services", [])}


def _snmp(host: dict[str, Any]) -> dict[str, Any]:
    return host.get("snmp") or {}


def _web_ports(host: dict[str, Any]) -> set[int]:
    return {w["port"] for w in host.get("web", [])}


def _normal_services(host: dict[str, Any]) -> bool:
    found = {s["port"]: (s["name"], s["product"], s["version"])
             for s in host.get("services", []) if s["protocol"] == "tcp"}
    return found == NORMAL_SERVICES


# ip -> (what it is, test) beyond its ports: the facts each host's stages must have produced.
FACTS: dict[str, list[tuple[str, Callable[[dict[str, Any]], bool]]]] = {
    BY_KEY["gw"].ip: [("PTR name", lambda h: h["hostnames"] == ["gw.hostile.lan"])],
    BY_KEY["tarpit"].ip: [("web probes", lambda h: _web_ports(h) == {80, 443, 8080})],
    BY_KEY["snmp"].ip: [("SNMP system group", lambda h: bool(_snmp(h).get("sys_descr"))),
                        ("ENTITY-MIB", lambda h: "entity.manufacturer" in
                         _snmp(h).get("identity", {}))],
    BY_KEY["snmppart"].ip: [("SNMP system group", lambda h: bool(_snmp(h).get("sys_descr")))],
    BY_KEY["web"].ip: [("web titles", lambda h: all(w["title"] for w in h.get("web", []))
                        and _web_ports(h) == {80, 443}),
                       ("certificate", lambda h: any(w.get("certificate")
                                                     for w in h.get("web", [])))],
    BY_KEY["names"].ip: [("NetBIOS name", lambda h: bool(h["netbios_name"])),
                         ("mDNS names", lambda h: bool(h["mdns_names"]))],
    NORMAL_IP: [("products and versions", _normal_services),
                ("SNMP system group", lambda h: bool(_snmp(h).get("sys_descr"))),
                ("device class", lambda h: h["device_class"] == "server"),
                ("PTR name", lambda h: h["hostnames"] == ["files.hostile.lan"]),
                ("web title", lambda h: [w["title"] for w in h.get("web", [])] == ["Files"])],
}


def missing_facts(host: dict[str, Any]) -> list[str]:
    """What ``host`` (from inventory.json) lacks to be fully assessed; [] when nothing."""
    wanted = EXPECTED_PORTS.get(host["ip"])
    if wanted is None:
        return ["not a host with known ports"]
    missing = [f"{protocol}/{port}" for protocol, port in sorted(wanted - _ports(host))]
    extra = sorted(_ports(host) - wanted)
    if extra:
        missing.append("unexpected ports " + ", ".join(f"{p}/{n}" for p, n in extra))
    missing += [what for what, test in FACTS.get(host["ip"], []) if not test(host)]
    return missing


def report_strings(text: str) -> tuple[list[str], list[str]]:
    """(marker fields found escaped, hostile strings or control characters found raw)."""
    escaped = [field for field, marker in strings.MARKERS.items()
               if strings.escaped(marker) in text]
    raw = [bad for bad in strings.RAW_FORBIDDEN if bad in text.lower()]
    raw += [f"control character U+{ord(c):04X}" for c in sorted(set(_CONTROL.findall(text)))]
    return escaped, raw


def longest_sys_descr_run(text: str) -> int:
    """Characters in the longest run of the 60 000-byte sysDescr's repeated unit (escaped)."""
    unit = re.escape(strings.escaped(strings.SYSDESCR_UNIT))
    runs = [len(m.group(0)) for m in re.finditer(f"(?:{unit}\\s*)+", text)]
    return max(runs, default=0)


def control_characters(value: str) -> bool:
    """Whether ``value`` holds a control character other than newline, CR and tab."""
    return bool(_CONTROL.search(value))


def strings_in(value: object) -> list[str]:
    """Every string (keys too) in a JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [*value.keys(), *(s for item in value.values() for s in strings_in(item))]
    if isinstance(value, list):
        return [s for item in value for s in strings_in(item)]
    return []
