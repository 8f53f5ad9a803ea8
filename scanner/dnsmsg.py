"""DNS messages for mDNS/DNS-SD, built and read by scapy (``scapy.layers.dns``).

:func:`query` builds a standard query with the mDNS "unicast response" bit; :func:`records`
reads the PTR, SRV, A and TXT records of an answer. scapy follows compression pointers with
its own loop guard; anything it cannot read, or that it reads only partly, is a
:class:`DnsFormatError`. Bounded: at most :data:`MAX_RECORDS` records per message.
"""

from __future__ import annotations

from dataclasses import dataclass

from scapy.layers.dns import DNS, DNSQR, DNSRR, DNSRRSRV
from scapy.packet import Raw

TYPE_A, TYPE_PTR, TYPE_TXT, TYPE_SRV = 1, 12, 16, 33
MAX_RECORDS = 200


class DnsFormatError(ValueError):
    """A message that cannot be read."""


@dataclass(frozen=True)
class Record:
    """One resource record: owner name, type, and its value as text (a name or an address)."""

    name: str
    rtype: int
    value: str


def _text(value: object) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    return str(value).rstrip(".")


def query(names: list[str], rtype: int = TYPE_PTR, unicast_response: bool = True) -> bytes:
    """A standard query (id 0, as mDNS wants) for ``rtype`` of each name."""
    return bytes(DNS(id=0, rd=0, qd=[DNSQR(qname=name, qtype=rtype,
                                           unicastresponse=int(unicast_response))
                                     for name in names]))


def records(data: bytes) -> list[Record]:
    """Every PTR, SRV, A and TXT record in a message's answer, authority and additional parts."""
    if len(data) < 12:
        raise DnsFormatError("shorter than a header")
    try:
        message = DNS(data)
    except Exception as exc:  # scapy raises what it raises on hostile input
        raise DnsFormatError(f"unreadable message: {exc}") from exc
    if Raw in message:
        raise DnsFormatError("the message does not end where its records do")
    if any(len(part or []) < count for part, count in (
            (message.an, message.ancount), (message.ns, message.nscount),
            (message.ar, message.arcount))):
        raise DnsFormatError("fewer records than the header says (truncated)")
    found: list[Record] = []
    for part in (message.an, message.ns, message.ar):
        for record in (part or [])[:MAX_RECORDS - len(found)]:
            name = _text(record.rrname)
            if isinstance(record, DNSRRSRV):
                found.append(Record(name, TYPE_SRV, _text(record.target)))
            elif isinstance(record, DNSRR) and record.type == TYPE_PTR:
                found.append(Record(name, TYPE_PTR, _text(record.rdata)))
            elif isinstance(record, DNSRR) and record.type == TYPE_A:
                found.append(Record(name, TYPE_A, _text(record.rdata)))
            elif isinstance(record, DNSRR) and record.type == TYPE_TXT:
                found.append(Record(name, TYPE_TXT, ""))
    return found
