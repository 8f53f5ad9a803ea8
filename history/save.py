"""Saving an assessment into the store: one transaction, all of it or nothing.

The client and site are found or created, the assessment row, its area scores, its devices,
its results and its compressed documents are added, and the whole is committed once. If any
step fails (the disk is full, the server goes away, a bug), the transaction is rolled back and
the store is as it was before: never half an assessment.

The same evidence imported twice for the same site is recognised by its fingerprint, and the
existing assessment is returned instead of a copy.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from history.documents import (
    Documents,
    quarter_label,
    read_folder,
    strip_secrets,
    taken_at,
)
from history.errors import BadInput, StoreUnavailable
from history.facts import FindingFacts, HostFacts, Snapshot, snapshot_from_documents
from history.store import Store, open_store
from history.tables import (
    AreaScoreRow,
    AssessmentRow,
    ClientRow,
    DocumentRow,
    FindingRow,
    HostRow,
    SiteRow,
)

DEFAULT_SITE = "Main office"
DOCUMENT_ENCODING = "zlib+json"
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Saved:
    """What :func:`save_documents` did."""

    assessment_id: int
    client: str
    site: str
    quarter: str
    taken_at: datetime
    created: bool  # False: the same evidence was already stored under this ID
    secrets_removed: int  # SNMP communities left out


def name_key(name: str) -> str:
    """How names are compared: case and spacing do not matter."""
    return _SPACES.sub(" ", name).strip().casefold()


def clean_label(name: str, what: str) -> str:
    """A client or site name as stored: one line, at most 200 characters, not empty."""
    text = _SPACES.sub(" ", name or "").strip()
    if not text:
        raise BadInput(f"the {what} name is empty (pass --{what} NAME)")
    if len(text) > 200:
        raise BadInput(f"the {what} name is longer than 200 characters")
    return text


def document_texts(documents: Documents) -> dict[str, str]:
    """Each document as compact JSON text (keys in their order), by kind."""
    parts = {"inventory": documents.inventory, "findings": documents.findings,
             "interview": documents.interview}
    return {kind: json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            for kind, data in parts.items() if data is not None}


def fingerprint(texts: dict[str, str]) -> str:
    """A fingerprint of the evidence (inventory and findings), to spot a second import."""
    digest = hashlib.sha256(texts["inventory"].encode("utf-8"))
    digest.update(b"\n")
    digest.update(texts["findings"].encode("utf-8"))
    return digest.hexdigest()


def get_or_create_client(session: Session, name: str, now: datetime) -> ClientRow:
    """The client of that name (any case), created as a prospect when new."""
    client = session.scalar(select(ClientRow).where(ClientRow.key == name_key(name)))
    if client is None:
        client = ClientRow(name=name, key=name_key(name), status="prospect", created_at=now)
        session.add(client)
        session.flush()
    return client


def get_or_create_site(session: Session, client: ClientRow, name: str, now: datetime
                       ) -> SiteRow:
    """The client's site of that name (any case), created when new."""
    site = session.scalar(select(SiteRow).where(SiteRow.client_id == client.id,
                                                SiteRow.key == name_key(name)))
    if site is None:
        site = SiteRow(client_id=client.id, name=name, key=name_key(name), created_at=now)
        session.add(site)
        session.flush()
    return site


def host_values(assessment_id: int, host: HostFacts) -> dict[str, object]:
    """The row of one device, as column values."""
    return {
        "assessment_id": assessment_id, "asset_key": host.asset_key[:200], "mac": host.mac,
        "ip": host.ip[:45], "names": list(host.names[:20]),
        "display_name": host.display_name[:200], "device_class": host.device_class[:40],
        "vendor": host.vendor[:200], "manufacturer": host.manufacturer[:200],
        "model": host.model[:200], "firmware": host.firmware[:200],
        "open_ports": [{"port": p.port, "protocol": p.protocol, "name": p.name[:60]}
                       for p in host.open_ports]}


def finding_values(assessment_id: int, finding: FindingFacts) -> dict[str, object]:
    """The row of one check result, as column values."""
    return {
        "assessment_id": assessment_id, "uid": finding.uid[:250],
        "check_id": finding.check_id[:20], "status": finding.status[:20],
        "severity": finding.severity[:20], "area": finding.area[:60],
        "title": finding.title[:300], "asset_key": finding.asset_key[:200],
        "host_name": finding.host_name[:200], "ip": finding.ip[:45],
        "accepted": finding.accepted}


def _document_values(assessment_id: int, texts: dict[str, str]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for kind, text in texts.items():
        raw = text.encode("utf-8")
        rows.append({"assessment_id": assessment_id, "kind": kind,
                     "encoding": DOCUMENT_ENCODING, "body": zlib.compress(raw, 6),
                     "sha256": hashlib.sha256(raw).hexdigest()})
    return rows


def _area_values(assessment_id: int, findings: dict[str, Any]) -> list[dict[str, object]]:
    scores = findings.get("scores") if isinstance(findings.get("scores"), dict) else {}
    areas = scores.get("areas") if isinstance(scores.get("areas"), dict) else {}
    rows: list[dict[str, object]] = []
    for area, score in areas.items():
        if isinstance(score, dict):
            value = score.get("score")
            rows.append({
                "assessment_id": assessment_id, "area": str(area)[:60],
                "score": float(value) if isinstance(value, (int, float))
                and not isinstance(value, bool) else None,
                "band": str(score.get("band") or "")[:60],
                "assessed": int(score.get("assessed") or 0),
                "failed": int(score.get("failed") or 0)})
    return rows


def _add_rows(session: Session, assessment_id: int, documents: Documents,
              snapshot: Snapshot, texts: dict[str, str]) -> None:
    """Add the devices, results, area scores and documents of an assessment (bulk inserts)."""
    for table, rows in (
            (HostRow, [host_values(assessment_id, h) for h in snapshot.hosts]),
            (FindingRow, [finding_values(assessment_id, f) for f in snapshot.findings]),
            (AreaScoreRow, _area_values(assessment_id, documents.findings)),
            (DocumentRow, _document_values(assessment_id, texts))):
        if rows:
            session.execute(insert(table), rows)


def save_documents(store: Store, documents: Documents, *, client: str | None = None,
                   site: str | None = None, taken: datetime | None = None,
                   source: str = "import") -> Saved:
    """Save one assessment in one transaction; see the module docstring.

    Two machines saving into a shared store at once can both try to create the same client
    or the same assessment; the loser's transaction is rolled back and tried once more,
    when it finds what the other created.
    """
    for attempt in range(2):
        try:
            return _save_once(store, documents, client, site, taken, source)
        except IntegrityError as error:
            if attempt:
                raise StoreUnavailable(f"cannot write the history at {store.location}: "
                                       f"{' '.join(str(error.orig).split())[:200]}") from None
    raise AssertionError("unreachable")


def _save_once(store: Store, documents: Documents, client: str | None, site: str | None,
               taken: datetime | None, source: str) -> Saved:
    client_name = clean_label(client or documents.client, "client")
    site_name = clean_label(site or DEFAULT_SITE, "site")
    moment = taken_at(documents, taken)
    stored, removed = strip_secrets(documents)
    texts = document_texts(stored)
    evidence = fingerprint(texts)
    now = datetime.now(UTC)
    snapshot = snapshot_from_documents(stored, "", moment)
    findings = stored.findings
    with store.transaction() as session:
        client_row = get_or_create_client(session, client_name, now)
        site_row = get_or_create_site(session, client_row, site_name, now)
        existing = session.scalar(select(AssessmentRow).where(
            AssessmentRow.site_id == site_row.id, AssessmentRow.content_sha256 == evidence))
        if existing is not None:
            return Saved(existing.id, client_row.name, site_row.name, existing.quarter,
                         existing.taken_at, False, existing.secrets_removed)
        row = AssessmentRow(
            client_id=client_row.id, site_id=site_row.id, taken_at=moment,
            quarter=quarter_label(moment), imported_at=now, source=source,
            source_path=documents.source, overall_score=snapshot.overall_score,
            overall_band=snapshot.overall_band[:60], verdict=snapshot.verdict[:40],
            verdict_label=snapshot.verdict_label[:200],
            tool_version=str(findings.get("tool_version") or "")[:40],
            findings_schema_version=str(findings.get("schema_version") or "")[:20],
            inventory_schema_version=str(stored.inventory.get("schema_version") or "")[:20],
            profile=str(findings.get("profile") or "")[:60], host_count=len(snapshot.hosts),
            open_count=len({f.uid for f in snapshot.findings if f.open_risk}),
            secrets_removed=removed, content_sha256=evidence)
        session.add(row)
        session.flush()  # the assessment's ID, for its rows
        _add_rows(session, row.id, stored, snapshot, texts)
        return Saved(row.id, client_row.name, site_row.name, row.quarter, moment.astimezone(UTC),
                     True, removed)


def import_folder(store: Store, folder: Path, *, client: str | None = None,
                  site: str | None = None, taken: datetime | None = None,
                  source: str = "import") -> Saved:
    """Read, validate and save an assessment folder (``sitewalk import-assessment``)."""
    return save_documents(store, read_folder(folder), client=client, site=site, taken=taken,
                          source=source)


def record_scan(folder: Path, client: str, site: str | None, db_url: str | None) -> int:
    """Save the assessment an unattended scan just wrote; the assessment's ID in the store.

    Called at the end of ``sitewalk scan --unattended`` once ``findings.json`` is written.
    Idempotent: recording the same folder twice returns the same ID.
    """
    with open_store(db_url) as store:
        return import_folder(store, folder, client=client, site=site, source="scan"
                             ).assessment_id


def previous_answers(client: str, site: str | None, db_url: str | None) -> dict[str, Any] | None:
    """The interview answers of the client's latest stored assessment, or None.

    An unattended re-scan has nobody to interview: the answers given on site last time
    (headcount, downtime cost, what the scan cannot see) stand until a consultant changes them.
    None when the client is new to the history or was never interviewed.
    """
    from history.errors import NotFound
    from history.queries import client_history, load_documents

    with open_store(db_url) as store:
        try:
            history = client_history(store, client, site)
        except NotFound:
            return None
        for summary in reversed(history.assessments):
            with store.session() as session:
                interview = load_documents(session, summary.id).interview
            if interview:
                return interview
    return None
