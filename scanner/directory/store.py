"""Saving and loading ``directory.json`` (schema: ``scanner/schema/directory.schema.json``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scanner.folder import FolderError, read_json, validate, write_json_atomic

DIRECTORY_FILE = "directory.json"
DIRECTORY_SCHEMA_VERSION = "1.0"


def save_directory(folder: Path, document: dict[str, Any]) -> Path:
    """Validate and write ``directory.json`` atomically."""
    path = folder / DIRECTORY_FILE
    validate(document, "scanner", "directory.schema.json", path)
    folder.mkdir(parents=True, exist_ok=True)
    write_json_atomic(path, document)
    return path


def load_raw(folder: Path) -> dict[str, Any] | None:
    """The validated ``directory.json`` of ``folder`` as a dict, None when there is none."""
    path = folder / DIRECTORY_FILE
    if not path.exists():
        return None
    data = read_json(path)
    if not isinstance(data, dict):
        raise FolderError(f"{path}: expected a JSON object")
    if str(data.get("schema_version", "")).split(".")[0] != \
            DIRECTORY_SCHEMA_VERSION.split(".")[0]:
        raise FolderError(f"{path}: schema_version {data.get('schema_version')!r} is not "
                          f"supported (this sitewalk reads {DIRECTORY_SCHEMA_VERSION})")
    validate(data, "scanner", "directory.schema.json", path)
    return data
