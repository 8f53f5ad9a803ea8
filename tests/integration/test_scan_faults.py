"""nmap killed and the network cable pulled in the middle of a real scan.

Each test builds its own two-namespace network (:mod:`tests.integration.faultnet`), starts
``sitewalk scan`` in the scanner's namespace, waits for the service scan's nmap to run, and
then breaks something: SIGKILL to that nmap (found by walking the scan's process tree), or the
cable deleted. The scan must end on its own within a bound, exit 1 with one ``scan partial``
line, keep what it found (``complete`` and ``partial`` both true), and leave a folder that
``assess`` and ``report`` still work on.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.faultnet import SCAN_NS, TARGETS, FaultNet, in_ns, wait_for_nmap

SITEWALK = str(Path(sys.executable).with_name("sitewalk"))
SCAN_BOUND_S = 120  # a whole scan of the two targets takes about 15 s
LINK_LOST_BOUND_S = 20  # from the cable pulled to the scan's exit


@pytest.fixture
def faultnet(tmp_path: Path) -> Iterator[FaultNet]:
    if os.geteuid() != 0:
        pytest.fail("the scan fault tests need root (network namespaces)", pytrace=False)
    with FaultNet(tmp_path) as net:
        yield net


def _start_scan(folder: Path, profile: str = "quick") -> subprocess.Popen[str]:
    argv = in_ns(SCAN_NS, SITEWALK, "scan", *TARGETS, "--profile", profile, "--client",
                 "Fault test", "--out", str(folder), "--authorised-by", "Test Owner, owner",
                 "--authorised-on", "2026-01-05")
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def _finish(scan: subprocess.Popen[str], bound: float) -> str:
    try:
        _out, err = scan.communicate(timeout=bound)
    except subprocess.TimeoutExpired:
        os.killpg(scan.pid, signal.SIGKILL)
        scan.communicate(timeout=30)
        raise AssertionError(f"the scan did not end within {bound} s") from None
    return err


def _partial_line(err: str) -> str:
    lines = [line for line in err.splitlines() if "scan partial" in line]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def _assess_and_report(folder: Path) -> str:
    for argv in (["assess", str(folder)],
                 ["report", str(folder), "--format", "html", "--output",
                  str(folder / "report.html")]):
        done = subprocess.run([SITEWALK, *argv], capture_output=True, text=True, timeout=300,
                              check=False)
        assert done.returncode == 0, done.stderr
    return (folder / "report.html").read_text(encoding="utf-8")


def _inventory(folder: Path) -> dict:
    return json.loads((folder / "inventory.json").read_text())


def test_nmap_killed_mid_scan_keeps_what_was_found_and_marks_it_partial(
        faultnet: FaultNet, tmp_path: Path) -> None:
    folder = tmp_path / "killed"
    scan = _start_scan(folder)
    victim = wait_for_nmap(scan.pid, "-sV", TARGETS[0])
    os.kill(victim, signal.SIGKILL)
    err = _finish(scan, SCAN_BOUND_S)
    assert scan.returncode == 1, err
    line = _partial_line(err)
    assert line == (f"sitewalk: scan partial: nmap was killed (SIGKILL) during the service "
                    f"scan (while scanning {TARGETS[0]}); what it found before is kept in "
                    f"{folder / 'inventory.json'}"), line
    inventory = _inventory(folder)
    assert inventory["complete"] is True and inventory["partial"] is True
    assert inventory["authorisation"] == {"by": "Test Owner, owner", "on": "2026-01-05",
                                          "reference": ""}
    gaps = [(e["source"], e["target"], e["message"]) for e in inventory["errors"] if e["lost"]]
    assert gaps == [("nmap", TARGETS[0], "nmap was killed (SIGKILL) during the service scan")]
    ports = {h["ip"]: {s["port"] for s in h["services"]} for h in inventory["hosts"]}
    assert ports[TARGETS[0]] == {22, 80, 8080}, "the sweep's ports are kept"
    assert ports[TARGETS[1]] == {22, 80, 8080}
    other = next(h for h in inventory["hosts"] if h["ip"] == TARGETS[1])
    assert any(s["product"] for s in other["services"]), "the other host was identified"
    html = _assess_and_report(folder)
    assert "This scan was partial" in html
    assert "nmap was killed (SIGKILL) during the service scan" in html
    assert "Scanned with the written authorisation of Test Owner, owner" in html


def test_the_cable_pulled_mid_scan_ends_the_scan_quickly_and_marks_it_partial(
        faultnet: FaultNet, tmp_path: Path) -> None:
    folder = tmp_path / "unplugged"
    scan = _start_scan(folder)
    wait_for_nmap(scan.pid, "-sV", TARGETS[0])
    faultnet.pull_cable()
    pulled = time.monotonic()
    err = _finish(scan, LINK_LOST_BOUND_S)
    took = time.monotonic() - pulled
    print(f"the scan ended {took:.1f} s after the cable was pulled")
    assert scan.returncode == 1, err
    line = _partial_line(err)
    assert line.startswith(
        "sitewalk: scan partial: the network link swf-s0 disappeared during the scan; devices "
        "and services not yet scanned were not seen (and "), line
    assert line.endswith(f"what it found before is kept in {folder / 'inventory.json'}"), line
    inventory = _inventory(folder)
    assert inventory["complete"] is True and inventory["partial"] is True
    lost = [e for e in inventory["errors"] if e["lost"]]
    assert lost[0]["source"] == "network"
    assert any("nmap was stopped: the network link swf-s0 disappeared" in e["message"]
               for e in lost), lost
    ports = {h["ip"]: {s["port"] for s in h["services"]} for h in inventory["hosts"]}
    assert ports == {TARGETS[0]: {22, 80, 8080}, TARGETS[1]: {22, 80, 8080}}, \
        "what the sweep found before the cable was pulled is kept"
    html = _assess_and_report(folder)
    assert "This scan was partial" in html and "the network link swf-s0 disappeared" in html


def _findings(folder: Path) -> dict:
    done = subprocess.run([SITEWALK, "assess", str(folder)], capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads((folder / "findings.json").read_text())


def test_a_sweep_stopped_midway_is_unknown_declined_and_resumed(
        faultnet: FaultNet, tmp_path: Path) -> None:
    """The TCP sweep's nmap killed: no port seen on either host must not read as clean."""
    folder = tmp_path / "swept"
    scan = _start_scan(folder, "standard")
    victim = wait_for_nmap(scan.pid, "-sS", TARGETS[0])
    os.kill(victim, signal.SIGKILL)
    err = _finish(scan, SCAN_BOUND_S)
    assert scan.returncode == 1, err
    line = _partial_line(err)
    assert "nmap was killed (SIGKILL) during the TCP sweep" in line, line
    inventory = _inventory(folder)
    assert inventory["complete"] is True and inventory["partial"] is True
    unswept = [h["ip"] for h in inventory["hosts"]
               if any(g["stage"] == "tcp" for g in h.get("incomplete", []))]
    assert unswept, "the hosts the sweep did not finish are marked"
    findings = _findings(folder)
    for check_id in ("SEC-002", "SEC-004", "SEC-012", "SEC-013"):
        statuses = {f["status"] for f in findings["findings"] if f["check_id"] == check_id
                    and (f["ip"] in unswept or f["ip"] is None)}
        assert statuses == {"UNKNOWN"}, (check_id, statuses)
    if len(unswept) == len(TARGETS):  # nmap had finished neither host: nothing to conclude
        assert findings["verdict"]["verdict"] == "need_more_information"
        assert findings["verdict"]["reasons"][0].startswith("Not enough evidence: rescan.")
        assert findings["scores"]["overall"]["score"] is None
    # --resume redoes the lost sweep: the folder ends whole, with every port found.
    resume = subprocess.Popen(in_ns(SCAN_NS, SITEWALK, "scan", "--resume", str(folder)),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              start_new_session=True)
    err = _finish(resume, SCAN_BOUND_S)
    assert resume.returncode == 0, err
    assert "redoing what the earlier scan lost" in err
    inventory = _inventory(folder)
    assert inventory["complete"] is True and inventory["partial"] is False
    assert all(not h.get("incomplete") for h in inventory["hosts"])
    ports = {h["ip"]: {s["port"] for s in h["services"] if s["protocol"] == "tcp"}
             for h in inventory["hosts"]}
    assert ports == {TARGETS[0]: {22, 80, 8080}, TARGETS[1]: {22, 80, 8080}}
    findings = _findings(folder)
    assert not findings["verdict"].get("missing")
    assert {f["status"] for f in findings["findings"] if f["check_id"] == "SEC-002"} == {"PASS"}
