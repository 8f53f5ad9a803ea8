"""mDNS/DNS-SD messages and SSDP answers: building queries and reading hostile answers."""

from __future__ import annotations

import struct

import pytest
from scapy.layers.dns import DNS, DNSRR, DNSRRSRV

from scanner.dnsmsg import TYPE_PTR, DnsFormatError, query, records
from scanner.mdns import names_from_records
from scanner.ssdp import is_igd, m_search, parse_response


def _answer() -> bytes:
    """A printer's DNS-SD answer, as avahi sends it (scapy compresses the names)."""
    return bytes(DNS(id=0, qr=1, aa=1, an=[
        DNSRR(rrname="_services._dns-sd._udp.local", type="PTR", rdata="_ipp._tcp.local"),
        DNSRR(rrname="_ipp._tcp.local", type="PTR", rdata="Office Printer._ipp._tcp.local"),
        DNSRRSRV(rrname="Office Printer._ipp._tcp.local", port=631, target="printer01.local"),
        DNSRR(rrname="printer01.local", type="A", rdata="192.168.77.40"),
    ]))


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
    header = struct.pack("!HHHHHH", 0, 0x8400, 0, 1, 0, 0)
    looping = header + b"\xc0\x0c" + struct.pack("!HHIH", TYPE_PTR, 1, 120, 2) + b"\xc0\x0c"
    assert [r.value for r in records(looping)] == [""]  # read, bounded, nothing made up


def test_truncated_answers_raise_the_format_error_only() -> None:
    packet = _answer()
    whole = len(records(packet))
    for cut in range(0, len(packet) - 1, 7):
        with pytest.raises(DnsFormatError):
            records(packet[:cut])
    assert whole == 4


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
