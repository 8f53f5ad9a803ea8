"""An assessment's JSON documents: read from a folder, checked, and cleaned of secrets.

The store keeps ``inventory.json``, ``findings.json`` and, when there is one,
``interview.json`` of each assessment. Both public files are validated against their shipped
JSON Schemas before anything is saved. SNMP communities are never stored: each host's
``snmp.community`` is blanked, and a community that is not a well-known default is also cut
out of every other string of both documents (an error message may quote it).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from history.errors import BadInput
from scanner.folder import FolderError, read_json, validate

INVENTORY_FILE = "inventory.json"
FINDINGS_FILE = "findings.json"
INTERVIEW_FILE = "interview.json"
REDACTED = "[removed]"
MIN_SECRET_LENGTH = 3  # shorter strings would cut into ordinary words


@dataclass(frozen=True)
class Documents:
    """The documents of one assessment, as plain JSON data."""

    inventory: dict[str, Any]
    findings: dict[str, Any]
    interview: dict[str, Any] | None = None
    source: str = ""  # the folder they were read from, "" when not from a folder

    @property
    def client(self) -> str:
        """The client name the documents give."""
        return str(self.inventory.get("client") or self.findings.get("client") or "").strip()


def read_folder(folder: Path) -> Documents:
    """The documents of an assessment folder, validated; :class:`BadInput` when unusable."""
    if not folder.is_dir():
        raise BadInput(f"{folder}: not an assessment folder")
    if not (folder / FINDINGS_FILE).exists():
        raise BadInput(f"{folder}: no findings.json yet (run `sitewalk assess {folder}` first)")
    try:
        inventory = read_json(folder / INVENTORY_FILE)
        findings = read_json(folder / FINDINGS_FILE)
        for data, name in ((inventory, INVENTORY_FILE), (findings, FINDINGS_FILE)):
            if not isinstance(data, dict):
                raise BadInput(f"{folder / name}: expected a JSON object")
        validate(inventory, "scanner", "inventory.schema.json", folder / INVENTORY_FILE)
        validate(findings, "checks", "findings.schema.json", folder / FINDINGS_FILE)
        interview = None
        if (folder / INTERVIEW_FILE).exists():
            interview = read_json(folder / INTERVIEW_FILE)
            if not isinstance(interview, dict):
                raise BadInput(f"{folder / INTERVIEW_FILE}: expected a JSON object")
    except FolderError as error:
        raise BadInput(str(error)) from None
    return Documents(inventory, findings, interview, str(folder.resolve()))


def _hosts(inventory: dict[str, Any]) -> list[dict[str, Any]]:
    return [h for h in inventory.get("hosts") or [] if isinstance(h, dict)]


def strip_secrets(documents: Documents) -> tuple[Documents, int]:
    """Copies of the documents without SNMP communities, and how many were removed."""
    inventory = copy.deepcopy(documents.inventory)
    secrets: set[str] = set()
    removed = 0
    for host in _hosts(inventory):
        snmp = host.get("snmp")
        if isinstance(snmp, dict) and snmp.get("community"):
            community = str(snmp["community"])
            if not snmp.get("default_community") and len(community) >= MIN_SECRET_LENGTH:
                secrets.add(community)
            snmp["community"] = ""
            removed += 1
    if not secrets:
        return Documents(inventory, documents.findings, documents.interview,
                         documents.source), removed
    ordered = sorted(secrets, key=len, reverse=True)  # longest first: no partial leftovers
    return Documents(_scrub(inventory, ordered), _scrub(documents.findings, ordered),
                     _scrub(documents.interview, ordered) if documents.interview else None,
                     documents.source), removed


def _scrub(value: Any, secrets: list[str]) -> Any:
    """``value`` with every secret replaced, wherever it occurs in its strings (or keys)."""
    text = json.dumps(value, ensure_ascii=False)
    for secret in secrets:
        # As it is written inside a JSON string; a secret is never part of the JSON syntax,
        # since it cannot contain an unescaped quote there.
        text = text.replace(json.dumps(secret, ensure_ascii=False)[1:-1], REDACTED)
    return json.loads(text)


def parse_moment(value: str, option: str = "--taken-at") -> datetime:
    """A date (``2026-01-15``) or ISO 8601 timestamp; a bare date means noon UTC that day.

    ``option`` names the command-line option in the error message.
    """
    text = value.strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(12), tzinfo=UTC)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise BadInput(f"{option}: {value[:40]!r} is not a date (YYYY-MM-DD) or "
                       "ISO 8601 timestamp") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def taken_at(documents: Documents, override: datetime | None = None) -> datetime:
    """When the assessment was taken: ``override``, else the scan's start, else assess time."""
    if override is not None:
        return override
    for value in (documents.inventory.get("started_at"), documents.inventory.get("finished_at"),
                  documents.findings.get("assessed_at")):
        if isinstance(value, str) and value.strip():
            try:
                return parse_moment(value)
            except BadInput:
                continue
    raise BadInput("the assessment says nothing about when it was taken: pass --taken-at DATE")


def quarter_label(moment: datetime) -> str:
    """``"2026-Q1"``: the calendar quarter of ``moment`` in its own (the site's) time zone."""
    return f"{moment.year}-Q{(moment.month - 1) // 3 + 1}"


def quarter_index(label: str) -> int:
    """A running number of quarters, so two labels subtract: ``2026-Q1`` → 8104."""
    year, quarter = label.split("-Q")
    return int(year) * 4 + int(quarter) - 1


def quarters_between(first: str, last: str) -> int:
    """Quarters from ``first`` to ``last``, both counted: Q1 to Q3 is 3."""
    return quarter_index(last) - quarter_index(first) + 1
