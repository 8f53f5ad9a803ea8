"""Exports beside the PDF: one JSON file, CSV and XLSX of assets and findings, safe to open."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from reports.errors import ReportError
from reports.exports import (
    ASSET_COLUMNS,
    FINDING_COLUMNS,
    column_letter,
    csv_paths,
    export,
    exported_files,
    safe_cell,
)

SAMPLE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "report-sample"
FORMULAS = ["=HYPERLINK(\"http://192.0.2.1/\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3",
            "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "  =1+1"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name in ("inventory.json", "findings.json", "interview.json"):
        shutil.copy(SAMPLE / name, tmp_path / name)
    return tmp_path


@pytest.fixture
def hostile(folder: Path) -> Path:
    """The sample with formulas and control characters where the network writes text."""
    inventory = json.loads((folder / "inventory.json").read_text(encoding="utf-8"))
    findings = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
    switch = next(h for h in inventory["hosts"] if h["ip"] == "192.168.20.2")
    switch["hostnames"] = [FORMULAS[0]]
    switch["snmp"]["sys_descr"] = FORMULAS[1] + "\x00\x1b[31m"
    switch["snmp"]["sys_location"] = FORMULAS[3]
    switch["vendor"] = FORMULAS[2]
    result = next(f for f in findings["findings"] if f["ip"] == "192.168.20.2")
    result["message"] = FORMULAS[4]
    result["evidence"] = [FORMULAS[5], "ok"]
    result["host_name"] = FORMULAS[6]
    (folder / "inventory.json").write_text(json.dumps(inventory), encoding="utf-8")
    (folder / "findings.json").write_text(json.dumps(findings), encoding="utf-8")
    return folder


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_starts_get_a_leading_quote(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(("value", "expected"), [
    ("sw-core", "sw-core"), ("a=b", "a=b"), (22, 22), (True, "yes"), (None, ""),
    (float("inf"), "inf"),
    ("ctl\x00\x07\x1b[31m", "ctl[31m"), ("x" * 40_000, "x" * 32_000),
])
def test_cells_keep_numbers_and_drop_what_xml_cannot_hold(value: object, expected: object) -> None:
    assert safe_cell(value) == expected


def test_json_holds_the_whole_assessment(folder: Path) -> None:
    path = export(folder, "json", folder)
    assert path == folder / "assessment.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    inventory = json.loads((folder / "inventory.json").read_text(encoding="utf-8"))
    findings = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
    assert document["format"] == "sitewalk-assessment-export"
    assert document["inventory"] == inventory and document["findings"] == findings
    assert document["interview"]["computer_users"] == 16
    report = document["report"]
    assert report["overall"]["score"] == findings["scores"]["overall"]["score"]
    assert report["verdict"]["code"] == findings["verdict"]["verdict"]
    failed = {f["check_id"] for f in findings["findings"] if f["status"] == "FAIL"}
    assert {issue["check_id"] for issue in report["issues"]} == failed
    assert report["proposal"]["tier"] == findings["plan"]["tier"]["name"]
    assert report["proposal"]["monthly"] == f"${findings['plan']['monthly']['total']['value']:,.0f}"


def test_json_without_an_interview_says_so(folder: Path, tmp_path: Path) -> None:
    (folder / "interview.json").unlink()
    document = json.loads(export(folder, "json", tmp_path / "out.json").read_text("utf-8"))
    assert document["interview"] is None


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM spreadsheet programs need for UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_writes_assets_and_findings_side_by_side(folder: Path, tmp_path: Path) -> None:
    written = export(folder, "csv", tmp_path / "report.csv")
    assets_path, findings_path = exported_files("csv", tmp_path / "report.csv")
    assert written == assets_path == tmp_path / "report-assets.csv"
    assert findings_path == tmp_path / "report-findings.csv"
    assets, results = read_csv(assets_path), read_csv(findings_path)
    assert tuple(assets[0]) == ASSET_COLUMNS and tuple(results[0]) == FINDING_COLUMNS
    inventory = json.loads((folder / "inventory.json").read_text(encoding="utf-8"))
    assert len(assets) == len(inventory["hosts"]) + 1
    assert assets[1][0] == "192.168.20.1"  # address order
    statuses = [row[1] for row in results[1:]]
    assert statuses[0] == "FAIL" and statuses.index("PASS") > statuses.index("UNKNOWN")
    switch = next(row for row in assets if row[0] == "192.168.20.2")
    assert "SEC-002" in switch[ASSET_COLUMNS.index("failed_checks")]
    assert not list(tmp_path.glob(".*.tmp"))


def test_csv_into_a_folder_uses_plain_names(folder: Path, tmp_path: Path) -> None:
    assert csv_paths(tmp_path) == (tmp_path / "assets.csv", tmp_path / "findings.csv")
    export(folder, "csv", tmp_path)
    assert (tmp_path / "assets.csv").exists() and (tmp_path / "findings.csv").exists()


def test_csv_cells_from_the_network_cannot_be_formulas(hostile: Path, tmp_path: Path) -> None:
    export(hostile, "csv", tmp_path)
    cells = [cell for name in ("assets.csv", "findings.csv")
             for row in read_csv(tmp_path / name)[1:] for cell in row]
    for text in FORMULAS:
        assert any(cell.startswith("'" + text) for cell in cells), text
    assert not any(cell.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r"))
                   for cell in cells)
    assert not any("\x00" in cell or "\x1b" in cell for cell in cells)


def test_xlsx_reads_back_with_openpyxl_and_holds_no_formula(hostile: Path,
                                                             tmp_path: Path) -> None:
    path = export(hostile, "xlsx", tmp_path / "assessment.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Assets", "Findings"]
    assets, results = book["Assets"], book["Findings"]
    assert tuple(c.value for c in assets[1]) == ASSET_COLUMNS
    assert tuple(c.value for c in results[1]) == FINDING_COLUMNS
    assert assets.freeze_panes == "A2" and assets.auto_filter.ref.startswith("A1:")
    assert assets["A1"].font.b
    cells = [cell for sheet in (assets, results) for row in sheet.iter_rows(min_row=2)
             for cell in row if cell.value is not None]
    assert all(cell.data_type in ("s", "n") for cell in cells), "no formula cell"
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert "'" + FORMULAS[0] in texts and "'" + FORMULAS[4] in texts
    assert not any(text.lstrip(" ").startswith(("=", "+", "-", "@")) for text in texts)
    assert any(isinstance(cell.value, int) for cell in cells)  # numbers stay numbers


def test_xlsx_is_the_same_for_the_same_data(folder: Path, tmp_path: Path) -> None:
    first = export(folder, "xlsx", tmp_path / "a.xlsx").read_bytes()
    assert export(folder, "xlsx", tmp_path / "b.xlsx").read_bytes() == first


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 51, 702)] == ["A", "Z", "AA", "AZ", "AAA"]


def test_export_errors_are_one_line_report_errors(folder: Path, tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="unknown export format 'docx'"):
        export(folder, "docx", tmp_path)
    with pytest.raises(ReportError, match="does not exist"):
        export(folder, "json", tmp_path / "no" / "such.json")
    (folder / "findings.json").unlink()
    with pytest.raises(ReportError, match="findings.json: file not found"):
        export(folder, "csv", tmp_path)


def test_json_masks_a_site_community_left_by_an_older_scan(folder: Path, tmp_path: Path) -> None:
    # Scans mask the site's own community before saving; a folder from before that did not.
    inventory = json.loads((folder / "inventory.json").read_text())
    snmp_hosts = [h for h in inventory["hosts"] if h.get("snmp")]
    assert snmp_hosts, "the sample has SNMP devices"
    snmp_hosts[0]["snmp"].update(community="Old-Site-Secret-42", default_community=False)
    (folder / "inventory.json").write_text(json.dumps(inventory))
    written = export(folder, "json", tmp_path / "all.json")
    text = written.read_text()
    assert "Old-Site-Secret-42" not in text
    hosts = json.loads(text)["inventory"]["hosts"]
    communities = [h["snmp"]["community"] for h in hosts if h.get("snmp")]
    assert communities[0] == "********"
    # A well-known community is the finding itself and is kept as it is.
    assert all(c in ("********", "public", "private") for c in communities), communities
