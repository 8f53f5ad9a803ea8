"""Just enough of the DNS message format for mDNS/DNS-SD: build a query, read the records.

Names may be compressed; pointers are followed a bounded number of times and only backwards,
so a hostile packet cannot loop. Records other than PTR, SRV, A and TXT are skipped.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

TYPE_A, TYPE_PTR, TYPE_TXT, TYPE_SRV = 1, 12, 16, 33
CLASS_IN = 1
QU_BIT = 0x8000  # mDNS: "unicast response wanted"
MAX_RECORDS = 200
MAX_POINTERS = 20


class DnsFormatError(ValueError):
    """A message that cannot be read."""


@dataclass(frozen=True)
class Record:
    """One resource record: owner name, type, and its value as text (a name or an address)."""

    name: str
    rtype: int
    value: str


def encode_name(name: str) -> bytes:
    """A name in DNS wire format (no compression)."""
    out = b""
    for label in name.strip(".").split("."):
        raw = label.encode("utf-8")[:63]
        out += bytes([len(raw)]) + raw
    return out + b"\x00"


def query(names: list[str], rtype: int = TYPE_PTR, unicast_response: bool = True) -> bytes:
    """A standard query (id 0, as mDNS wants) for ``rtype`` of each name."""
    header = struct.pack("!HHHHHH", 0, 0, len(names), 0, 0, 0)
    qclass = CLASS_IN | (QU_BIT if unicast_response else 0)
    return header + b"".join(encode_name(n) + struct.pack("!HH", rtype, qclass) for n in names)


def read_name(data: bytes, offset: int) -> tuple[str, int]:
    """(name, offset after it) at ``offset``, following compression pointers safely."""
    labels: list[str] = []
    end = None
    jumps = 0
    while True:
        if offset >= len(data):
            raise DnsFormatError("name runs past the end")
        length = data[offset]
        if length & 0xC0 == 0xC0:
            if offset + 1 >= len(data):
                raise DnsFormatError("truncated pointer")
            target = ((length & 0x3F) << 8) | data[offset + 1]
            if end is None:
                end = offset + 2
            jumps += 1
            if jumps > MAX_POINTERS or target >= offset:
                raise DnsFormatError("bad compression pointer")
            offset = target
            continue
        if length == 0:
            return ".".join(labels), (end if end is not None else offset + 1)
        label = data[offset + 1: offset + 1 + length]
        if len(label) != length:
            raise DnsFormatError("label runs past the end")
        labels.append(label.decode("utf-8", errors="replace"))
        if len(labels) > 127:
            raise DnsFormatError("too many labels")
        offset += 1 + length


def records(data: bytes) -> list[Record]:
    """Every PTR, SRV, A and TXT record in a message's answer, authority and additional parts."""
    if len(data) < 12:
        raise DnsFormatError("shorter than a header")
    _id, _flags, questions, answers, authority, additional = struct.unpack("!HHHHHH", data[:12])
    offset = 12
    for _ in range(min(questions, MAX_RECORDS)):
        _name, offset = read_name(data, offset)
        offset += 4
    found: list[Record] = []
    for _ in range(min(answers + authority + additional, MAX_RECORDS)):
        name, offset = read_name(data, offset)
        if offset + 10 > len(data):
            raise DnsFormatError("truncated record")
        rtype, _rclass, _ttl, length = struct.unpack("!HHIH", data[offset: offset + 10])
        start = offset + 10
        offset = start + length
        if offset > len(data):
            raise DnsFormatError("record data runs past the end")
        if rtype == TYPE_PTR:
            found.append(Record(name, rtype, read_name(data, start)[0]))
        elif rtype == TYPE_SRV and length >= 7:
            found.append(Record(name, rtype, read_name(data, start + 6)[0]))
        elif rtype == TYPE_A and length == 4:
            found.append(Record(name, rtype, ".".join(str(b) for b in data[start:offset])))
        elif rtype == TYPE_TXT:
            found.append(Record(name, rtype, ""))
    return found
