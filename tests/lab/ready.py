"""Wait until the office is ready: every expected TCP port answers a connect from the
laptop namespace, every expected UDP port has a listening socket in its host, and a
few services that open their port before they can answer (NUT before its driver
reports, DNS) give a real answer to a real client.

Polling is bounded by a deadline; a daemon that exits during start-up fails the
wait at once, naming the daemon and quoting the end of its log.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import netns
from .state import DaemonRecord
from .topology import LAPTOP_NS, Topology

PROBE = Path(__file__).resolve().parent / "probe.py"
CONNECT_TIMEOUT = 0.5
ROUND_PAUSE = 0.2
LOG_TAIL_LINES = 12


class NotReadyError(RuntimeError):
    """The office did not come up completely."""


def expected_targets(topo: Topology, truth: dict[str, Any]) -> dict[str, str]:
    """Return ``{"IP:PORT": "host"}`` for every TCP port the laptop must be able to reach."""
    targets = {f"{h['ip']}:{port}": h["name"] for h in truth["hosts"] for port in h["tcp_ports"]}
    targets[f"{topo.isp.ip}:80"] = "isp"  # through the firewall's NAT
    return targets


def probe_from_laptop(targets: Sequence[str], timeout: float = CONNECT_TIMEOUT
                      ) -> dict[str, list[str]]:
    """Run :mod:`probe` in the laptop namespace and return its result."""
    argv = [sys.executable, "-I", str(PROBE), "--timeout", str(timeout), *targets]
    proc = netns.ns_run(LAPTOP_NS, argv, timeout=timeout + 10, check=False)
    try:
        result: dict[str, list[str]] = json.loads(proc.stdout)
    except ValueError as exc:
        raise NotReadyError(f"probe failed in {LAPTOP_NS}: {proc.stderr.strip()}") from exc
    return result


def service_checks(truth: dict[str, Any]) -> dict[str, tuple[list[str], str]]:
    """Return ``{description: (argv run in the laptop namespace, text its output must hold)}``."""
    ip = {h["name"]: h["ip"] for h in truth["hosts"]}
    dc_name = next(h["hostnames"][0] for h in truth["hosts"] if h["name"] == "dc")
    return {
        f"ups {ip['ups']} NUT ups.status OL": (["upsc", f"ups@{ip['ups']}", "ups.status"], "OL"),
        f"fw {ip['fw']} DNS answer for {dc_name}": (["getent", "ahostsv4", dc_name], ip["dc"]),
        f"dc {ip['dc']} LDAP rootDSE": (
            ["ldbsearch", "-H", f"ldap://{ip['dc']}", "-s", "base", "-b", "", "dnsHostName"],
            "dnsHostName: "),
    }


def _check_passes(argv: list[str], needle: str) -> bool:
    try:
        proc = netns.ns_run(LAPTOP_NS, argv, timeout=5, check=False)
    except netns.LabCommandError:
        return False
    return proc.returncode == 0 and needle in proc.stdout


def expected_udp(truth: dict[str, Any]) -> dict[str, set[int]]:
    """Return ``{namespace: {udp ports}}`` from the ground truth."""
    return {h["ns"]: set(h["udp_ports"]) for h in truth["hosts"] if h["udp_ports"]}


def udp_listening(ns: str) -> set[int]:
    """Return the UDP ports that have a bound socket inside ``ns``."""
    proc = netns.ns_run(ns, ["ss", "-Hlun"], check=False)
    ports = set()
    for line in proc.stdout.splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[3].rpartition(":")[2].isdigit():
            ports.add(int(fields[3].rpartition(":")[2]))
    return ports


def log_tail(path: str, lines: int = LOG_TAIL_LINES) -> str:
    """Return the last ``lines`` lines of a log file (or a note that it is missing)."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return f"(no log at {path})"
    return "\n".join("    " + line for line in text.splitlines()[-lines:])


def _check_alive(procs: Sequence[tuple[subprocess.Popen[bytes], DaemonRecord]]) -> None:
    for popen, rec in procs:
        code = popen.poll()
        if code is not None:
            raise NotReadyError(
                f"{rec.host}/{rec.name} exited with code {code} during start-up "
                f"(log {rec.log}):\n{log_tail(rec.log)}"
            )


def wait_ready(topo: Topology, truth: dict[str, Any],
               procs: Sequence[tuple[subprocess.Popen[bytes], DaemonRecord]],
               timeout: float) -> float:
    """Block until every expected port answers; return the seconds waited."""
    targets = expected_targets(topo, truth)
    pending = list(targets)
    udp = expected_udp(truth)
    checks = service_checks(truth)
    start = time.monotonic()
    deadline = start + timeout
    while True:
        _check_alive(procs)
        if pending:
            result = probe_from_laptop(pending)
            pending = [t for t in pending if t not in set(result["open"])]
        for ns in list(udp):
            udp[ns] -= udp_listening(ns)
            if not udp[ns]:
                del udp[ns]
        if not pending:  # services are only worth asking once their ports are open
            checks = {d: c for d, c in checks.items() if not _check_passes(*c)}
        if not pending and not udp and not checks:
            return time.monotonic() - start
        if time.monotonic() >= deadline:
            break
        time.sleep(ROUND_PAUSE)
    by_ns = {h["ns"]: h for h in truth["hosts"]}
    for ns, ports in udp.items():
        host = by_ns[ns]
        for port in sorted(ports):
            targets[f"{host['ip']}:{port}/udp"] = host["name"]
            pending.append(f"{host['ip']}:{port}/udp")
    missing = ", ".join([f"{targets[t]} {t}" for t in pending] + list(checks))
    daemons = {rec.host: [] for _, rec in procs}
    for _, rec in procs:
        daemons[rec.host].append(rec.name)
    hosts = sorted({targets[t] for t in pending})
    detail = "; ".join(f"{h} runs {', '.join(daemons.get(h, []))}" for h in hosts)
    raise NotReadyError(
        f"not ready within {timeout:.0f}s (TCP: no connect from {LAPTOP_NS}; UDP: no "
        f"listening socket): {missing} "
        f"({detail}; logs under {Path(procs[0][1].log).parent if procs else '?'})"
    )
