"""The NUT client: parsing upsd's lists, and a bounded conversation with a fake upsd."""

from __future__ import annotations

import socket
import threading

import pytest

from scanner.nut import NutError, parse_list, query, ups_status

VARS = """BEGIN LIST VAR ups
VAR ups battery.charge "100"
VAR ups battery.runtime "1800"
VAR ups ups.load "23"
VAR ups ups.mfr "APC"
VAR ups ups.model "Smart-UPS 750"
VAR ups ups.status "OL"
END LIST VAR ups
"""


def test_parse_list_and_status() -> None:
    rows = parse_list(VARS, "VAR")
    variables = {r[1]: r[2] for r in rows}
    ups = ups_status("ups", variables)
    assert (ups.source, ups.status, ups.on_battery, ups.charge_percent, ups.runtime_minutes,
            ups.load_percent, ups.manufacturer, ups.model) == \
        ("nut", "OL", False, 100, 30, 23, "APC", "Smart-UPS 750")
    worn = ups_status("ups", {"ups.status": "OB LB RB", "battery.charge": "12.5"})
    assert (worn.on_battery, worn.battery_needs_replacing, worn.charge_percent) == \
        (True, True, 12)
    assert ups_status("ups", {"battery.charge": "n/a"}).charge_percent is None


def test_errors_and_bad_quotes() -> None:
    with pytest.raises(NutError):
        parse_list("ERR ACCESS-DENIED\n", "UPS")
    assert parse_list('UPS "unbalanced\nUPS ok "fine"\n', "UPS") == [("ok", "fine")]


def _fake_upsd(answers: dict[bytes, bytes]) -> tuple[socket.socket, int]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(5)

    def serve() -> None:
        try:
            conn, _ = server.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(5)
            buffer = b""
            for _ in range(10):  # bounded: a few commands at most
                try:
                    chunk = conn.recv(1024)
                except OSError:
                    return
                if not chunk:
                    return
                buffer += chunk
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    conn.sendall(answers.get(line, b""))

    threading.Thread(target=serve, daemon=True).start()
    return server, server.getsockname()[1]


def test_query_against_a_fake_upsd_on_loopback() -> None:
    server, port = _fake_upsd({b"LIST UPS": b'BEGIN LIST UPS\nUPS ups "Smart-UPS"\nEND LIST UPS\n',
                               b"LIST VAR ups": VARS.encode()})
    with server:
        ups = query("127.0.0.1", port=port, timeout=2)
    assert ups is not None and (ups.name, ups.status, ups.load_percent) == ("ups", "OL", 23)


def test_a_upsd_that_never_finishes_costs_bounded_time() -> None:
    server, port = _fake_upsd({b"LIST UPS": b"BEGIN LIST UPS\nUPS ups \"x\"\n"})
    with server, pytest.raises((NutError, OSError)):
        query("127.0.0.1", port=port, timeout=0.3)
