"""mDNS / DNS-SD: the names and services devices announce on the local segment (UDP 5353).

Two bounded rounds from one socket: ask which service types exist
(``_services._dns-sd._udp.local``), then ask for the instances of each type found. Answers are
requested by unicast, so they come back to our socket with the device's address as source.
Each round waits at most :data:`ROUND_S` seconds and reads at most :data:`MAX_PACKETS` packets.
"""

from __future__ import annotations

import socket
import struct
import time
from collections.abc import Iterable

from scanner.dnsmsg import TYPE_A, TYPE_PTR, TYPE_SRV, DnsFormatError, Record, query, records
from scanner.textsafe import bounded_name

GROUP = ("224.0.0.251", 5353)
SERVICES = "_services._dns-sd._udp.local"
ROUND_S = 1.0
MAX_PACKETS = 200
MAX_TYPES = 20
MAX_NAMES_PER_HOST = 30


def names_from_records(found: Iterable[Record]) -> tuple[list[str], list[str]]:
    """(announced names, service types) in one answer, in the order seen.

    Names are host names (from SRV and A records) and service instance names (PTR targets other
    than service types); service types are ``_ipp._tcp.local`` style names.
    """
    names: list[str] = []
    types: list[str] = []
    for record in found:
        if record.rtype == TYPE_PTR and record.name.lower() == SERVICES:
            types.append(record.value)
        elif record.rtype == TYPE_PTR and not record.name.lower().endswith(".arpa"):
            types.append(record.name)
            names.append(record.value)
        elif record.rtype == TYPE_SRV:
            names.append(record.value)
        elif record.rtype == TYPE_A:
            names.append(record.name)
    clean = [bounded_name(n).rstrip(".") for n in names]
    return ([n for n in dict.fromkeys(clean) if n],
            [t for t in dict.fromkeys(bounded_name(t).rstrip(".") for t in types) if t])


def _socket(local_ip: str | None) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, struct.pack("B", 255))
    if local_ip:
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(local_ip))
    sock.bind((local_ip or "", 0))
    return sock


def _collect(sock: socket.socket, seconds: float, into: dict[str, list[Record]]) -> None:
    deadline = time.monotonic() + seconds
    packets = 0
    while packets < MAX_PACKETS:
        left = deadline - time.monotonic()
        if left <= 0:
            return
        sock.settimeout(left)
        try:
            data, (source, _port) = sock.recvfrom(9000)
        except TimeoutError:
            return
        packets += 1
        try:
            into.setdefault(source, []).extend(records(data))
        except DnsFormatError:
            continue


def browse(local_ip: str | None, only: set[str] | None = None,
           round_s: float = ROUND_S) -> dict[str, tuple[str, ...]]:
    """ip -> announced names and service types, for devices that answered (``only``: keep these).

    Raises :class:`OSError` if the socket cannot be opened or the query not sent.
    """
    answers: dict[str, list[Record]] = {}
    sock = _socket(local_ip)
    try:
        sock.sendto(query([SERVICES]), GROUP)
        _collect(sock, round_s, answers)
        types = {t for found in answers.values() for t in names_from_records(found)[1]}
        if types:
            sock.sendto(query(sorted(types)[:MAX_TYPES]), GROUP)
            _collect(sock, round_s, answers)
    finally:
        sock.close()
    result: dict[str, tuple[str, ...]] = {}
    for ip, found in answers.items():
        if only is not None and ip not in only:
            continue
        names, types = names_from_records(found)
        result[ip] = tuple([*names, *types][:MAX_NAMES_PER_HOST])
    return result
