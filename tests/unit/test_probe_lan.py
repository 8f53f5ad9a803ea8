"""mDNS/DNS-SD messages and SSDP answers: building queries and reading hostile answers."""

from __future__ import annotations

import struct

import pytest

from scanner.dnsmsg import (
    TYPE_A,
    TYPE_PTR,
    TYPE_SRV,
    DnsFormatError,
    encode_name,
    query,
    read_name,
    records,
)
from scanner.mdns import names_from_records
from scanner.ssdp import is_igd, m_search, parse_response


def _rr(name: bytes, rtype: int, rdata: bytes) -> bytes:
    return name + struct.pack("!HHIH", rtype, 1, 120, len(rdata)) + rdata


def _answer() -> bytes:
    header = struct.pack("!HHHHHH", 0, 0x8400, 0, 4, 0, 0)
    services = encode_name("_services._dns-sd._udp.local")
    ipp = encode_name("_ipp._tcp.local")
    instance = encode_name("Office Printer._ipp._tcp.local")
    host = encode_name("printer01.local")
    return header + b"".join([
        _rr(services, TYPE_PTR, ipp),
        _rr(ipp, TYPE_PTR, instance),
        _rr(instance, TYPE_SRV, struct.pack("!HHH", 0, 0, 631) + host),
        _rr(host, TYPE_A, bytes([192, 168, 77, 40])),
    ])


def test_query_is_a_qu_question() -> None:
    packet = query(["_services._dns-sd._udp.local"])
    assert packet[:12] == struct.pack("!HHHHHH", 0, 0, 1, 0, 0, 0)
    assert packet.endswith(struct.pack("!HH", TYPE_PTR, 0x8001))


def test_records_and_names() -> None:
    found = records(_answer())
    names, types = names_from_records(found)
    assert names == ["Office Printer._ipp._tcp.local", "printer01.local"]
    assert types == ["_ipp._tcp.local"]


def test_compression_pointers_cannot_loop() -> None:
    looping = b"\x00" * 12 + b"\xc0\x0c"  # a pointer to itself
    with pytest.raises(DnsFormatError):
        read_name(looping, 12)
    forward = b"\x00" * 12 + b"\xc0\x20"
    with pytest.raises(DnsFormatError):
        read_name(forward, 12)


def test_truncated_answers_raise_the_format_error_only() -> None:
    packet = _answer()
    for cut in range(0, len(packet), 7):
        try:
            records(packet[:cut])
        except DnsFormatError:
            pass


SSDP_IGD = (b"HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\n"
            b"ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
            b"USN: uuid:3d3c::urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
            b"SERVER: Debian UPnP/1.1 MiniUPnPd/2.3.1\r\nLOCATION: http://192.168.77.1:5000/r\r\n\r\n")


def test_ssdp_answers() -> None:
    headers = parse_response(SSDP_IGD)
    assert is_igd(headers) and headers["server"].endswith("MiniUPnPd/2.3.1")
    printer = SSDP_IGD.replace(b"device:InternetGatewayDevice", b"device:Printer")
    assert not is_igd(parse_response(printer))
    assert parse_response(b"NOTIFY * HTTP/1.1\r\n\r\n") == {}
    assert parse_response(b"\xff" * 5000) == {}
    assert b"ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1" in m_search()
