"""The assessment folder: where each stage saves what it produced, atomically.

Layout (a public format other tools read)::

    FOLDER/inventory.json     the typed inventory (scanner/schema/inventory.schema.json)
    FOLDER/evidence/          raw evidence: nmap XML per host, SNMP and ARP answers
    FOLDER/findings.json      checks, scores and verdict (checks/schema/findings.schema.json)
    FOLDER/report.pdf|html    the rendered report

Every JSON file is written to a temporary file and renamed, so a crash never leaves half a file.
"""

from __future__ import annotations

import functools
import json
import os
import re
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

from scanner.model import (
    INVENTORY_SCHEMA_VERSION,
    Inventory,
    inventory_from_dict,
    inventory_to_dict,
)

INVENTORY_FILE = "inventory.json"
EVIDENCE_DIR = "evidence"


class FolderError(ValueError):
    """An assessment folder or file that cannot be read; the message is one line for the user."""


def write_json_atomic(path: Path, data: Any) -> None:
    """Write ``data`` as JSON to ``path`` via a temp file in the same folder and a rename."""
    write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temp file in the same folder, fsync and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


# What mkstemp(prefix=".NAME.") leaves when the process dies between writing and renaming.
_TEMPORARY = re.compile(r"^\..+\.[A-Za-z0-9_]{8}$")


def remove_stale_temporaries(folder: Path) -> int:
    """Delete temp files a killed scan left in ``folder`` and its evidence; how many.

    A scan killed (SIGKILL, power cut) between writing a temp file and renaming it leaves the
    temp file; the real file beside it is still whole. Only dot files named as
    :func:`write_text_atomic` names them are touched.
    """
    removed = 0
    for directory in (folder, folder / EVIDENCE_DIR):
        if not directory.is_dir():
            continue
        for path in directory.iterdir():
            if path.is_file() and not path.is_symlink() and _TEMPORARY.match(path.name):
                path.unlink(missing_ok=True)
                removed += 1
    return removed


def read_json(path: Path) -> Any:
    """Parse a JSON file, or :class:`FolderError` naming the file and the problem."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FolderError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FolderError(f"{path}: cannot read ({exc.__class__.__name__})") from None
    except json.JSONDecodeError as exc:
        raise FolderError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from None


@functools.lru_cache(maxsize=4)
def load_schema(package: str, name: str) -> dict[str, Any]:
    """A JSON Schema shipped inside a package's ``schema`` folder."""
    return json.loads(resources.files(package).joinpath(f"schema/{name}").read_text("utf-8"))


def validate(data: Any, package: str, schema_name: str, path: Path) -> None:
    """Validate ``data`` against a shipped schema, or :class:`FolderError` with the first error."""
    import jsonschema  # 70 ms of imports: only the commands that read files pay for them

    validator = jsonschema.Draft202012Validator(load_schema(package, schema_name))
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "top level"
        raise FolderError(f"{path}: {where}: {error.message[:200]}")


def save_inventory(folder: Path, inventory: Inventory) -> Path:
    """Write ``inventory.json`` into ``folder`` atomically."""
    path = folder / INVENTORY_FILE
    write_json_atomic(path, inventory_to_dict(inventory))
    return path


def load_inventory(folder: Path) -> Inventory:
    """Read and validate ``inventory.json`` from an assessment folder."""
    path = folder / INVENTORY_FILE
    data = read_json(path)
    if not isinstance(data, dict):
        raise FolderError(f"{path}: expected a JSON object")
    major = str(data.get("schema_version", "")).split(".")[0]
    if major != INVENTORY_SCHEMA_VERSION.split(".")[0]:
        raise FolderError(f"{path}: schema_version {data.get('schema_version')!r} is not "
                          f"supported (this sitewalk reads {INVENTORY_SCHEMA_VERSION})")
    validate(data, "scanner", "inventory.schema.json", path)
    return inventory_from_dict(data)


def evidence_dir(folder: Path) -> Path:
    """The folder's evidence directory, created if needed."""
    path = folder / EVIDENCE_DIR
    path.mkdir(parents=True, exist_ok=True)
    return path
