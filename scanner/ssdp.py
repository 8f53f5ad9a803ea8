"""UPnP Internet Gateway Devices: who answers an SSDP search on the local segment.

A router that answers SSDP as an IGD lets any program on the LAN open ports to the internet.
One M-SEARCH goes to the SSDP group (239.255.255.250:1900) and one straight to the gateway;
answers are read for at most :data:`WAIT_S` seconds, :data:`MAX_PACKETS` packets at most.
"""

from __future__ import annotations

import socket
import struct
import time

GROUP = ("239.255.255.250", 1900)
WAIT_S = 1.5
MAX_PACKETS = 100
IGD_TYPES = ("urn:schemas-upnp-org:device:InternetGatewayDevice:",
             "urn:schemas-upnp-org:service:WANIPConnection:",
             "urn:schemas-upnp-org:service:WANPPPConnection:")
SEARCH_TARGET = "urn:schemas-upnp-org:device:InternetGatewayDevice:1"


def m_search(target: str = SEARCH_TARGET, mx: int = 1) -> bytes:
    """An SSDP M-SEARCH request for ``target``."""
    return (f"M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\n"
            f"MX: {mx}\r\nST: {target}\r\nUSER-AGENT: sitewalk/1 UPnP/1.1\r\n\r\n"
            ).encode("ascii")


def parse_response(data: bytes) -> dict[str, str]:
    """Header name (lower case) -> value of an SSDP answer; empty if it is not a 200 answer."""
    lines = data[:4096].decode("utf-8", errors="replace").split("\r\n")
    if not lines or not lines[0].startswith("HTTP/1.") or " 200" not in lines[0]:
        return {}
    headers: dict[str, str] = {}
    for line in lines[1:50]:
        key, sep, value = line.partition(":")
        if sep:
            headers.setdefault(key.strip().lower(), value.strip()[:300])
    return headers


def is_igd(headers: dict[str, str]) -> bool:
    """Whether an SSDP answer announces an Internet Gateway Device or its WAN service."""
    announced = headers.get("st", "") + " " + headers.get("usn", "")
    return any(kind in announced for kind in IGD_TYPES)


def find_gateways(local_ip: str | None, gateway: str | None,
                  wait_s: float = WAIT_S) -> dict[str, str]:
    """ip -> the SSDP ``SERVER`` (or ``LOCATION``) of each device answering as an IGD.

    Raises :class:`OSError` if the socket cannot be opened or the search not sent.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    found: dict[str, str] = {}
    try:
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, struct.pack("B", 2))
        if local_ip:
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(local_ip))
        sock.bind((local_ip or "", 0))
        sock.sendto(m_search(), GROUP)
        if gateway:
            sock.sendto(m_search(), (gateway, GROUP[1]))
        deadline = time.monotonic() + wait_s
        for _ in range(MAX_PACKETS):
            left = deadline - time.monotonic()
            if left <= 0:
                break
            sock.settimeout(left)
            try:
                data, (source, _port) = sock.recvfrom(4096)
            except TimeoutError:
                break
            headers = parse_response(data)
            if headers and is_igd(headers):
                found.setdefault(source, headers.get("server") or headers.get("location", ""))
    finally:
        sock.close()
    return found
