"""Readiness probe of the hostile office, run inside the laptop's namespace by ``net.py``.

One round: a TCP connect to every port that must accept, one SNMP GET (sysUpTime) to every
agent, one PTR query to the DNS responder, one NBSTAT query and one mDNS query to the names
host. Each wait is at most :data:`WAIT_S`; nothing is retried here (``net.py`` repeats the
round until its deadline). Prints what did not answer; exit 0 when everything did.
"""

from __future__ import annotations

import os
import socket
import struct
import sys

from tests.hostile.names import MDNS_GROUP, labels, split_name
from tests.hostile.net import GATEWAY_IP, HOSTS, LAPTOP_IP

WAIT_S = 1.0

# SNMPv2c GET sysUpTime.0, community "public", request-id 0x5157: written out in BER.
SNMP_GET = bytes.fromhex(
    "302902010104067075626c6963a01c020400005157020100020100300e300c06082b060102010103000500")


def _tcp(ip: str, port: int) -> bool:
    try:
        with socket.create_connection((ip, port), timeout=WAIT_S):
            return True
    except OSError:
        return False


def _udp(ip: str, port: int, payload: bytes, multicast_if: str | None = None) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(WAIT_S)
        if multicast_if:
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                            socket.inet_aton(multicast_if))
        try:
            sock.sendto(payload, (ip, port))
            sock.recvfrom(65535)
            return True
        except OSError:
            return False


def _query(name: list[bytes], qtype: int, flags: int = 0x0100) -> bytes:
    return struct.pack("!HHHHHH", os.getpid() & 0xFFFF, flags, 1, 0, 0, 0) + labels(name) + \
        struct.pack("!HH", qtype, 1)


def missing() -> list[str]:
    """What did not answer in one round."""
    gone = [f"{host.ip}:{port}/tcp" for host in HOSTS for port in host.tcp
            if not _tcp(host.ip, port)]
    gone += [f"{host.ip}:161/udp (snmp)" for host in HOSTS if host.snmp
             and not _udp(host.ip, 161, SNMP_GET)]
    ptr = _query([b"20", b"78", b"168", b"192", b"in-addr", b"arpa"], 12)
    if not _udp(GATEWAY_IP, 53, ptr):
        gone.append(f"{GATEWAY_IP}:53/udp (dns)")
    nbstat = _query([b"CKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"], 0x21, flags=0)
    if not _udp("192.168.78.15", 137, nbstat):
        gone.append("192.168.78.15:137/udp (netbios)")
    services = _query(split_name("_services._dns-sd._udp.local"), 12, flags=0)
    if not _udp(MDNS_GROUP, 5353, services, multicast_if=LAPTOP_IP):
        gone.append("192.168.78.15:5353/udp (mdns)")
    return gone


def main() -> int:
    """Print what is missing; 0 when nothing is."""
    gone = missing()
    print(", ".join(gone))
    return 1 if gone else 0


if __name__ == "__main__":
    sys.exit(main())
