"""The hostile office's name services: NetBIOS node status, reverse DNS and mDNS responders.

Run inside a host's namespace by :mod:`tests.hostile.net`::

    python -m tests.hostile.names nbns            # UDP 137: the NetBIOS name table (nbstat)
    python -m tests.hostile.names dns             # UDP 53: PTR answers for 192.168.78.0/24
    python -m tests.hostile.names mdns IP         # UDP 5353: DNS-SD answers, unicast

They only answer (never send first), to at most :data:`MAX_ANSWERS` queries in their lifetime
and :data:`MAX_PER_SECOND` a second, and exit by themselves after :data:`LIFETIME_S` seconds.
The names they give carry the hostile strings of :mod:`tests.hostile.strings`.
"""

from __future__ import annotations

import argparse
import socket
import struct
import sys
import time
from collections.abc import Callable

from tests.hostile import strings

LIFETIME_S = 3 * 3600
MAX_ANSWERS = 20_000
MAX_PER_SECOND = 200
LAN_PREFIX = "192.168.78."
MDNS_GROUP = "224.0.0.251"

# Reverse DNS of the hostile office: a name for the gateway and the normal host, a hostile
# one for .15; every other address gets NXDOMAIN (most small offices have no PTR records).
PTR_NAMES: dict[str, list[bytes]] = {
    "1": [b"gw", b"hostile", b"lan"],
    "15": [strings.PTR_LABEL.encode(), b"hostile", b"lan"],
    "20": [b"files", b"hostile", b"lan"],
}

TYPE_A, TYPE_PTR, TYPE_SRV, TYPE_NBSTAT = 1, 12, 33, 0x21


def labels(name: list[bytes]) -> bytes:
    """A name in DNS wire format from its raw labels (any bytes, 63 at most each)."""
    return b"".join(bytes([len(label[:63])]) + label[:63] for label in name) + b"\x00"


def split_name(text: str) -> list[bytes]:
    """``"a.b.local"`` -> ``[b"a", b"b", b"local"]``."""
    return [part.encode() for part in text.strip(".").split(".")]


def read_question(data: bytes) -> tuple[list[bytes], int, int, int] | None:
    """(labels, qtype, offset of the question, offset after it) of the first question."""
    if len(data) < 12 or struct.unpack("!H", data[4:6])[0] < 1:
        return None
    offset, name = 12, []
    while offset < len(data) and len(name) < 64:
        length = data[offset]
        if length == 0:
            if offset + 5 > len(data):
                return None
            qtype = struct.unpack("!H", data[offset + 1:offset + 3])[0]
            return name, qtype, 12, offset + 5
        if length & 0xC0:
            return None  # queries we answer are never compressed
        name.append(data[offset + 1:offset + 1 + length])
        offset += 1 + length
    return None


def record(name: bytes, rtype: int, rdata: bytes, ttl: int = 60) -> bytes:
    """One resource record (class IN)."""
    return name + struct.pack("!HHIH", rtype, 1, ttl, len(rdata)) + rdata


def nbstat_answer(query: bytes) -> bytes | None:
    """The node status answer to an NBSTAT query: hostile names, a MAC, no statistics."""
    question = read_question(query)
    if question is None or question[1] != TYPE_NBSTAT:
        return None
    raw_name = query[question[2]:question[3] - 4]
    names = [(strings.NETBIOS_NAME, 0x00, 0x0400), (strings.NETBIOS_NAME, 0x20, 0x0400),
             (strings.NETBIOS_GROUP, 0x00, 0x8400)]
    table = bytes([len(names)]) + b"".join(
        name[:15].ljust(15, b" ") + bytes([suffix]) + struct.pack("!H", flags)
        for name, suffix, flags in names)
    statistics = bytes.fromhex("00163e780015") + bytes(40)
    header = query[:2] + struct.pack("!HHHHH", 0x8400, 0, 1, 0, 0)
    return header + record(raw_name, TYPE_NBSTAT, table + statistics, ttl=0)


def ptr_answer(query: bytes) -> bytes | None:
    """PTR answers for 192.168.78.x; NXDOMAIN for the rest of that zone, REFUSED elsewhere."""
    question = read_question(query)
    if question is None:
        return None
    name, qtype, start, end = question
    text = b".".join(name).decode("ascii", "replace").lower()
    zone = ".78.168.192.in-addr.arpa"
    known = PTR_NAMES.get(text.removesuffix(zone)) if text.endswith(zone) else None
    if not text.endswith(zone):
        flags = 0x8185  # REFUSED: no recursion, nothing outside the office
    elif known is None or qtype != TYPE_PTR:
        flags = 0x8183 if known is None else 0x8180  # NXDOMAIN, or NOERROR with no data
    else:
        flags = 0x8580  # authoritative answer
    answers = [record(b"\xc0\x0c", TYPE_PTR, labels(known))] if flags == 0x8580 else []
    header = query[:2] + struct.pack("!HHHHH", flags, 1, len(answers), 0, 0)
    return header + query[start:end] + b"".join(answers)


def mdns_answer(query: bytes, own_ip: str) -> bytes | None:
    """DNS-SD answers (legacy unicast: the query's ID and question repeated)."""
    question = read_question(query)
    if question is None:
        return None
    name, qtype, start, end = question
    asked = b".".join(name).decode("ascii", "replace").lower()
    if qtype != TYPE_PTR:
        return None
    service = split_name("_http._tcp.local")
    instance = [strings.MDNS_INSTANCE.encode(), *service]
    host = [strings.MDNS_HOST.encode(), b"local"]
    if asked == "_services._dns-sd._udp.local":
        answers = [record(labels(name), TYPE_PTR, labels(service))]
    elif asked == "_http._tcp.local":
        answers = [record(labels(service), TYPE_PTR, labels(instance)),
                   record(labels(instance), TYPE_SRV, struct.pack("!HHH", 0, 0, 80) + labels(host)),
                   record(labels(host), TYPE_A, socket.inet_aton(own_ip))]
    else:
        return None
    header = query[:2] + struct.pack("!HHHHH", 0x8400, 1, len(answers), 0, 0)
    return header + query[start:end] + b"".join(answers)


def serve(sock: socket.socket, answer: Callable[[bytes], bytes | None],
          lan_only: bool = True) -> None:
    """Answer datagrams on ``sock`` within the lifetime, total and per-second bounds."""
    end = time.monotonic() + LIFETIME_S
    answered = 0
    second, in_second = int(time.monotonic()), 0
    while answered < MAX_ANSWERS:
        left = end - time.monotonic()
        if left <= 0:
            return
        sock.settimeout(min(left, 5.0))
        try:
            data, source = sock.recvfrom(4096)
        except TimeoutError:
            continue
        if lan_only and not source[0].startswith(LAN_PREFIX):
            continue
        now = int(time.monotonic())
        second, in_second = (now, 0) if now != second else (second, in_second)
        if in_second >= MAX_PER_SECOND:
            continue
        reply = answer(data)
        if reply is not None:
            sock.sendto(reply, source)
            answered += 1
            in_second += 1


def _udp(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("0.0.0.0", port))
    return sock


def main(argv: list[str] | None = None) -> int:
    """Run one responder until it is killed or its lifetime is over."""
    parser = argparse.ArgumentParser(prog="python -m tests.hostile.names")
    sub = parser.add_subparsers(dest="kind", required=True)
    sub.add_parser("nbns")
    sub.add_parser("dns")
    sub.add_parser("mdns").add_argument("ip")
    args = parser.parse_args(argv)
    if args.kind == "nbns":
        serve(_udp(137), nbstat_answer)
    elif args.kind == "dns":
        serve(_udp(53), ptr_answer)
    else:
        sock = _udp(5353)
        membership = socket.inet_aton(MDNS_GROUP) + socket.inet_aton(args.ip)
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, membership)
        serve(sock, lambda query: mdns_answer(query, args.ip))
    return 0


if __name__ == "__main__":
    sys.exit(main())
