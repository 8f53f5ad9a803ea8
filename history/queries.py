"""Reading the history: clients, a client's assessments, one assessment, ages and diffs.

Every function takes an open :class:`history.store.Store` (or a session) and returns the plain
records of :mod:`history.records`, the snapshots of :mod:`history.facts` or a
:class:`history.diff.Diff`. Unknown names and IDs raise :class:`history.errors.NotFound` with a
one-line message that says what is there instead.
"""

from __future__ import annotations

import difflib
import json
import zlib
from datetime import date, datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from history.diff import (
    FIXED,
    OPEN,
    Diff,
    FindingChange,
    diff_snapshots,
    finding_order,
    index_findings,
    state_in,
    with_ages,
)
from history.documents import Documents, quarters_between
from history.errors import BadInput, NotFound
from history.facts import FindingFacts, HostFacts, Port, Snapshot
from history.records import (
    AreaScore,
    AssessmentSummary,
    ClientHistory,
    ClientSummary,
    StoredAssessment,
)
from history.save import name_key
from history.store import Store
from history.tables import (
    CLIENT_STATUSES,
    AreaScoreRow,
    AssessmentRow,
    ClientRow,
    DocumentRow,
    FindingRow,
    HostRow,
    SiteRow,
)


def find_client(session: Session, name: str) -> ClientRow:
    """The client of that name (any case); :class:`NotFound` naming close matches."""
    client = session.scalar(select(ClientRow).where(ClientRow.key == name_key(name)))
    if client is not None:
        return client
    names = {row.key: row.name for row in session.execute(select(ClientRow.key, ClientRow.name))}
    wanted = name_key(name)
    keys = [k for k in names if wanted and wanted in k]
    keys += difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.6)
    close = list(dict.fromkeys(names[k] for k in keys))[:3]
    hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else \
        " (`sitewalk clients` lists them)"
    raise NotFound(f"no client named {name[:80]!r} in the history{hint}")


def find_site(session: Session, client: ClientRow, site: str | None) -> SiteRow | None:
    """The client's site named ``site``; None when no site is asked for."""
    if site is None:
        return None
    row = session.scalar(select(SiteRow).where(SiteRow.client_id == client.id,
                                               SiteRow.key == name_key(site)))
    if row is None:
        names = session.scalars(select(SiteRow.name).where(SiteRow.client_id == client.id)
                                .order_by(SiteRow.name)).all()
        raise NotFound(f"{client.name} has no site named {site[:80]!r} "
                       f"(sites: {', '.join(names) or 'none'})")
    return row


def _summaries(session: Session, clients: list[ClientRow]) -> tuple[ClientSummary, ...]:
    ids = [c.id for c in clients]
    if not ids:
        return ()
    counts = {row.client_id: row for row in session.execute(
        select(AssessmentRow.client_id, func.count().label("n"),
               func.min(AssessmentRow.quarter).label("first"),
               func.max(AssessmentRow.taken_at).label("last"))
        .where(AssessmentRow.client_id.in_(ids)).group_by(AssessmentRow.client_id))}
    last_taken = (select(AssessmentRow.client_id, func.max(AssessmentRow.taken_at).label("taken"))
                  .where(AssessmentRow.client_id.in_(ids)).group_by(AssessmentRow.client_id)
                  .subquery())
    latest: dict[int, AssessmentRow] = {}
    for row in session.scalars(
            select(AssessmentRow).join(last_taken, and_(
                AssessmentRow.client_id == last_taken.c.client_id,
                AssessmentRow.taken_at == last_taken.c.taken)).order_by(AssessmentRow.id)):
        latest[row.client_id] = row
    sites: dict[int, list[str]] = {}
    for client_id, site in session.execute(select(SiteRow.client_id, SiteRow.name)
                                           .where(SiteRow.client_id.in_(ids))
                                           .order_by(SiteRow.name)):
        sites.setdefault(client_id, []).append(site)
    result = []
    for client in clients:
        count, last = counts.get(client.id), latest.get(client.id)
        result.append(ClientSummary(
            id=client.id, name=client.name, status=client.status, signed_on=client.signed_on,
            sites=tuple(sites.get(client.id, ())), assessments=count.n if count else 0,
            first_quarter=count.first if count else "",
            last_quarter=last.quarter if last else "",
            last_taken_at=last.taken_at if last else None,
            last_score=last.overall_score if last else None,
            last_band=last.overall_band if last else "", last_open=last.open_count if last else 0))
    return tuple(result)


def list_clients(store: Store) -> tuple[ClientSummary, ...]:
    """Every client in the history, by name."""
    with store.session() as session:
        clients = list(session.scalars(select(ClientRow).order_by(ClientRow.key)))
        return _summaries(session, clients)


def client_summary(store: Store, name: str) -> ClientSummary:
    """One client's summary."""
    with store.session() as session:
        return _summaries(session, [find_client(session, name)])[0]


def set_client_status(store: Store, name: str, status: str, signed_on: date | None = None
                      ) -> ClientSummary:
    """Mark a client as ``signed`` (from ``signed_on``) or back to ``prospect``."""
    if status not in CLIENT_STATUSES:
        raise BadInput(f"status must be one of {', '.join(CLIENT_STATUSES)}")
    with store.transaction() as session:
        client = find_client(session, name)
        client.status = status
        client.signed_on = (signed_on or date.today()) if status == "signed" else None
    return client_summary(store, name)


def summary_of(row: AssessmentRow, client: str, site: str) -> AssessmentSummary:
    """The plain summary of an assessment row."""
    return AssessmentSummary(
        id=row.id, client=client, site=site, taken_at=row.taken_at, quarter=row.quarter,
        overall_score=row.overall_score, overall_band=row.overall_band, verdict=row.verdict,
        verdict_label=row.verdict_label, host_count=row.host_count, open_count=row.open_count,
        source=row.source, source_path=row.source_path, tool_version=row.tool_version,
        imported_at=row.imported_at, secrets_removed=row.secrets_removed)


def client_history(store: Store, name: str, site: str | None = None) -> ClientHistory:
    """A client's assessments (of one site, or of all), oldest first."""
    with store.session() as session:
        client = find_client(session, name)
        site_row = find_site(session, client, site)
        query = (select(AssessmentRow, SiteRow.name).join(SiteRow,
                                                           AssessmentRow.site_id == SiteRow.id)
                 .where(AssessmentRow.client_id == client.id)
                 .order_by(AssessmentRow.taken_at, AssessmentRow.id))
        if site_row is not None:
            query = query.where(AssessmentRow.site_id == site_row.id)
        rows = session.execute(query).all()
        return ClientHistory(
            client=_summaries(session, [client])[0], site=site_row.name if site_row else None,
            assessments=tuple(summary_of(row, client.name, site_name) for row, site_name in rows))


def _assessment_row(session: Session, assessment_id: int) -> tuple[AssessmentRow, str, str]:
    found = session.execute(
        select(AssessmentRow, ClientRow.name, SiteRow.name)
        .join(ClientRow, AssessmentRow.client_id == ClientRow.id)
        .join(SiteRow, AssessmentRow.site_id == SiteRow.id)
        .where(AssessmentRow.id == assessment_id)).first()
    if found is None:
        raise NotFound(f"no assessment {assessment_id} in the history "
                       "(`sitewalk history CLIENT` lists a client's assessments)")
    return found[0], found[1], found[2]


def load_documents(session: Session, assessment_id: int) -> Documents:
    """The stored documents of an assessment, decompressed."""
    parts = {}
    for row in session.scalars(select(DocumentRow).where(
            DocumentRow.assessment_id == assessment_id)):
        parts[row.kind] = json.loads(zlib.decompress(row.body).decode("utf-8"))
    return Documents(parts.get("inventory") or {}, parts.get("findings") or {},
                     parts.get("interview"), f"assessment {assessment_id}")


def area_scores(session: Session, assessment_id: int) -> tuple[AreaScore, ...]:
    """An assessment's area scores."""
    return tuple(AreaScore(r.area, r.score, r.band, r.assessed, r.failed)
                 for r in session.scalars(select(AreaScoreRow).where(
                     AreaScoreRow.assessment_id == assessment_id).order_by(AreaScoreRow.area)))


def get_assessment(store: Store, assessment_id: int) -> StoredAssessment:
    """One assessment: summary, area scores and documents."""
    with store.session() as session:
        row, client, site = _assessment_row(session, assessment_id)
        return StoredAssessment(summary_of(row, client, site), area_scores(session, row.id),
                                load_documents(session, row.id))


def _host(row: HostRow) -> HostFacts:
    return HostFacts(
        asset_key=row.asset_key, ip=row.ip, mac=row.mac, names=tuple(row.names or ()),
        display_name=row.display_name, device_class=row.device_class, vendor=row.vendor,
        manufacturer=row.manufacturer, model=row.model, firmware=row.firmware,
        open_ports=tuple(Port(int(p["port"]), str(p["protocol"]), str(p.get("name") or ""))
                         for p in row.open_ports or ()))


def _finding(row: FindingRow) -> FindingFacts:
    return FindingFacts(
        uid=row.uid, check_id=row.check_id, status=row.status, severity=row.severity,
        area=row.area, title=row.title, asset_key=row.asset_key, host_name=row.host_name,
        ip=row.ip, accepted=row.accepted)


def stored_snapshot(session: Session, assessment_id: int) -> Snapshot:
    """The snapshot of a stored assessment, from its rows (no documents decompressed)."""
    row, client, site = _assessment_row(session, assessment_id)
    hosts = session.scalars(select(HostRow).where(HostRow.assessment_id == row.id)
                            .order_by(HostRow.id))
    findings = session.scalars(select(FindingRow).where(FindingRow.assessment_id == row.id)
                               .order_by(FindingRow.id))
    return Snapshot(
        label=f"assessment {row.id}", client=client, site=site, taken_at=row.taken_at,
        quarter=row.quarter, overall_score=row.overall_score, overall_band=row.overall_band,
        verdict=row.verdict, verdict_label=row.verdict_label,
        hosts=tuple(_host(h) for h in hosts), findings=tuple(_finding(f) for f in findings),
        area_scores={a.area: a.score for a in area_scores(session, row.id)},
        assessment_id=row.id)


def finding_ages(session: Session, assessment_id: int, open_findings: list[FindingFacts]
                 ) -> dict[str, tuple[datetime, str]]:
    """When each open finding was first seen in its current run of being open.

    Walks the site's earlier assessments back from ``assessment_id``: an assessment where the
    finding was open moves "first seen" back; one where it was fixed ends the walk (a finding
    that was fixed and came back is aged from its return); one where it was not assessed is
    passed over, since it says nothing either way. uid → (first seen, its quarter).
    """
    if not open_findings:
        return {}
    current, _, _ = _assessment_row(session, assessment_id)
    earlier = session.execute(
        select(AssessmentRow.id, AssessmentRow.taken_at, AssessmentRow.quarter)
        .where(AssessmentRow.site_id == current.site_id,
               AssessmentRow.taken_at <= current.taken_at)
        .order_by(AssessmentRow.taken_at.desc(), AssessmentRow.id.desc())).all()
    earlier = [a for a in earlier if (a.taken_at, a.id) <= (current.taken_at, current.id)]
    ids = [a.id for a in earlier]
    checks = sorted({f.check_id for f in open_findings})
    results: dict[int, list[FindingFacts]] = {i: [] for i in ids}
    for a_id, uid, check_id, status in session.execute(
            select(FindingRow.assessment_id, FindingRow.uid, FindingRow.check_id,
                   FindingRow.status)
            .join(AssessmentRow, FindingRow.assessment_id == AssessmentRow.id)
            .where(AssessmentRow.site_id == current.site_id,
                   AssessmentRow.taken_at <= current.taken_at,
                   FindingRow.check_id.in_(checks))):
        if a_id in results:
            results[a_id].append(FindingFacts(uid, check_id, status, "", "", "", ""))
    assets: dict[int, set[str]] = {i: set() for i in ids}
    for a_id, key in session.execute(
            select(HostRow.assessment_id, HostRow.asset_key)
            .join(AssessmentRow, HostRow.assessment_id == AssessmentRow.id)
            .where(AssessmentRow.site_id == current.site_id,
                   AssessmentRow.taken_at <= current.taken_at)):
        if a_id in assets:
            assets[a_id].add(key)
    indexes = {i: index_findings(results[i], assets=assets[i]) for i in ids}
    ages = {}
    for finding in open_findings:
        first = None
        for assessment in earlier:
            state, _ = state_in(indexes[assessment.id], finding.uid, finding.check_id,
                                finding.asset_key)
            if state == OPEN:
                first = (assessment.taken_at, assessment.quarter)
            elif state == FIXED:
                break
        if first is not None:
            ages[finding.uid] = first
    return ages


def stored_diff(session: Session, old_id: int, new_id: int) -> Diff:
    """The diff of two stored assessments, open findings aged from the whole history."""
    diff = diff_snapshots(stored_snapshot(session, old_id), stored_snapshot(session, new_id))
    return age_diff(session, diff)


def age_diff(session: Session, diff: Diff) -> Diff:
    """Put the store's ages into a diff whose new side is a stored assessment."""
    if diff.new.assessment_id is None:
        return diff
    open_now = [c.finding for c in diff.open_now]
    return with_ages(diff, finding_ages(session, diff.new.assessment_id, open_now))


def aged_open_findings(session: Session, snapshot: Snapshot) -> tuple[FindingChange, ...]:
    """The open findings of a stored assessment, each with its age, most severe first."""
    open_facts = list(index_findings(f for f in snapshot.findings if f.is_open).by_uid.values())
    ages = finding_ages(session, snapshot.assessment_id or 0, open_facts)
    changes = []
    for facts in open_facts:
        first, quarter = ages.get(facts.uid, (snapshot.taken_at, snapshot.quarter))
        changes.append(FindingChange(facts, "", facts.status, first_seen=first,
                                     first_quarter=quarter,
                                     quarters_open=quarters_between(quarter, snapshot.quarter)))
    return tuple(sorted(changes, key=finding_order))
