"""A tiny NUT (Network UPS Tools, TCP 3493) client: which UPSes a upsd serves, and their state.

Two questions, no login: ``LIST UPS`` and ``LIST VAR <ups>``. Every read has a timeout, the
whole answer is bounded in bytes and lines, and only the first UPS is read in detail (a small
office has one). Parsing is separate from the socket so it can be tested with plain text.
"""

from __future__ import annotations

import re
import shlex
import socket
import time

from scanner.model import UpsStatus
from scanner.textsafe import bounded_name

PORT = 3493
TIMEOUT_S = 2.0
MAX_ANSWER = 64 * 1024
MAX_LINES = 500
_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")


class NutError(RuntimeError):
    """upsd answered with an error, or not in time."""


def parse_list(text: str, kind: str) -> list[tuple[str, ...]]:
    """The fields after ``kind`` of each line between BEGIN LIST and END LIST."""
    rows: list[tuple[str, ...]] = []
    for line in text.splitlines()[:MAX_LINES]:
        if line.startswith("ERR "):
            raise NutError(bounded_name(line))
        if not line.startswith(kind + " "):
            continue
        try:
            rows.append(tuple(shlex.split(line[len(kind) + 1:])))
        except ValueError:
            continue  # an unbalanced quote: skip the line, keep the rest
    return rows


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def ups_status(name: str, variables: dict[str, str]) -> UpsStatus:
    """A :class:`UpsStatus` from NUT variables (``ups.status``, ``battery.charge`` …)."""
    status = bounded_name(variables.get("ups.status", ""))
    words = status.split()
    charge = _number(variables.get("battery.charge"))
    runtime = _number(variables.get("battery.runtime"))  # seconds
    load = _number(variables.get("ups.load"))
    return UpsStatus(
        source="nut", name=bounded_name(name), status=status,
        on_battery=("OB" in words) if words else None,
        charge_percent=round(charge) if charge is not None else None,
        runtime_minutes=int(runtime // 60) if runtime is not None else None,
        load_percent=round(load) if load is not None else None,
        battery_needs_replacing=("RB" in words) if words else None,
        last_self_test=bounded_name(variables.get("ups.test.result", "")),
        manufacturer=bounded_name(variables.get("ups.mfr") or variables.get("device.mfr", "")),
        model=bounded_name(variables.get("ups.model") or variables.get("device.model", "")))


class _Session:
    def __init__(self, ip: str, port: int, timeout: float) -> None:
        self.sock = socket.create_connection((ip, port), timeout=timeout)
        self.deadline = time.monotonic() + 3 * timeout

    def ask(self, command: str, end: str) -> str:
        self.sock.sendall(command.encode("ascii") + b"\n")
        data = b""
        while end.encode() not in data and not data.startswith(b"ERR "):
            if time.monotonic() > self.deadline or len(data) > MAX_ANSWER:
                raise NutError(f"upsd did not finish answering {command.split()[0]} in time")
            chunk = self.sock.recv(4096)
            if not chunk:
                break
            data += chunk
        return data.decode("utf-8", errors="replace")

    def close(self) -> None:
        try:
            self.sock.sendall(b"LOGOUT\n")
        except OSError:
            pass
        self.sock.close()


def query(ip: str, port: int = PORT, timeout: float = TIMEOUT_S) -> UpsStatus | None:
    """The first UPS served by the upsd at ``ip``; None when it serves none.

    Raises :class:`NutError` or :class:`OSError` when upsd cannot be asked.
    """
    session = _Session(ip, port, timeout)
    try:
        upses = parse_list(session.ask("LIST UPS", "END LIST UPS"), "UPS")
        names = [row[0] for row in upses if row and _NAME.match(row[0])]
        if not names:
            return None
        name = names[0]
        rows = parse_list(session.ask(f"LIST VAR {name}", f"END LIST VAR {name}"), "VAR")
        variables = {row[1]: row[2] for row in rows if len(row) >= 3 and row[0] == name}
        return ups_status(name, variables)
    finally:
        session.close()
