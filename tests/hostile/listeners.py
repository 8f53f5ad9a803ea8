"""The hostile office's TCP listeners: tarpit, handshake-only closer, broken NetBIOS session
service and hostile web admin.

Run inside a host's namespace by :mod:`tests.hostile.net`::

    python -m tests.hostile.listeners tarpit 22 80 443 445 3389 8080
    python -m tests.hostile.listeners closer 9
    python -m tests.hostile.listeners nbsession 139      # a one-byte NetBIOS session answer
    python -m tests.hostile.listeners web WORKDIR          # HTTP 80 + HTTPS 443

Every listener is bounded: it holds at most :data:`MAX_HELD` connections, answers at most
:data:`MAX_ANSWERS` requests, and exits by itself after :data:`LIFETIME_S` seconds, so a
forgotten one stops on its own. None of them ever connects anywhere: they only answer.
"""

from __future__ import annotations

import argparse
import asyncio
import http.server
import socketserver
import ssl
import sys
import threading
import time
from collections import deque
from pathlib import Path

from tests.hostile import strings

LIFETIME_S = 3 * 3600
MAX_HELD = 256  # connections a tarpit keeps open; beyond that the oldest is closed
HOLD_S = 300.0  # how long a tarpit keeps one connection before closing it
MAX_READ = 64 * 1024  # bytes read (and thrown away) from one tarpit connection
MAX_ANSWERS = 20_000  # web requests answered in the listener's lifetime
PAGE_PADDING = 200_000  # bytes of markup after the title: more than sitewalk reads


async def _tarpit(ports: list[int]) -> None:
    """Accept on ``ports`` and never send a byte; hold each connection up to HOLD_S."""
    held: deque[asyncio.StreamWriter] = deque()

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)
        while len(held) > MAX_HELD:
            held.popleft().close()
        read = 0
        deadline = time.monotonic() + HOLD_S
        try:
            while read < MAX_READ and not writer.is_closing():
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                chunk = await asyncio.wait_for(reader.read(4096), timeout=left)
                if not chunk:
                    break
                read += len(chunk)
            if read >= MAX_READ:  # stop reading, keep holding
                await asyncio.sleep(max(0.0, deadline - time.monotonic()))
        except (TimeoutError, ConnectionError):
            pass
        finally:
            if writer in held:
                held.remove(writer)
            writer.close()

    servers = [await asyncio.start_server(hold, "0.0.0.0", port, backlog=64) for port in ports]
    await asyncio.sleep(LIFETIME_S)
    for server in servers:
        server.close()


async def _closer(ports: list[int]) -> None:
    """Accept on ``ports`` and close at once: the handshake completes, nothing else happens."""
    async def close(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    servers = [await asyncio.start_server(close, "0.0.0.0", port, backlog=1024)
               for port in ports]
    await asyncio.sleep(LIFETIME_S)
    for server in servers:
        server.close()


async def _nbsession(port: int) -> None:
    """NetBIOS session service that answers a session request with one byte, then hangs up.

    0x83 is a negative session response, cut short: the four-byte header never arrives.
    """
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await asyncio.wait_for(reader.read(4096), timeout=5)
            writer.write(b"\x83")
            await writer.drain()
        except (TimeoutError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(answer, "0.0.0.0", port, backlog=64)
    await asyncio.sleep(LIFETIME_S)
    server.close()


def admin_page() -> bytes:
    """The admin page: a hostile <title>, then more markup than any scanner should read."""
    head = (f"<!DOCTYPE html><html><head><title>{strings.WEB_TITLE_HTML}</title></head>"
            "<body><h1>Login</h1>")
    padding = "<div>" + "<script>alert(0)</script>" * (PAGE_PADDING // 25) + "</div>"
    return (head + padding + "</body></html>").encode("utf-8")


class _AdminHandler(http.server.BaseHTTPRequestHandler):
    """GET answers the admin page with a hostile Server header; nothing else is served."""

    timeout = 10  # seconds a client may take to send its request
    answered = 0
    lock = threading.Lock()

    def version_string(self) -> str:
        return strings.WEB_SERVER_HEADER

    def do_GET(self) -> None:  # noqa: N802 - the name http.server dispatches to
        with _AdminHandler.lock:
            _AdminHandler.answered += 1
            if _AdminHandler.answered > MAX_ANSWERS:
                self.close_connection = True
                return
        body = admin_page()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass  # the client read what it wanted and hung up

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's name
        pass


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


def _web(workdir: Path) -> None:
    """HTTP on 80 and HTTPS on 443 (the certificate made by ``net.py`` in ``workdir``)."""
    plain = _Server(("0.0.0.0", 80), _AdminHandler)
    secure = _Server(("0.0.0.0", 443), _AdminHandler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(workdir / "web-cert.pem", workdir / "web-key.pem")
    secure.socket = context.wrap_socket(secure.socket, server_side=True,
                                        do_handshake_on_connect=False)
    for server in (plain, secure):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    time.sleep(LIFETIME_S)


def main(argv: list[str] | None = None) -> int:
    """Run one listener until it is killed or its lifetime is over."""
    parser = argparse.ArgumentParser(prog="python -m tests.hostile.listeners")
    sub = parser.add_subparsers(dest="kind", required=True)
    sub.add_parser("tarpit").add_argument("ports", nargs="+", type=int)
    sub.add_parser("closer").add_argument("ports", nargs="+", type=int)
    sub.add_parser("nbsession").add_argument("port", type=int)
    sub.add_parser("web").add_argument("workdir", type=Path)
    args = parser.parse_args(argv)
    if args.kind == "tarpit":
        asyncio.run(_tarpit(args.ports))
    elif args.kind == "closer":
        asyncio.run(_closer(args.ports))
    elif args.kind == "nbsession":
        asyncio.run(_nbsession(args.port))
    else:
        _web(args.workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
