"""Reading an assessment folder's ``inventory.json`` and ``findings.json`` for the report.

Only the shape the report relies on is checked here (an object, the required top-level keys
with the right JSON types, a schema version whose major is 1); everything deeper is read
defensively by the view-model. Every problem is a :class:`ReportError` naming the file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reports.errors import ReportError

SUPPORTED_MAJOR = "1"
MAX_INPUT_BYTES = 200 * 1024 * 1024

INVENTORY_FIELDS: dict[str, type | tuple[type, ...]] = {
    "schema_version": str, "client": str, "targets": list, "hosts": list, "complete": bool,
}
FINDINGS_FIELDS: dict[str, type | tuple[type, ...]] = {
    "schema_version": str, "client": str, "findings": list, "checks": list, "scores": dict,
    "verdict": dict,
}
_JSON_TYPES = {str: "a string", list: "an array", dict: "an object", bool: "true or false"}


def load_json(path: Path, fields: dict[str, type | tuple[type, ...]]) -> dict[str, Any]:
    """One assessment file as a dict, after checking its top-level shape and version."""
    name = path.name
    try:
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise ReportError(f"{name}: file is larger than 200 MB")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReportError(f"{name}: file not found in {path.parent}") from None
    except IsADirectoryError:
        raise ReportError(f"{name}: is a directory, expected a JSON file") from None
    except UnicodeDecodeError:
        raise ReportError(f"{name}: not UTF-8 text") from None
    except OSError as error:
        raise ReportError(f"{name}: cannot read ({error.strerror or error})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReportError(
            f"{name}: not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})"
        ) from None
    if not isinstance(data, dict):
        raise ReportError(f"{name}: expected a JSON object at the top level")
    _check_version(name, data.get("schema_version"))
    for key, expected in fields.items():
        if key not in data:
            raise ReportError(f"{name}: required field {key!r} is missing")
        if not isinstance(data[key], expected):
            raise ReportError(f"{name}: field {key!r} must be {_JSON_TYPES[expected]}")
    return data


def _check_version(name: str, version: object) -> None:
    if not isinstance(version, str) or not version.strip():
        raise ReportError(f"{name}: schema_version is missing")
    major = version.strip().split(".")[0]
    if major != SUPPORTED_MAJOR:
        raise ReportError(
            f"{name}: schema_version {version[:20]!r} is not supported "
            f"(this sitewalk reads version {SUPPORTED_MAJOR}.x)"
        )


def load_assessment(folder: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """``inventory.json`` and ``findings.json`` of one assessment folder."""
    if not folder.is_dir():
        raise ReportError(f"{folder}: assessment folder not found")
    inventory = load_json(folder / "inventory.json", INVENTORY_FIELDS)
    findings = load_json(folder / "findings.json", FINDINGS_FIELDS)
    if inventory["client"].strip().casefold() != findings["client"].strip().casefold():
        raise ReportError(
            "findings.json: client does not match inventory.json "
            f"({findings['client'][:60]!r} vs {inventory['client'][:60]!r}); "
            "are both files from the same assessment?"
        )
    return inventory, findings


def load_directory(folder: Path) -> dict[str, Any] | None:
    """``directory.json`` when a directory audit wrote one; None otherwise (it is optional)."""
    path = folder / "directory.json"
    if not path.exists():
        return None
    return load_json(path, {"schema_version": str, "status": str})
