"""The assessment beside the PDF: one JSON file, and the assets and findings as CSV or XLSX.

:func:`export` writes, for an assessment folder:

* ``json`` — one file with the whole assessment: ``inventory.json``, ``findings.json``, the
  interview answers when the folder has them, and ``report``: the facts the report states
  (scores, verdict, issues, what could not be assessed, the proposal), as the view-model
  computed them;
* ``csv`` — two files, assets and findings (names: :func:`csv_paths`), UTF-8 with a byte-order
  mark so spreadsheet programs read accents right;
* ``xlsx`` — one workbook with an *Assets* and a *Findings* sheet, written with XlsxWriter.

Cells come from the network, so they are hostile: a text cell that a spreadsheet could take
for a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, also after
leading spaces) gets a leading ``'`` (:func:`safe_cell`), characters XML cannot hold are
dropped, and cells are cut at Excel's 32,767-character limit.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import math
import re
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from reports.errors import ReportError
from reports.findings_view import acceptance
from reports.inventory_view import dicts, display_name, ip_sort_key, service_label
from reports.labels import device_class_label, severity_rank
from reports.loader import load_assessment
from reports.view import ReportView
from reports.viewmodel import build_view_model

EXPORT_FORMATS = ("json", "csv", "xlsx")
EXPORT_FORMAT_VERSION = "1.0"
DEFAULT_NAMES = {"json": "assessment.json", "csv": "assets.csv", "xlsx": "assessment.xlsx"}
MAX_CELL = 32_000  # Excel holds 32,767 characters in a cell; leave room for the quote
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
STATUS_ORDER = ("FAIL", "UNKNOWN", "PASS", "NOT_APPLICABLE")

Cell = str | int | float
Table = tuple[tuple[str, ...], list[tuple[Cell, ...]]]


def safe_cell(value: object) -> Cell:
    """A value a spreadsheet shows as it is: numbers stay numbers; text cannot be a formula."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        return value
    text = _NOT_XML.sub("", "" if value is None else str(value))[:MAX_CELL]
    if text.lstrip(" ").startswith(FORMULA_STARTS):
        text = "'" + text
    return text


# ---------- the rows ----------

ASSET_COLUMNS = ("ip", "mac", "name", "hostnames", "vendor", "device_class", "type",
                 "manufacturer", "model", "firmware", "os_family", "is_gateway",
                 "open_services", "snmp_sys_name", "snmp_sys_descr", "snmp_location",
                 "discovered_by", "failed_checks", "issues")
FINDING_COLUMNS = ("check_id", "status", "severity", "area", "title", "ip", "mac", "host_name",
                   "asset_key", "message", "evidence", "reason", "service", "uid",
                   "accepted", "accepted_by", "accepted_reason", "accepted_until")


def _joined(values: object, separator: str = "; ") -> str:
    return separator.join(str(v) for v in values if v is not None) \
        if isinstance(values, list) else ""


def _service_text(service: dict[str, Any]) -> str:
    """``22/ssh OpenSSH 8.9p1``: the report's label, then product and version as seen."""
    detail = " ".join(str(service.get(key) or "") for key in ("product", "version")).strip()
    return f"{service_label(service)} {detail}".strip()


def asset_rows(inventory: dict[str, Any], findings: dict[str, Any]) -> Table:
    """One row per device, in address order, with the checks that failed on it."""
    failed: dict[str, list[str]] = {}
    for result in dicts(findings.get("findings")):
        if result.get("status") == "FAIL" and result.get("ip"):
            failed.setdefault(str(result["ip"]), []).append(str(result.get("check_id")))
    rows = []
    hosts = sorted(dicts(inventory.get("hosts")), key=lambda h: ip_sort_key(str(h.get("ip"))))
    for host in hosts:
        snmp = host.get("snmp") if isinstance(host.get("snmp"), dict) else {}
        checks = sorted(set(failed.get(str(host.get("ip")), [])))
        name, named = display_name(host)
        rows.append((
            host.get("ip"), host.get("mac"), name if named else "", _joined(host.get("hostnames")),
            host.get("vendor"), host.get("device_class"),
            device_class_label(str(host.get("device_class") or "unknown")),
            host.get("manufacturer"), host.get("model"), host.get("firmware"),
            host.get("os_family"), bool(host.get("is_gateway")),
            "; ".join(_service_text(s) for s in dicts(host.get("services"))),
            snmp.get("sys_name"), snmp.get("sys_descr"), snmp.get("sys_location"),
            _joined(host.get("discovered_by"), ", "), ", ".join(checks), len(checks)))
    return ASSET_COLUMNS, [tuple(safe_cell(cell) for cell in row) for row in rows]


def finding_rows(findings: dict[str, Any]) -> Table:
    """One row per result: failures first, then not assessed, passes, not applicable."""
    services = {str(c.get("id")): c.get("service") for c in dicts(findings.get("checks"))}

    def order(result: dict[str, Any]) -> tuple[int, int, str, tuple[int, int | str]]:
        status = str(result.get("status"))
        rank = STATUS_ORDER.index(status) if status in STATUS_ORDER else len(STATUS_ORDER)
        return (rank, severity_rank(str(result.get("severity"))), str(result.get("check_id")),
                ip_sort_key(str(result.get("ip") or "")))

    rows = [(r.get("check_id"), r.get("status"), r.get("severity"), r.get("area"),
             r.get("title"), r.get("ip"), r.get("mac"), r.get("host_name"), r.get("asset_key"),
             r.get("message"), _joined(r.get("evidence"), " | "), r.get("reason"),
             services.get(str(r.get("check_id"))), r.get("uid"), *_acceptance_cells(r))
            for r in sorted(dicts(findings.get("findings")), key=order)]
    return FINDING_COLUMNS, [tuple(safe_cell(cell) for cell in row) for row in rows]


def _acceptance_cells(result: dict[str, Any]) -> tuple[str, Any, Any, Any]:
    """``accepted`` ("in force", "expired" or empty), then who, why and until when."""
    accepted = acceptance(result)
    if accepted is None:
        return ("", "", "", "")
    state = "in force" if accepted.get("in_force") is True else "expired"
    return (state, accepted.get("by"), accepted.get("reason"), accepted.get("until"))


# ---------- JSON ----------

def report_facts(view: ReportView) -> dict[str, Any]:
    """What the report states, as plain data: scores, verdict, issues, the proposal."""
    plan = view.plan
    return {
        "overall": {"score": view.overall.value, "band": view.overall.band,
                    "assessed": view.overall.assessed, "failed": view.overall.failed},
        "areas": [{"area": area.key, "name": area.name, "score": area.score.value,
                   "band": area.score.band} for area in view.areas],
        "verdict": asdict(view.verdict),
        "severity_counts": {count.severity: count.count for count in view.severity_counts},
        "issues": [{"check_id": issue.check_id, "title": issue.title, "area": issue.area,
                    "severity": issue.severity, "scope": issue.scope,
                    "devices": issue.host_count, "service": issue.service,
                    "summary": issue.summary}
                   for section in view.sections for issue in section.issues],
        "not_assessed": [asdict(item) for item in view.not_assessed],
        "accepted_risks": [asdict(item) for item in view.accepted + view.lapsed],
        "devices_by_type": {count.label: count.count for count in view.class_counts},
        "proposal": {
            "priced": plan.priced, "stance": plan.stance, "heading": plan.heading,
            "summary": plan.summary, "tier": plan.tier_name, "monthly": plan.monthly,
            "one_time_fixes": plan.projects_cost, "onboarding": plan.onboarding_cost,
            "break_fix_year": plan.comparison.break_fix_total if plan.comparison else "",
            "flat_rate_first_year": plan.comparison.flat_rate_total if plan.comparison else "",
            "comparison": plan.comparison.headline if plan.comparison else "",
        },
    }


def _interview(folder: Path) -> dict[str, Any] | None:
    path = folder / "interview.json"
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise ReportError("interview.json: not a readable JSON file") from None
    if not isinstance(data, dict):
        raise ReportError("interview.json: expected a JSON object at the top level")
    return data


MASK = "********"


def masked_inventory(inventory: dict[str, Any]) -> dict[str, Any]:
    """A copy of the inventory with the site's own SNMP communities masked.

    The scanner masks them before saving; this also covers folders written by older versions.
    A well-known community ("public") is the finding itself and stays.
    """
    result = copy.deepcopy(inventory)
    for host in dicts(result.get("hosts")):
        snmp = host.get("snmp")
        if isinstance(snmp, dict) and snmp.get("community") and not snmp.get("default_community"):
            snmp["community"] = MASK
    return result


def assessment_document(folder: Path) -> dict[str, Any]:
    """The whole assessment of a folder as one JSON-ready dict."""
    inventory, findings = load_assessment(folder)
    view = build_view_model(inventory, findings)
    return {
        "format": "sitewalk-assessment-export",
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "client": view.client,
        "inventory": masked_inventory(inventory),
        "findings": findings,
        "interview": _interview(folder),
        "report": report_facts(view),
    }


# ---------- XLSX ----------

# The file's creation date is fixed so the same data gives the same file (XlsxWriter already
# writes its zip entries with a fixed date).
FIXED_CREATED = datetime(1980, 1, 1, tzinfo=UTC)


def column_letter(index: int) -> str:
    """``0`` -> ``A``, ``26`` -> ``AA``."""
    return xl_col_to_name(index)


def write_xlsx(path: Path, sheets: list[tuple[str, Table]]) -> None:
    """Write a workbook with XlsxWriter: per sheet a bold, frozen header row with a filter.

    Cells are written as what they are (``write_string``/``write_number``), never guessed:
    XlsxWriter's conversions of strings to formulas, URLs and numbers are off, on top of
    :func:`safe_cell`'s quote in front of anything a spreadsheet would read as a formula.
    """
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                           "strings_to_urls": False,
                                           "strings_to_numbers": False})
    book.set_properties({"created": FIXED_CREATED.replace(tzinfo=None)})
    bold = book.add_format({"bold": True})
    for name, (header, rows) in sheets:
        sheet = book.add_worksheet(name)
        for column, title in enumerate(header):
            width = max([len(title)] + [len(str(row[column])) for row in rows[:200]]) + 2
            sheet.set_column(column, column, min(60, width))
            sheet.write_string(0, column, title, bold)
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                if isinstance(value, int | float) and not isinstance(value, bool):
                    sheet.write_number(number, column, value)
                elif value != "":
                    sheet.write_string(number, column, str(value))
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, len(rows), len(header) - 1)
    book.close()


# ---------- CSV ----------

def csv_text(table: Table) -> str:
    """A table as CSV text, every cell quoted."""
    header, rows = table
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def csv_paths(output: Path) -> tuple[Path, Path]:
    """Where the CSV export goes: ``X.csv`` gives ``X-assets.csv`` and ``X-findings.csv``; a
    folder gives ``assets.csv`` and ``findings.csv`` in it."""
    if output.is_dir():
        return output / "assets.csv", output / "findings.csv"
    stem = output.name[:-4] if output.name.lower().endswith(".csv") else output.name
    return output.with_name(f"{stem}-assets.csv"), output.with_name(f"{stem}-findings.csv")


# ---------- the public entry point ----------

def _write(path: Path, writer: Callable[[Path], None]) -> None:
    """Write through a temporary file beside ``path``, so a failed export leaves nothing."""
    if not path.parent.is_dir():
        raise ReportError(f"{path}: the folder to write the export into does not exist")
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        writer(temporary)
        temporary.replace(path)
    except OSError as error:
        raise ReportError(f"{path}: cannot write the export ({error.strerror or error})") \
            from None
    finally:
        temporary.unlink(missing_ok=True)


def _text_writer(text: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    return lambda path: path.write_text(text, encoding=encoding, newline="")


def export(folder: Path, fmt: str, output: Path) -> Path:
    """Export an assessment folder as ``fmt`` ("json", "csv" or "xlsx") to ``output``.

    ``output`` may be a folder (files get their default names: ``assessment.json``,
    ``assets.csv`` + ``findings.csv``, ``assessment.xlsx``). Returns the file written; for
    CSV, the assets file (the findings file is beside it, see :func:`csv_paths`).
    """
    fmt = fmt.lower()
    if fmt not in EXPORT_FORMATS:
        raise ReportError(f"unknown export format {fmt!r} (choose {', '.join(EXPORT_FORMATS)})")
    if fmt == "json":
        path = output / DEFAULT_NAMES["json"] if output.is_dir() else output
        document = assessment_document(folder)
        _write(path, _text_writer(json.dumps(document, indent=2, ensure_ascii=False) + "\n"))
        return path
    inventory, findings = load_assessment(folder)
    assets, results = asset_rows(inventory, findings), finding_rows(findings)
    if fmt == "xlsx":
        path = output / DEFAULT_NAMES["xlsx"] if output.is_dir() else output
        _write(path, lambda target: write_xlsx(target, [("Assets", assets),
                                                         ("Findings", results)]))
        return path
    assets_path, findings_path = csv_paths(output)
    for path, table in ((assets_path, assets), (findings_path, results)):
        _write(path, _text_writer(csv_text(table), encoding="utf-8-sig"))
    return assets_path


def exported_files(fmt: str, output: Path) -> tuple[Path, ...]:
    """Every file :func:`export` writes for ``fmt`` and ``output`` (two for CSV)."""
    fmt = fmt.lower()
    if fmt == "csv":
        return csv_paths(output)
    return (output / DEFAULT_NAMES[fmt] if output.is_dir() else output,)

