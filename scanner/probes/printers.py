"""Printers that take raw jobs from anyone: JetDirect (9100) and LPD (515).

An open 9100 or 515 port accepts print jobs and printer commands from any address: neither
protocol has authentication. On 9100 the printer is asked ``@PJL INFO ID`` (read-only: it
prints nothing and changes nothing; ``@PJL READY``/``RDYMSG`` are writes and are never sent),
which also names the model. Hand-written because it is one line out and one line back; 3 s
and 1 KB at most.
"""

from __future__ import annotations

import socket

from scanner.model import Exposure, Host
from scanner.probes import DoorResult
from scanner.textsafe import bounded

UEL = b"\x1b%-12345X"
INFO_ID = UEL + b"@PJL INFO ID\r\n" + UEL
TIMEOUT_S = 3.0
MAX_ANSWER = 1024


def pjl_model(answer: bytes) -> str:
    """The model from a PJL ``INFO ID`` answer ("" when there is none)."""
    text = answer.replace(UEL, b"").replace(b"\x0c", b"").decode("latin-1")
    lines = [line.strip().strip('"') for line in text.splitlines() if line.strip()]
    if lines and lines[0].upper().startswith("@PJL INFO ID"):
        lines = lines[1:]
    return bounded(lines[0], 100) if lines else ""


def ask_pjl(ip: str, port: int = 9100) -> bytes:
    """The raw answer to ``@PJL INFO ID`` (b"" when the printer said nothing in time)."""
    data = b""
    with socket.create_connection((ip, port), timeout=TIMEOUT_S) as sock:
        sock.settimeout(TIMEOUT_S)
        sock.sendall(INFO_ID)
        try:
            while len(data) < MAX_ANSWER and b"\x0c" not in data:
                chunk = sock.recv(MAX_ANSWER - len(data))
                if not chunk:
                    break
                data += chunk
        except TimeoutError:
            pass
    return data


def probe(host: Host, result: DoorResult) -> None:
    """A printer_raw exposure for an open 9100 (with its PJL identity) and for LPD 515."""
    open_tcp = host.open_ports()
    result.probed.add("printer_raw")
    jetdirect = host.service(9100)
    if jetdirect is not None:
        answer = ask_pjl(host.ip)
        result.raw["pjl_info_id"] = bounded(answer.decode("latin-1"), 400)
        model = pjl_model(answer)
        # 9100 is also Prometheus' node exporter: without a PJL answer, only a port nmap
        # calls jetdirect counts as a printer.
        if model or jetdirect.name in ("jetdirect", "pdl-datastream"):
            result.exposures.append(Exposure(
                "printer_raw", 9100, name="JetDirect", access="query" if model else "open",
                detail=model,
                how=("@PJL INFO ID answered without authentication" if model else
                     "raw port 9100 accepted a connection (no PJL answer within 3 s)")))
    if 515 in open_tcp:
        result.exposures.append(Exposure(
            "printer_raw", 515, name="LPD", access="open",
            how="LPD port 515 open: the protocol has no authentication"))
