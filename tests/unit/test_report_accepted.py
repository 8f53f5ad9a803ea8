"""Accepted risks in the report: apart from the open issues, in their own appendix.

The sample office is assessed by the real ``checks.assess.assess`` with an exceptions file
(read by ``checks.exceptions.load_exceptions``, as ``sitewalk assess --exceptions`` does) and a
check profile: telnet is accepted on both devices that offer it, Remote Desktop on one of two,
and one acceptance has expired. The report must leave the accepted ones out of the issues, the
top five and the score, list them with who, why and until when, and treat the expired one as an
open issue that says so.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from checks.assess import assess
from checks.exceptions import load_exceptions
from checks.interview import load_saved_answers
from checks.profiles import load_profile
from checks.registry import all_checks
from reports.exports import FINDING_COLUMNS, finding_rows
from reports.render import render_html, render_pdf
from reports.view import ReportView
from reports.viewmodel import build_view_model
from scanner.folder import load_inventory

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "fixtures" / "report-sample"
TODAY = date(2025, 3, 14)  # the day of the sample's scan
PARTNER = "Jane Whitfield, managing partner"
MANAGER = "Tom Moreno, office manager"
EXCEPTIONS = f"""
[[exception]]
check = "SEC-002"
asset = "sw-core"
reason = "The switch is replaced in April; the new one has telnet switched off."
accepted_by = "{PARTNER}"
until = 2025-04-30

[[exception]]
check = "SEC-002"
asset = "192.168.20.11"
reason = "The UPS card is replaced with the switch."
accepted_by = "{PARTNER}"
until = 2025-04-30

[[exception]]
check = "SEC-004"
asset = "WM-DC01.wmcpa.local"
reason = "The tax software vendor supports the server over Remote Desktop."
accepted_by = "{MANAGER}"
until = 2025-12-31

[[exception]]
check = "SEC-001"
asset = "NPI3E91C4"
reason = "The printer was to be replaced last year."
accepted_by = "{MANAGER}"
until = 2025-01-31
"""
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler-utils (pdftotext) is not installed")


def load(name: str) -> dict[str, Any]:
    return json.loads((SAMPLE / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("accepted")
    known = {c.meta.id for c in all_checks()}
    (folder / "exceptions.toml").write_text(EXCEPTIONS, encoding="utf-8")
    (folder / "profile.toml").write_text('name = "Accounting firms"\n', encoding="utf-8")
    document = assess(load_inventory(SAMPLE), load_saved_answers(SAMPLE),
                      acceptances=load_exceptions(folder / "exceptions.toml", known),
                      profile=load_profile(folder / "profile.toml", known), today=TODAY)
    schema = json.loads((ROOT / "checks" / "schema" / "findings.schema.json").read_text())
    jsonschema.validate(document, schema)
    return document


@pytest.fixture(scope="module")
def view(findings) -> ReportView:
    return build_view_model(load("inventory.json"), findings)


@pytest.fixture(scope="module")
def text(view) -> str:
    """The visible words of the HTML report."""
    html = re.sub(r"<style>.*?</style>|<svg.*?</svg>", " ", render_html(view), flags=re.S)
    words = re.sub(r"<[^>]+>", " ", html).replace("&amp;", "&").replace("&#39;", "'")
    return re.sub(r"\s+", " ", words)


def issues(view: ReportView) -> dict[str, Any]:
    return {issue.check_id: issue for section in view.sections for issue in section.issues}


def test_the_assessment_muted_what_the_exceptions_file_accepts(findings) -> None:
    accepted = {(f["check_id"], f["ip"]): f["accepted"] for f in findings["findings"]
                if f["accepted"]}
    assert {key: value["in_force"] for key, value in accepted.items()} == {
        ("SEC-002", "192.168.20.2"): True, ("SEC-002", "192.168.20.11"): True,
        ("SEC-004", "192.168.20.5"): True, ("SEC-001", "192.168.20.20"): False}
    assert findings["profile"] == "Accounting firms"


def test_accepted_risks_are_not_open_issues_nor_in_the_top_five(view) -> None:
    found = issues(view)
    assert "SEC-002" not in found, "both telnet findings are accepted"
    assert "SEC-002" not in {issue.check_id for issue in view.top_issues}
    assert len(view.top_issues) == 5
    rdp = found["SEC-004"]
    assert [host.name for host in rdp.hosts] == ["WM-PARTNER01"]
    assert (rdp.accepted_elsewhere, rdp.accepted_targets) == (1, ("WM-DC01",))
    assert view.issue_count == len(found)
    assert sum(count.count for count in view.severity_counts) == view.issue_count
    exposure = next(section for section in view.sections if section.key == "exposure")
    assert exposure.accepted_count == 3


def test_the_appendix_lists_who_accepted_what_why_and_until_when(view) -> None:
    rows = [(r.check_id, r.device, r.ip, r.accepted_by, r.until) for r in view.accepted]
    assert rows == [
        ("SEC-002", "sw-core", "192.168.20.2", PARTNER, "April 30, 2025"),
        ("SEC-002", "APC-SMT1500", "192.168.20.11", PARTNER, "April 30, 2025"),
        ("SEC-004", "WM-DC01", "192.168.20.5", MANAGER, "December 31, 2025")]
    assert view.accepted[0].reason.startswith("The switch is replaced in April")
    assert view.accepted[0].severity == "high" and view.accepted[0].title == "Telnet is enabled"
    assert view.accepted_count == 3 and view.more_accepted == 0


def test_an_expired_acceptance_is_an_open_issue_with_a_note(view) -> None:
    snmp = issues(view)["SEC-001"]
    assert "NPI3E91C4" in [host.name for host in snmp.hosts]
    assert snmp.lapsed == (f"Acceptance by {MANAGER} expired on January 31, 2025 (NPI3E91C4).",)
    assert [(r.check_id, r.device, r.in_force, r.issue_anchor) for r in view.lapsed] == [
        ("SEC-001", "NPI3E91C4", False, snmp.anchor)]


def test_the_score_tables_leave_accepted_risks_out_as_the_score_does(view, findings) -> None:
    overall = findings["scores"]["overall"]["score"]
    plain = load("findings.json")["scores"]["overall"]["score"]
    assert overall < plain  # telnet (high) no longer counts
    assert view.method.worked_example.endswith(f"rounded to {overall}")
    total = view.method.results[-1]
    assert total.score.value == overall


def test_the_network_picture_does_not_mark_accepted_risks(view) -> None:
    boxes = {box.labels[1].text: box for box in view.network.boxes if len(box.labels) > 1}
    switch = boxes["192.168.20.2"]  # telnet accepted: only the SNMP community is left
    assert switch.marker.count == "1" and switch.description.endswith("1 open issue, medium")
    assert boxes["192.168.20.5"].marker.count == "1"  # RDP accepted, SRV-004 (low) left


def test_the_report_says_where_accepted_risks_went(view, text: str) -> None:
    assert view.plan.priced  # so the appendices are A (method), B (pricing), C (accepted)
    assert "C Accepted risks" in text
    assert ("3 problems you have accepted as a risk are listed apart in appendix C and left out"
            " of the score.") in text
    assert "Problems you have accepted as a risk are not repeated here" in text
    assert "3 accepted risks (appendix C)" in text
    assert "The same problem on WM-DC01 is an accepted risk, listed in appendix C." in text
    assert "Accepted risk, expired" in text
    assert f"Acceptance by {MANAGER} expired on January 31, 2025 (NPI3E91C4)." in text
    assert ("3 accepted risks are left out of this report's scores (appendix C), and 1 expired"
            " acceptance counted again.") in text
    assert "Check profile Accounting firms: the checks and their severities" in text
    assert "The checks and severities are those of the check profile “Accounting firms”." in text


def test_without_acceptances_or_profile_nothing_is_added(text: str) -> None:
    plain = build_view_model(load("inventory.json"), load("findings.json"))
    html = render_html(plain)
    assert not plain.has_acceptances and plain.check_profile == ""
    assert 'id="accepted"' not in html and "Check profile" not in html
    assert "No risk was accepted for this assessment." in html
    assert "accepted as a risk" not in html


def test_exports_carry_the_acceptance(findings) -> None:
    columns, rows = finding_rows(findings)
    assert columns == FINDING_COLUMNS
    at = {name: columns.index(name) for name in ("check_id", "ip", "accepted", "accepted_by",
                                                 "accepted_until")}
    marked = {(row[at["check_id"]], row[at["ip"]]): (row[at["accepted"]], row[at["accepted_by"]],
                                                     row[at["accepted_until"]])
              for row in rows if row[at["accepted"]]}
    assert marked[("SEC-002", "192.168.20.2")] == ("in force", PARTNER, "2025-04-30")
    assert marked[("SEC-001", "192.168.20.20")] == ("expired", MANAGER, "2025-01-31")
    assert len(marked) == 4


@needs_poppler
def test_the_pdf_has_the_appendix_and_the_contents_line(view, tmp_path: Path) -> None:
    output = tmp_path / "accepted.pdf"
    render_pdf(view, output)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(output), "-"], check=True,
                          capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", " ", text)
    contents = re.search(r"Contents(.*?)How to read this report", flat).group(1)
    assert re.search(r"C Accepted risks \d+", contents)
    appendix = flat[flat.rindex("C Accepted risks"):]
    for words in ("Telnet is enabled", "sw-core", "APC-SMT1500", PARTNER, "April 30, 2025",
                  "The tax software vendor supports the server over Remote Desktop.",
                  "December 31, 2025", "Acceptances that have expired", "NPI3E91C4",
                  "January 31, 2025"):
        assert words in appendix, words
    summary = subprocess.run(["pdftotext", "-f", "3", "-l", "3", str(output), "-"], check=True,
                             capture_output=True, text=True).stdout
    assert "issues to address first" in summary and "Telnet is enabled" not in summary


def test_a_passed_line_does_not_hide_an_accepted_problem(findings) -> None:
    changed = copy.deepcopy(findings)
    passed = next(f for f in changed["findings"] if f["check_id"] == "SEC-002")
    changed["findings"].append({**passed, "status": "PASS", "ip": "192.168.20.5",
                                "accepted": None, "message": "Telnet is closed on WM-DC01."})
    exposure = next(section for section in build_view_model(load("inventory.json"),
                                                            changed).sections
                    if section.key == "exposure")
    assert ("Telnet is closed on WM-DC01, except on 2 devices, where it is an accepted risk "
            "(see “Accepted risks”).") in exposure.passed_checks
