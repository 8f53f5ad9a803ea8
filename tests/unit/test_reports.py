"""The report renderer on the hand-written sample assessment: view-model, HTML and PDF.

``findings-handwritten.json`` is the older, hand-written findings file of the sample (no
``plan``; invented checks in every area, site-wide issues, UNKNOWN and NOT_APPLICABLE results):
it exercises the layout of the findings. The plan chapter is tested on the sample's real
``findings.json`` in ``test_report_plan.py``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest

from reports.render import render_html, render_pdf, render_report
from reports.viewmodel import build_view_model

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "fixtures" / "report-sample"
HANDWRITTEN = "findings-handwritten.json"
SCHEMAS = {
    "inventory.json": ROOT / "scanner" / "schema" / "inventory.schema.json",
    "findings.json": ROOT / "checks" / "schema" / "findings.schema.json",
    HANDWRITTEN: ROOT / "checks" / "schema" / "findings.schema.json",
}
SECTIONS = ("Executive summary", "Is managed IT the right fit?", "Our recommendation",
            "Findings by area", "What we could not assess", "Device inventory",
            "How this assessment was done")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler-utils (pdftotext) is not installed")


def load(name: str) -> dict:
    return json.loads((SAMPLE / name).read_text(encoding="utf-8"))


def fail_titles() -> set[str]:
    findings = load(HANDWRITTEN)
    return {f["title"] for f in findings["findings"] if f["status"] == "FAIL"}


def squash(text: str) -> str:
    """Text with all whitespace collapsed, so line breaks in a PDF do not matter."""
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True)
    return done.stdout


@pytest.fixture(scope="module")
def view():
    return build_view_model(load("inventory.json"), load(HANDWRITTEN))


@pytest.fixture(scope="module")
def html(view) -> str:
    return render_html(view)


@pytest.fixture(scope="module")
def pdf(view, tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("report") / "report.pdf"
    render_pdf(view, output)
    return output


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_sample_validates_against_its_schema(name: str) -> None:
    schema = json.loads(SCHEMAS[name].read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema,
                                                format_checker=jsonschema.FormatChecker())
    errors = [error.message for error in validator.iter_errors(load(name))]
    assert errors == []


def test_failures_of_one_check_become_one_issue(view) -> None:
    issues = {issue.check_id: issue for section in view.sections for issue in section.issues}
    telnet = issues["SEC-002"]
    assert telnet.host_count == 2
    assert [host.name for host in telnet.hosts] == ["sw-core", "APC-SMT1500"]
    assert telnet.risk.startswith("Telnet sends passwords")
    assert telnet.service == "Security hardening"
    assert len(telnet.remediation) == 3
    assert issues["SEC-001"].host_count == 4
    assert issues["BAK-002"].site_wide and issues["BAK-002"].scope == "Whole network"
    assert view.issue_count == len(fail_titles()) == 11


def test_top_issues_are_the_most_severe_first(view) -> None:
    ranks = {"critical": 0, "high": 1, "medium": 2, "low": 3}
    top = view.top_issues
    assert len(top) == 5
    assert [ranks[issue.severity] for issue in top] == sorted(ranks[i.severity] for i in top)
    assert top[0].check_id == "BAK-002"
    assert all(issue.summary and len(issue.summary) <= 170 for issue in top)


def test_areas_keep_the_report_order_and_names(view) -> None:
    assert [section.key for section in view.sections] == [
        "firewall", "backup", "av", "power", "servers", "network", "exposure", "fit"]
    assert view.sections[0].name == "Firewall & gateway"
    assert [area.key for area in view.areas] == [
        "firewall", "backup", "av", "power", "servers", "network", "exposure"]
    assert view.areas[2].score.value is None and view.areas[2].score.display == "–"


def test_verdict_reads_in_plain_words(view) -> None:
    verdict = view.verdict
    assert verdict.tone == "good"
    assert verdict.sentence.startswith("Whitfield & Moreno CPAs is the right size")
    states = {c.name: c.state_label for c in verdict.criteria}
    assert states["Big enough (10–100 computer users)"] == "Fits"
    assert states["Backup with an offsite copy needed"] == "Needed, missing today"
    assert states["A business firewall needed"] == "Needed, in place"
    assert states["Downtime is expensive"] == "Not yet known"
    assert len(verdict.to_confirm) == 2
    assert [s.name for s in view.plan_services][0] == "Backup with offsite copy"


def test_unknown_results_are_listed_apart_with_reasons(view) -> None:
    assert [(item.check_id, item.target) for item in view.not_assessed] == [
        ("BAK-003", "wm-nas01"), ("AV-001", "Whole network")]
    assert all(item.reason for item in view.not_assessed)


def test_passes_are_summarised_by_their_own_message(view) -> None:
    exposure = next(section for section in view.sections if section.key == "exposure")
    assert exposure.passed_checks == ("No FTP server accepts anonymous logins.",)
    assert view.pass_count == 6


def test_inventory_rows_read_like_a_person_wrote_them(view) -> None:
    rows = {row.ip: row for row in view.inventory}
    assert len(rows) == 17
    assert [row.ip for row in view.inventory][:3] == [
        "192.168.20.1", "192.168.20.2", "192.168.20.5"]
    firewall = rows["192.168.20.1"]
    assert (firewall.name, firewall.named, firewall.is_gateway) == (
        "SonicWall TZ 400", False, True)
    assert rows["192.168.20.2"].services == ("22/ssh", "23/telnet", "80/http", "161/snmp (udp)")
    assert "3389/rdp" in rows["192.168.20.5"].services
    assert "5001/https" in rows["192.168.20.10"].services
    assert rows["192.168.20.150"].class_label == "Unidentified"
    counts = {count.label: count.count for count in view.class_counts}
    assert counts["Workstation"] == 7 and counts["Printer"] == 2


def test_score_tables_reproduce_the_published_scores(view) -> None:
    weights = load(HANDWRITTEN)["scores"]["weights"]
    order = ("critical", "high", "medium", "low", "info")
    for row in view.method.results:
        pairs = [tuple(map(int, cell.split(" / "))) if cell != "–" else (0, 0)
                 for cell in row.cells]
        failed = sum(weights[s] * f for s, (f, _) in zip(order, pairs, strict=True))
        assessed = sum(weights[s] * a for s, (_, a) in zip(order, pairs, strict=True))
        expected = round(100 * failed / assessed) if assessed else None
        assert expected == row.score.value, row.name
    assert view.method.worked_example.endswith("rounded to 60")


def test_html_is_standalone_and_has_every_section(html: str) -> None:
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html.lower()
    assert "<link" not in html and "@import" not in html and "url(" not in html
    # Nothing to fetch: images are inline (data: URIs); links are in-document anchors, or
    # reference links a reader may follow (links are never fetched to render the page).
    assert all(src.startswith("data:") for src in re.findall(r'\bsrc="([^"]*)"', html))
    assert all(href.startswith(("#", "https://", "http://"))
               for href in re.findall(r'\bhref="([^"]*)"', html))
    for section in SECTIONS:
        assert section in html
    assert "Whitfield &amp; Moreno CPAs" in html
    assert "Sweet spot: a good fit for a flat-rate managed plan" in html
    for title in fail_titles():
        assert title.replace("'", "&#39;") in html
    assert "Prepared with sitewalk" in html
    assert "<svg" in html
    assert "No plan was priced" in html and 'id="pricing"' not in html


@needs_poppler
def test_pdf_contains_the_sections_client_verdict_and_findings(pdf: Path) -> None:
    text = squash(pdf_text(pdf))
    for section in SECTIONS:
        assert section in text
    assert "Whitfield & Moreno CPAs" in text
    assert "Sweet spot: a good fit for a flat-rate managed plan" in text
    for title in fail_titles():
        assert squash(title) in text, title
    assert "Confidential — prepared for Whitfield & Moreno CPAs" in text
    assert "No plan was priced for this assessment" in text
    assert "Please prepare a quote for a managed plan." in text  # what the signature accepts
    assert "Name and title" in text
    numbers = [(int(n), int(m)) for n, m in re.findall(r"Page (\d+) of (\d+)", text)]
    total = numbers[-1][1]
    assert numbers == [(n, total) for n in range(2, total + 1)]  # every page but the cover


@needs_poppler
def test_executive_summary_fits_on_one_page(pdf: Path) -> None:
    page = subprocess.run(["pdftotext", "-f", "3", "-l", "3", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "Executive summary" in page
    assert "issues to address first" in page
    assert "SNMP answers to a default community string" in page  # the fifth issue
    following = subprocess.run(["pdftotext", "-f", "4", "-l", "4", str(pdf), "-"], check=True,
                               capture_output=True, text=True).stdout
    assert following.startswith("Is managed IT the right fit?")


def tiny_assessment() -> tuple[dict, dict]:
    """Three devices and no results: quick to lay out, for tests about the file, not the text."""
    inventory = load("inventory.json")
    inventory["hosts"] = inventory["hosts"][:3]
    findings = {"schema_version": "1.0", "client": inventory["client"], "findings": [],
                "checks": [], "scores": {"overall": {"score": None}, "areas": {}, "weights": {},
                                         "bands": []},
                "verdict": {"verdict": "need_more_information", "reasons": [], "criteria": []}}
    return inventory, findings


def test_render_report_writes_html_and_pdf_with_branding(tmp_path: Path) -> None:
    branding = SAMPLE / "branding.toml"
    for name, data in zip(("inventory.json", "findings.json"), tiny_assessment(), strict=True):
        (tmp_path / name).write_text(json.dumps(data), encoding="utf-8")
    html_file = render_report(tmp_path, "html", tmp_path / "report.html", branding)
    pdf_file = render_report(tmp_path, "PDF", tmp_path, branding)
    assert pdf_file == tmp_path / "report.pdf"
    assert pdf_file.read_bytes().startswith(b"%PDF")
    page = html_file.read_text(encoding="utf-8")
    assert "Northwind IT Partners" in page
    assert 'src="data:image/svg+xml;base64,' in page
    assert "--brand: #14365d" in page
    assert not list(tmp_path.glob(".*.tmp"))


@needs_poppler
def test_paper_size_follows_branding(tmp_path: Path) -> None:
    view = build_view_model(*tiny_assessment(), {"paper": "a4"})
    render_pdf(view, tmp_path / "a4.pdf")
    info = subprocess.run(["pdfinfo", str(tmp_path / "a4.pdf")], check=True,
                          capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+595\.\d* x 841\.\d*|Page size:\s+595 x 842", info)


def test_methodology_names_the_lifecycle_data(view, html: str) -> None:
    """The support dates' source and date, recorded in findings.json, in the methodology;
    findings assessed before it was recorded simply have no such row."""
    findings = load("findings.json")
    recorded = build_view_model(load("inventory.json"), findings)
    assert recorded.lifecycle_data == "endoflife.date snapshot 2026-08-22 (endoflife.date " \
                                      "data, MIT licence)"
    assert "End-of-support dates</th><td>endoflife.date snapshot 2026-08-22" in \
        render_html(recorded)
    assert "lifecycle_data" not in load(HANDWRITTEN)
    assert view.lifecycle_data == "" and "End-of-support dates" not in html
