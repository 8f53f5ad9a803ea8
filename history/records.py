"""Plain records the store's queries return: frozen dataclasses, no database objects.

Commands print them, ``--json`` serialises them (:func:`to_json_data`), and the quarterly
review is built from them; none of them holds a session or a connection.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from history.documents import Documents


@dataclass(frozen=True)
class ClientSummary:
    """A client, its sites, and where its history stands."""

    id: int
    name: str
    status: str  # "prospect" or "signed"
    signed_on: date | None
    sites: tuple[str, ...]
    assessments: int
    first_quarter: str
    last_quarter: str
    last_taken_at: datetime | None
    last_score: float | None
    last_band: str
    last_open: int


@dataclass(frozen=True)
class AssessmentSummary:
    """One stored assessment, without its documents."""

    id: int
    client: str
    site: str
    taken_at: datetime
    quarter: str
    overall_score: float | None
    overall_band: str
    verdict: str
    verdict_label: str
    host_count: int
    open_count: int  # open risks: FAILs of risk checks, accepted risks not counted
    source: str
    source_path: str
    tool_version: str
    imported_at: datetime
    secrets_removed: int


@dataclass(frozen=True)
class AreaScore:
    """One area's score in one assessment."""

    area: str
    score: float | None
    band: str
    assessed: int
    failed: int


@dataclass(frozen=True)
class ClientHistory:
    """A client's assessments, oldest first."""

    client: ClientSummary
    site: str | None  # the site asked for; None: every site
    assessments: tuple[AssessmentSummary, ...]


@dataclass(frozen=True)
class StoredAssessment:
    """One assessment with its area scores and its documents."""

    summary: AssessmentSummary
    areas: tuple[AreaScore, ...]
    documents: Documents


def to_json_data(value: Any) -> Any:
    """Dataclasses, dates and tuples as JSON-ready data (for ``--json``)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {f.name: to_json_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return data
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_json_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_json_data(item) for item in value]
    return value
