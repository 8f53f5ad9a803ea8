"""Web admin interfaces: titles, redirects, and one real probe of a server on loopback."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest

from scanner.model import Service
from scanner.web import is_web, page_title, probe_service, redirects_to_https, scheme_of


def test_title_is_unescaped_bounded_and_one_line() -> None:
    assert page_title(b"<html><TITLE>Sophos &amp;\n Firewall</TITLE>") == "Sophos & Firewall"
    assert page_title(b"<title>" + b"x" * 5000 + b"</title>").endswith("…")
    assert page_title(b"no title here") == ""


def test_which_services_are_web() -> None:
    assert is_web(Service(80, "tcp", "http")) and is_web(Service(631, "tcp", "ipp"))
    assert not is_web(Service(22, "tcp", "ssh")) and not is_web(Service(161, "udp", "http"))
    assert scheme_of(Service(443, "tcp", "http", tunnel="ssl")) == "https"
    assert redirects_to_https(301, "https://fw/") and not redirects_to_https(200, "https://x")


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        if self.server.server_port % 2:  # type: ignore[attr-defined]
            self.send_response(302)
            self.send_header("Location", "https://127.0.0.1/")
            self.end_headers()
            return
        body = b"<title>Printer admin</title>" + b"x" * 200000
        self.send_response(200)
        self.send_header("Server", "TestServer/1.0")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[http.server.HTTPServer]:
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.handle_request, daemon=True)
    thread.start()
    yield httpd
    httpd.server_close()


def test_probe_reads_title_and_server_or_the_redirect(server: http.server.HTTPServer) -> None:
    port = server.server_port
    web = probe_service("127.0.0.1", Service(port, "tcp", "http"))
    if port % 2:
        assert web.redirects_to_https is True
    else:
        assert (web.title, web.server, web.redirects_to_https) == \
            ("Printer admin", "TestServer/1.0", False)


def test_probe_of_a_closed_port_keeps_nmaps_title() -> None:
    web = probe_service("127.0.0.1", Service(9, "tcp", "http",
                                             scripts={"http-title": "From nmap"}))
    assert (web.title, web.server) == ("From nmap", "")
