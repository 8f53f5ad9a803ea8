"""An antivirus daemon (ClamAV's clamd) that answers anyone on the network.

clamd's protocol is one NUL-terminated command and one line back; the only Python client
(``clamd`` on PyPI) has had no release since 2014, so these few lines ask ``zPING`` and
``zVERSION`` themselves (read-only: nothing is scanned, nothing reloaded). One connection per
command, 3 s each, at most 512 bytes read.
"""

from __future__ import annotations

import socket

from scanner.model import Exposure, Host
from scanner.probes import DoorResult
from scanner.textsafe import bounded

PORT = 3310
TIMEOUT_S = 3.0
MAX_ANSWER = 512


def ask(ip: str, command: str, port: int = PORT, timeout: float = TIMEOUT_S) -> str:
    """clamd's answer to one ``z``-command ("" when it closed without answering)."""
    with socket.create_connection((ip, port), timeout=timeout) as sock:
        sock.settimeout(timeout)
        sock.sendall(b"z" + command.encode("ascii") + b"\0")
        data = b""
        while len(data) < MAX_ANSWER and b"\0" not in data:
            chunk = sock.recv(MAX_ANSWER - len(data))
            if not chunk:
                break
            data += chunk
    return data.split(b"\0", 1)[0].decode("utf-8", "replace").strip()


def probe(host: Host, result: DoorResult) -> None:
    """Record clamd answering PING (and its VERSION) on ``host``."""
    result.probed.add("clamd")
    pong = ask(host.ip, "PING")
    result.raw["clamd"] = {"PING": bounded(pong, 64)}
    if pong != "PONG":
        return
    version = bounded(ask(host.ip, "VERSION"), 120)
    result.raw["clamd"]["VERSION"] = version
    result.exposures.append(Exposure(
        "clamd", PORT, access="query", detail=version or "ClamAV",
        how="clamd answered PING with PONG and told its VERSION without any authentication"))
