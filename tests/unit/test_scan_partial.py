"""A partial scan and the authorisation record, without a network.

The partial marker (``Inventory.partial`` and ``SourceError.lost``): how nmap runs end (a fake
nmap on PATH that kills itself, fails or hangs), the link watch, the pipeline's bookkeeping,
the one-line summary, and the report. The authorisation record: parsing, the JSON round trip,
the command line, and the report's words for it.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from reports.render import render_html
from reports.viewmodel import build_view_model
from scanner import nmap_scan
from scanner.authorisation import AuthorisationError, parse_authorisation
from scanner.folder import load_inventory, save_inventory, validate
from scanner.linkwatch import LinkWatch, link_state
from scanner.model import (
    INVENTORY_SCHEMA_VERSION,
    Authorisation,
    Host,
    Inventory,
    Service,
    SourceError,
    inventory_from_dict,
    inventory_to_dict,
)
from scanner.netinfo import LocalAddress
from scanner.nmap_scan import HostPorts, NmapRuns, run_nmap, silent_ports
from scanner.pipeline import (
    Progress,
    ScanRequest,
    _link_lost,
    _merge_ports,
    _Scan,
    partial_summary,
    watched_interfaces,
)
from scanner.profiles import PROFILES
from sitewalk.cli import main

SAMPLE = Path(__file__).parents[1] / "fixtures" / "report-sample"
TODAY = date(2026, 11, 20)


# -- the model and its JSON form -------------------------------------------------------------

def _partial_inventory() -> Inventory:
    host = Host(ip="192.168.79.10", services=(Service(22, "tcp", "ssh"),))
    return Inventory(
        client="Acme", targets=("192.168.79.0/24",), hosts=(host,), complete=True, partial=True,
        errors=(SourceError("probe", "no web page", "192.168.79.10"),
                SourceError("nmap", "nmap was killed (SIGKILL) during the service scan",
                            "192.168.79.10", lost=True)),
        authorisation=Authorisation("Dr. Maria Chen, practice owner", "2026-11-03",
                                    "signed engagement letter 2026-11-03"))


def test_partial_and_authorisation_round_trip_and_validate(tmp_path: Path) -> None:
    inventory = _partial_inventory()
    data = inventory_to_dict(inventory)
    assert data["schema_version"] == INVENTORY_SCHEMA_VERSION == "1.3"
    validate(data, "scanner", "inventory.schema.json", tmp_path / "x.json")
    assert inventory_from_dict(json.loads(json.dumps(data))) == inventory
    save_inventory(tmp_path, inventory)
    loaded = load_inventory(tmp_path)
    assert loaded == inventory
    assert [gap.source for gap in loaded.gaps] == ["nmap"]


def test_an_inventory_from_before_the_marker_still_loads(tmp_path: Path) -> None:
    old = json.loads((SAMPLE / "inventory.json").read_text())
    assert old["schema_version"] in ("1.0", "1.1") and "partial" not in old
    (tmp_path / "inventory.json").write_text(json.dumps(old))
    loaded = load_inventory(tmp_path)
    assert (loaded.partial, loaded.authorisation, loaded.gaps) == (False, None, ())


def test_the_schema_refuses_a_bad_authorisation_date(tmp_path: Path) -> None:
    data = inventory_to_dict(_partial_inventory())
    data["authorisation"]["on"] = "3 Nov"
    with pytest.raises(ValueError, match="authorisation/on"):
        validate(data, "scanner", "inventory.schema.json", tmp_path / "x.json")


# -- how an nmap run ends --------------------------------------------------------------------

def _fake_nmap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "nmap"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")


@pytest.mark.parametrize(("body", "expected"), [
    ("echo '<nmaprun><host>'; kill -KILL $$", "nmap was killed (SIGKILL)"),
    ("echo 'Failed to open device veth0' >&2; exit 1", "nmap failed (exit 1: Failed to open "
                                                        "device veth0)"),
    ("echo '<nmaprun><host>'", "nmap's output was not a whole XML report"),
    ("exec sleep 30", "nmap did not finish within 0.5 s"),
])
def test_a_run_that_ends_badly_says_how_and_saves_nothing(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          body: str, expected: str) -> None:
    _fake_nmap(tmp_path, monkeypatch, body)
    started = time.monotonic()
    xml_text, error = run_nmap(["192.168.79.10"], ["-sT"], tmp_path / "out.xml", False, 0.5)
    assert (xml_text, error) == (None, expected)
    assert not (tmp_path / "out.xml").exists()
    assert time.monotonic() - started < 10


def test_a_whole_run_is_saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_nmap(tmp_path, monkeypatch, "echo '<nmaprun></nmaprun>'")
    assert run_nmap(["192.168.79.10"], [], tmp_path / "out.xml", False, 5) == (
        "<nmaprun></nmaprun>\n", "")
    assert (tmp_path / "out.xml").read_text() == "<nmaprun></nmaprun>\n"


def test_stopping_the_runs_kills_the_running_nmap_and_starts_no_more(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_nmap(tmp_path, monkeypatch, "exec sleep 30")
    runs = NmapRuns()
    monkeypatch.setattr(nmap_scan, "RUNS", runs)
    result: list[tuple[str | None, str]] = []
    worker = threading.Thread(target=lambda: result.append(
        run_nmap(["192.168.79.10"], [], tmp_path / "a.xml", False, 60)))
    worker.start()
    deadline = time.monotonic() + 5
    while not runs._running and time.monotonic() < deadline:
        time.sleep(0.02)
    runs.stop("the network link veth0 disappeared")
    worker.join(timeout=5)
    assert result == [(None, "nmap was stopped: the network link veth0 disappeared")]
    assert run_nmap(["192.168.79.10"], [], tmp_path / "b.xml", False, 60) == (
        None, "nmap was not run: the network link veth0 disappeared")
    runs.reset()
    assert runs.stopped == ""


SILENT = """<nmaprun args="nmap" start="0" startstr="" version="7.93">
<scaninfo type="connect" protocol="tcp" numservices="4" services="22,25,80,443"/>
<host><address addr="192.168.79.10" addrtype="ipv4"/><ports>
<extraports state="filtered" count="2"><extrareasons reason="no-response" count="2"
 ports="80,443"/></extraports>
<port protocol="tcp" portid="22"><state state="filtered" reason="no-response"/></port>
<port protocol="tcp" portid="25"><state state="closed" reason="conn-refused"/></port>
</ports></host><runstats><finished time="1" timestr="" elapsed="1.0"/>
<hosts up="1" down="0" total="1"/></runstats></nmaprun>"""


def test_ports_that_stopped_answering_are_found() -> None:
    assert silent_ports(SILENT, "192.168.79.10") == [22, 80, 443]
    assert silent_ports(SILENT, "192.168.79.11") == []
    assert silent_ports("<nmaprun", "192.168.79.10") == []


def test_a_service_scan_whose_ports_went_silent_lost_results(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nmap_scan, "run_nmap", lambda *args: (SILENT, ""))
    found = nmap_scan.detect_services("192.168.79.10", [22, 80, 443, 25], PROFILES["quick"],
                                      tmp_path)
    assert len(found.lost) == 1 and found.lost == found.errors
    assert found.lost[0].startswith("3 of 4 open ports stopped answering")


# -- the pipeline's bookkeeping and the one line ---------------------------------------------

def _scan(tmp_path: Path) -> _Scan:
    scan = _Scan(ScanRequest(client="Acme", folder=tmp_path, targets=("192.168.79.0/24",)),
                 Progress())
    scan.hosts["192.168.79.10"] = Host(ip="192.168.79.10")
    return scan


def test_benign_notes_do_not_make_the_scan_partial(tmp_path: Path) -> None:
    scan = _scan(tmp_path)
    scan.error("probe", "no web page answered", "192.168.79.10")
    _merge_ports(scan, HostPorts(ip="192.168.79.10", errors=["120 TCP ports answer"]), "tcp")
    inventory = scan.save(complete=True)
    assert inventory.errors and not inventory.partial and partial_summary(inventory) == ""


def test_a_lost_run_makes_the_saved_inventory_partial_and_keeps_the_hosts(
        tmp_path: Path) -> None:
    scan = _scan(tmp_path)
    found = HostPorts(ip="192.168.79.10", services=[Service(22, "tcp", "ssh")])
    found.fail("nmap was killed (SIGKILL) during the service scan")
    _merge_ports(scan, found, "tcp")
    scan.save(complete=True)
    saved = load_inventory(tmp_path)
    assert saved.complete and saved.partial
    assert saved.host("192.168.79.10").open_ports() == {22}
    assert partial_summary(saved) == ("nmap was killed (SIGKILL) during the service scan "
                                      "(while scanning 192.168.79.10)")


def test_a_lost_link_is_recorded_first_and_stops_the_runs(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    runs = NmapRuns()
    monkeypatch.setattr("scanner.pipeline.RUNS", runs)
    scan = _scan(tmp_path)
    scan.error("nmap", "nmap was stopped: the network link veth0 disappeared", "192.168.79.10",
               lost=True)
    _link_lost(scan, "veth0", "gone")
    assert runs.stopped == "the network link veth0 disappeared"
    summary = partial_summary(scan.save(complete=True))
    assert summary.startswith("the network link veth0 disappeared during the scan")
    assert summary.endswith("(and 1 more gaps, listed in inventory.json)")


def test_the_summary_is_one_bounded_line() -> None:
    inventory = Inventory(client="x", targets=(), partial=True, errors=(
        SourceError("nmap", "nmap failed\n(exit 1: " + "A" * 5000 + ")", lost=True),))
    line = partial_summary(inventory)
    assert "\n" not in line and len(line) <= 300


def test_the_link_watch_calls_once_when_a_link_goes() -> None:
    states = iter(["up", "up", "gone", "gone"])
    calls: list[tuple[str, str]] = []
    with LinkWatch(("veth0",), lambda name, state: calls.append((name, state)), poll_s=0.01,
                   state=lambda name: next(states, "gone")) as watch:
        deadline = time.monotonic() + 5
        while not calls and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.05)
    assert calls == [("veth0", "gone")] and watch.lost == "gone"


def test_link_state_of_real_and_missing_interfaces(tmp_path: Path) -> None:
    assert link_state("lo") == "up"
    assert link_state("swfault-none0") == "gone"
    (tmp_path / "lo").mkdir()
    (tmp_path / "lo" / "operstate").write_text("down\n")
    assert link_state("lo", tmp_path) == "down"


def test_the_watched_links_are_those_the_targets_are_reached_by() -> None:
    local = [LocalAddress("veth0", "192.168.79.1", 24, None),
             LocalAddress("wlan0", "10.1.1.5", 24, None)]
    assert watched_interfaces(["192.168.79.10"], local, "wlan0") == ("veth0",)
    assert watched_interfaces(["192.168.79.10", "172.16.0.1"], local, "wlan0") == (
        "veth0", "wlan0")
    assert watched_interfaces(["172.16.0.1"], local, None) == ()


# -- the authorisation record ----------------------------------------------------------------

def test_an_authorisation_is_parsed_and_bounded() -> None:
    assert parse_authorisation(None, None, None) is None
    assert parse_authorisation(" Maria Chen, owner ", "2026-11-03", None, TODAY) == \
        Authorisation("Maria Chen, owner", "2026-11-03", "")
    assert parse_authorisation("M", "2026-11-21", "letter", TODAY).reference == "letter"


@pytest.mark.parametrize(("by", "on", "ref", "message"), [
    ("M", "03/11/2026", None, "is not a date (YYYY-MM-DD)"),
    ("M", "2026-02-30", None, "is not a real date"),
    ("M", "2026-12-25", None, "is in the future"),
    ("M", None, None, "go together"),
    (None, "2026-11-03", None, "go together"),
    (None, None, "letter", "go together"),
    ("   ", "2026-11-03", None, "is empty"),
    ("M\nN", "2026-11-03", None, "one line"),
    ("M" * 201, "2026-11-03", None, "longer than 200"),
    ("M", "2026-11-03", "r" * 301, "longer than 300"),
])
def test_a_bad_authorisation_is_refused(by: str | None, on: str | None, ref: str | None,
                                        message: str) -> None:
    with pytest.raises(AuthorisationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_authorisation(by, on, ref, TODAY)


def test_the_scan_refuses_a_bad_date_in_one_line_with_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["scan", "192.168.79.10", "--client", "X", "--out",
                                       str(tmp_path / "o"), "--authorised-by", "M",
                                       "--authorised-on", "2026-13-01"])
    assert result.exit_code == 2
    assert result.stderr.strip() == ("sitewalk: error: --authorised-on '2026-13-01' is not a "
                                     "real date")
    assert not (tmp_path / "o").exists()


def _fake_run_scan(result: Inventory, seen: list[ScanRequest]) -> Callable[..., Inventory]:
    """A run_scan that sends nothing: it says its targets and returns ``result``."""
    def run_scan(request: ScanRequest, progress: Progress, resume: bool = False,
                 on_targets: Callable[[list[str]], None] | None = None) -> Inventory:
        seen.append(request)
        assert on_targets is not None
        on_targets(["192.168.79.10"])
        return result
    return run_scan


@pytest.mark.parametrize(("options", "warned"), [
    ([], True),
    (["--authorised-by", "M. Chen, owner", "--authorised-on", "2026-11-03"], False),
])
def test_a_scan_without_authorisation_warns_in_one_line(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        options: list[str],
                                                        warned: bool) -> None:
    seen: list[ScanRequest] = []
    monkeypatch.setattr("scanner.pipeline.run_scan",
                        _fake_run_scan(Inventory(client="X", targets=()), seen))
    result = CliRunner().invoke(main, ["scan", "192.168.79.10", "--client", "X", "--out",
                                       str(tmp_path / "o"), *options])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert warnings == (["sitewalk: warning: no authorisation record given (--authorised-by, "
                         "--authorised-on): scan only with the client's written authorisation"]
                        if warned else [])
    assert seen[0].authorisation == (None if warned else Authorisation(
        "M. Chen, owner", "2026-11-03", ""))


def test_a_partial_scan_prints_one_line_and_exits_1(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("scanner.pipeline.run_scan",
                        _fake_run_scan(_partial_inventory(), []))
    result = CliRunner().invoke(main, ["scan", "192.168.79.10", "--client", "X", "--out",
                                       str(tmp_path / "o"), "--authorised-by", "M",
                                       "--authorised-on", "2026-11-03"])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if "partial" in line]
    assert lines == [f"sitewalk: scan partial: nmap was killed (SIGKILL) during the service "
                     f"scan (while scanning 192.168.79.10); what it found before is kept in "
                     f"{tmp_path / 'o' / 'inventory.json'}"]


# -- the report ------------------------------------------------------------------------------

def _report(inventory_changes: dict) -> str:
    inventory = json.loads((SAMPLE / "inventory.json").read_text())
    inventory.update(inventory_changes)
    findings = json.loads((SAMPLE / "findings.json").read_text())
    return render_html(build_view_model(inventory, findings, report_date=TODAY))


def test_the_report_says_the_scan_was_partial_and_what_was_not_seen() -> None:
    hostile = "<script>alert(1)</script>" + "x" * 2000
    html = _report({"partial": True, "errors": [
        {"source": "network", "target": "", "lost": True,
         "message": "the network link veth0 disappeared during the scan"},
        {"source": "nmap", "target": "192.168.79.10", "lost": True, "message": hostile},
        {"source": "probe", "target": "192.168.79.10", "message": "benign note"}]})
    assert "This scan was partial" in html and "Partial scan:" in html
    assert "lost part of its results (the network link veth0 disappeared" in html
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "x" * 500 not in html  # bounded here and in the table of every error
    assert html.count("the network link veth0 disappeared") == 2, "summary and gaps, not thrice"
    assert "benign note" in html


def test_a_partial_scan_without_other_errors_says_so_once() -> None:
    html = _report({"partial": True, "errors": [
        {"source": "nmap", "target": "192.168.79.10", "lost": True,
         "message": "nmap was killed (SIGKILL) during the service scan"}]})
    assert "Apart from the gaps listed above, every step of the scan completed" in html
    assert html.count("nmap was killed (SIGKILL) during the service scan") == 2


def test_a_whole_scan_says_nothing_about_gaps() -> None:
    html = _report({})
    assert "partial" not in html.casefold().replace("class=\"warning partial\"", "")


def test_the_report_names_the_authorisation_or_says_none_was_recorded() -> None:
    html = _report({"authorisation": {"by": "Dr. Maria Chen, practice owner", "on": "2026-11-03",
                                      "reference": "signed engagement letter <b>2026</b>"}})
    assert ("Scanned with the written authorisation of Dr. Maria Chen, practice owner, given on "
            "November 3, 2026, ref. signed engagement letter &lt;b&gt;2026&lt;/b&gt;.") in html
    assert "Scanned with the written authorisation of Dr. Maria Chen, practice owner, given on " \
        "November 3, 2026." in html, "the cover names it"
    unrecorded = _report({})
    assert "None recorded: no written authorisation" in unrecorded
    assert "Scanned with the written authorisation" not in unrecorded, \
        "the client-facing cover says nothing when none was recorded"
