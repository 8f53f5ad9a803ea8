"""Bad report inputs are one-line ReportErrors naming the file; sparse inputs still render."""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import pytest

from bench.report_render import large_assessment
from reports.errors import ReportError
from reports.render import render_html, render_pdf, render_report
from reports.viewmodel import build_view_model

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "fixtures" / "report-sample"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name in ("inventory.json", "findings.json"):
        shutil.copy(SAMPLE / name, tmp_path / name)
    return tmp_path


def edit(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def error_of(folder: Path, fmt: str = "html", branding: Path | None = None) -> str:
    with pytest.raises(ReportError) as caught:
        render_report(folder, fmt, folder / f"out.{fmt}", branding)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_missing_file(folder: Path) -> None:
    (folder / "findings.json").unlink()
    assert error_of(folder).startswith("findings.json: file not found")


def test_missing_folder(tmp_path: Path) -> None:
    assert "assessment folder not found" in error_of(tmp_path / "nowhere")


def test_broken_json(folder: Path) -> None:
    (folder / "inventory.json").write_text('{"schema_version": "1.0",\n  "client": }')
    message = error_of(folder)
    assert message.startswith("inventory.json: not valid JSON")
    assert "line 2" in message


@pytest.mark.parametrize(("version", "expected"), [
    ("2.0", "schema_version '2.0' is not supported"),
    ("", "schema_version is missing"),
    (1, "schema_version is missing"),
])
def test_wrong_schema_version(folder: Path, version: object, expected: str) -> None:
    edit(folder / "findings.json", lambda data: data.update(schema_version=version))
    message = error_of(folder)
    assert message.startswith("findings.json:") and expected in message


def test_missing_or_mistyped_field(folder: Path) -> None:
    edit(folder / "findings.json", lambda data: data.pop("verdict"))
    assert error_of(folder) == "findings.json: required field 'verdict' is missing"
    shutil.copy(SAMPLE / "findings.json", folder / "findings.json")
    edit(folder / "inventory.json", lambda data: data.update(hosts={}))
    assert error_of(folder) == "inventory.json: field 'hosts' must be an array"


def test_not_an_object(folder: Path) -> None:
    (folder / "inventory.json").write_text("[]")
    assert error_of(folder) == "inventory.json: expected a JSON object at the top level"


def test_files_from_two_assessments(folder: Path) -> None:
    edit(folder / "findings.json", lambda data: data.update(client="Someone Else LLC"))
    assert "client does not match inventory.json" in error_of(folder)


def test_unknown_format(folder: Path) -> None:
    assert "unknown report format 'docx'" in error_of(folder, "docx")


@pytest.mark.parametrize(("content", "expected"), [
    ('primary_color = "red; } body { display: none"', "primary_color must be a colour"),
    ('accent_colour = "#123456"', "unknown key 'accent_colour'"),
    ('logo = "missing.png"', "logo file not found"),
    ('logo = "logo.gif"', "must be a PNG, JPEG or SVG file"),
    ('paper = "legal"', "paper must be one of letter, a4"),
    ("company = ", "not valid TOML"),
])
def test_bad_branding(folder: Path, content: str, expected: str) -> None:
    branding = folder / "branding.toml"
    branding.write_text(content + "\n")
    assert expected in error_of(folder, branding=branding)


def test_missing_branding_file(folder: Path) -> None:
    assert "branding file not found" in error_of(folder, branding=folder / "nope.toml")


def test_unwritable_output(folder: Path) -> None:
    with pytest.raises(ReportError, match="does not exist"):
        render_report(folder, "html", folder / "no" / "such" / "dir" / "r.html")


def test_sparse_assessment_still_renders(tmp_path: Path) -> None:
    """Only the required fields, nothing assessed: the report says so instead of failing."""
    inventory = {"schema_version": "1.3", "client": "Tiny Office", "targets": [],
                 "hosts": [{"ip": "10.0.0.7", "mac": None, "vendor": None, "hostnames": [],
                            "device_class": "unknown", "services": []}],
                 "complete": False}
    findings = {"schema_version": "1.0", "client": "Tiny Office", "findings": [], "checks": [],
                "scores": {"overall": {"score": None, "band": "Not assessed", "assessed": 0,
                                       "failed": 0}, "areas": {}, "weights": {}, "bands": []},
                "verdict": {"verdict": "need_more_information", "label": "Need more information",
                            "reasons": [], "criteria": []}}
    view = build_view_model(inventory, findings)
    html = render_html(view)
    assert "Tiny Office" in html and "The scan did not finish" in html
    assert "We found no problems in the checks we could run" in html
    render_pdf(view, tmp_path / "tiny.pdf")
    assert (tmp_path / "tiny.pdf").stat().st_size > 1000


def test_large_assessment_renders(tmp_path: Path) -> None:
    """250 devices and 500 failing results render to a whole PDF.

    How fast is measured by ``bench/report_render.py`` (which prints the time and peak
    memory), not here: a timed test fails on a loaded machine and proves nothing then."""
    inventory, findings = large_assessment()
    view = build_view_model(inventory, findings)
    render_pdf(view, tmp_path / "large.pdf")
    assert len(view.inventory) == 250
    assert sum(1 for f in findings["findings"] if f["status"] == "FAIL") == 500
    pdf = (tmp_path / "large.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")


def test_reports_package_imports_neither_scanner_nor_checks() -> None:
    for path in (ROOT / "reports").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert name.split(".")[0] not in ("scanner", "checks"), f"{path.name}: {name}"


def test_templates_never_switch_escaping_off() -> None:
    for path in (ROOT / "reports" / "templates").glob("*.j2"):
        text = path.read_text(encoding="utf-8")
        assert "|safe" not in text.replace(" ", "") and "autoescape false" not in text, path
