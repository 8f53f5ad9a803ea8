"""HTTP(S) admin interfaces: page title, Server header, redirect to HTTPS, certificate.

For every open port nmap named as HTTP (or IPP, which is HTTP), one ``GET /`` is sent with a
short timeout and at most :data:`MAX_BODY` bytes of the answer are read; certificates are not
verified (a device's self-signed certificate is what we want to see, not a reason to stop). The
certificate's details come from nmap's ssl-cert script on the same port.
"""

from __future__ import annotations

import html
import http.client
import re
import ssl
from collections.abc import Iterable

from scanner.model import Service, WebInterface
from scanner.nse import certificate
from scanner.textsafe import bounded_name

TIMEOUT_S = 3.0
MAX_BODY = 64 * 1024
_HTTP_NAMES = ("http", "https", "ipp", "http-proxy", "http-alt", "https-alt", "http-mgmt")
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)


def is_web(service: Service) -> bool:
    """Whether nmap named the service as HTTP(S)."""
    name = service.name.lower()
    return service.protocol == "tcp" and (name in _HTTP_NAMES or name.startswith("http"))


def scheme_of(service: Service) -> str:
    """"https" when TLS was seen on the port, else "http"."""
    return "https" if service.tunnel == "ssl" or service.name.lower() == "https" else "http"


def page_title(body: bytes) -> str:
    """The text of the first <title>, unescaped, one line, bounded."""
    match = _TITLE.search(body)
    if not match:
        return ""
    text = html.unescape(match.group(1).decode("utf-8", errors="replace"))
    return bounded_name(" ".join(text.split()))


def redirects_to_https(status: int, location: str) -> bool:
    """A 3xx answer whose Location is an https:// address."""
    return 300 <= status < 400 and location.strip().lower().startswith("https://")


def _connection(ip: str, port: int, scheme: str) -> http.client.HTTPConnection:
    if scheme == "https":
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # we report on the certificate, we do not trust it
        return http.client.HTTPSConnection(ip, port, timeout=TIMEOUT_S, context=context)
    return http.client.HTTPConnection(ip, port, timeout=TIMEOUT_S)


def fetch(ip: str, port: int, scheme: str) -> tuple[int, str, str, bytes]:
    """(status, Server header, Location header, first bytes of the body) of ``GET /``."""
    connection = _connection(ip, port, scheme)
    try:
        connection.request("GET", "/", headers={"User-Agent": "sitewalk", "Connection": "close"})
        response = connection.getresponse()
        body = response.read(MAX_BODY)
        return (response.status, response.getheader("Server") or "",
                response.getheader("Location") or "", body)
    finally:
        connection.close()


def probe_service(ip: str, service: Service) -> WebInterface:
    """What one web port shows; a port that does not answer HTTP keeps nmap's title."""
    scheme = scheme_of(service)
    cert = certificate(service.scripts.get("ssl-cert", "")) if scheme == "https" else None
    title = bounded_name(service.scripts.get("http-title", ""))
    try:
        status, server, location, body = fetch(ip, service.port, scheme)
    except (TimeoutError, OSError, http.client.HTTPException, ssl.SSLError, ValueError):
        return WebInterface(port=service.port, scheme=scheme, title=title, certificate=cert)
    redirect = redirects_to_https(status, location) if scheme == "http" else None
    return WebInterface(port=service.port, scheme=scheme,
                        title=page_title(body) or ("" if redirect else title),
                        server=bounded_name(server), redirects_to_https=redirect,
                        certificate=cert)


def web_interfaces(ip: str, services: Iterable[Service]) -> tuple[WebInterface, ...]:
    """Every HTTP(S) interface of one host, in port order."""
    return tuple(probe_service(ip, s) for s in sorted(services, key=lambda s: s.port)
                 if is_web(s))
