"""The data of the quarterly business review: a client's history as plain records.

:func:`quarterly_data` gathers, for one site of one client, as of one quarter (the latest by
default): the overall and per-area score of every quarter (the last assessment of each), what
changed since the quarter before (:mod:`history.diff`), every finding still open with its age,
and the roadmap for next quarter: open findings grouped by check, most severe first, with the
price book's estimate where ``findings.json``'s plan has one. The report package lays it out
(:mod:`reports.quarterly_viewmodel`); nothing here knows about HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from history.diff import Diff, FindingChange, diff_snapshots, severity_rank
from history.documents import quarter_index
from history.errors import NotFound
from history.facts import BUSINESS_AREAS
from history.queries import (
    age_diff,
    aged_open_findings,
    find_client,
    find_site,
    load_documents,
    stored_snapshot,
)
from history.store import Store
from history.tables import AreaScoreRow, AssessmentRow, ClientRow, SiteRow

IGNORED_AFTER_QUARTERS = 2  # a risk open this many quarters has been left alone


@dataclass(frozen=True)
class QuarterPoint:
    """A quarter in the trend: its last assessment."""

    quarter: str
    assessment_id: int
    taken_at: datetime
    overall_score: float | None
    overall_band: str
    open_count: int
    host_count: int
    verdict: str
    verdict_label: str


@dataclass(frozen=True)
class AreaTrend:
    """One area's score per quarter, aligned with :attr:`QuarterlyData.points`."""

    area: str
    scores: tuple[float | None, ...]
    bands: tuple[str, ...]


@dataclass(frozen=True)
class RoadmapItem:
    """One piece of work for next quarter: every open finding of one check."""

    check_id: str
    title: str
    severity: str
    area: str
    assets: tuple[str, ...]
    quarters_open: int  # the oldest of its findings
    first_quarter: str
    risk: str
    remediation: tuple[str, ...]
    service: str
    project: str  # the price book's name for the work, "" when not estimated
    estimate_hours: float | None
    estimate_cost: float | None


@dataclass(frozen=True)
class QuarterlyData:
    """Everything the quarterly review shows, for one site of one client."""

    client: str
    site: str
    status: str  # "prospect" or "signed"
    signed_on: date | None
    points: tuple[QuarterPoint, ...]  # oldest first, the current quarter last
    areas: tuple[AreaTrend, ...]
    bands: tuple[dict[str, Any], ...]  # scores.bands of the current findings.json
    diff: Diff | None  # against the quarter before; None for the first quarter
    open_findings: tuple[FindingChange, ...]  # risk areas only, aged, most severe first
    accepted: tuple[FindingChange, ...]  # open, but an accepted risk in force
    roadmap: tuple[RoadmapItem, ...]
    currency: str
    sites: tuple[str, ...] = field(default_factory=tuple)  # every site of the client

    @property
    def current(self) -> QuarterPoint:
        """The quarter the review is about."""
        return self.points[-1]

    @property
    def previous(self) -> QuarterPoint | None:
        """The quarter before it in the history, if any."""
        return self.points[-2] if len(self.points) > 1 else None

    @property
    def ignored(self) -> tuple[RoadmapItem, ...]:
        """Roadmap items open for :data:`IGNORED_AFTER_QUARTERS` quarters or more."""
        return tuple(item for item in self.roadmap
                     if item.quarters_open >= IGNORED_AFTER_QUARTERS)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _traced(value: object) -> float | None:
    return _number(value.get("value")) if isinstance(value, dict) else None


def _dicts(value: object) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def build_roadmap(open_findings: tuple[FindingChange, ...], findings_doc: dict[str, Any]
                  ) -> tuple[RoadmapItem, ...]:
    """Open findings grouped by check, most severe and then oldest first, with estimates."""
    checks = {str(c.get("id")): c for c in _dicts(findings_doc.get("checks"))}
    plan = findings_doc.get("plan") if isinstance(findings_doc.get("plan"), dict) else {}
    projects = plan.get("projects") if isinstance(plan.get("projects"), dict) else {}
    estimates = {str(p.get("check_id")): p for p in _dicts(projects.get("items"))}
    groups: dict[str, list[FindingChange]] = {}
    for change in open_findings:
        groups.setdefault(change.finding.check_id, []).append(change)
    items = []
    for check_id, changes in groups.items():
        facts = changes[0].finding
        check, estimate = checks.get(check_id, {}), estimates.get(check_id, {})
        oldest = max(changes, key=lambda c: c.quarters_open)
        items.append(RoadmapItem(
            check_id=check_id, title=str(check.get("title") or facts.title),
            severity=str(check.get("severity") or facts.severity), area=facts.area,
            assets=tuple(sorted({c.finding.asset for c in changes})),
            quarters_open=oldest.quarters_open, first_quarter=oldest.first_quarter,
            risk=str(check.get("risk") or ""),
            remediation=tuple(str(step) for step in check.get("remediation") or ()),
            service=str(check.get("service") or ""), project=str(estimate.get("title") or ""),
            estimate_hours=_traced(estimate.get("hours")),
            estimate_cost=_traced(estimate.get("cost"))))
    return tuple(sorted(items, key=lambda i: (severity_rank(i.severity), -i.quarters_open,
                                              i.title)))


def _points(rows: list[AssessmentRow]) -> tuple[QuarterPoint, ...]:
    last: dict[str, AssessmentRow] = {}
    for row in rows:  # oldest first: the last of a quarter wins
        last[row.quarter] = row
    return tuple(QuarterPoint(q, r.id, r.taken_at, r.overall_score, r.overall_band,
                              r.open_count, r.host_count, r.verdict, r.verdict_label)
                 for q, r in sorted(last.items(), key=lambda item: quarter_index(item[0])))


def _area_trends(session: Any, points: tuple[QuarterPoint, ...]) -> tuple[AreaTrend, ...]:
    ids = [p.assessment_id for p in points]
    scores: dict[str, dict[int, AreaScoreRow]] = {}
    for row in session.scalars(select(AreaScoreRow).where(AreaScoreRow.assessment_id.in_(ids))):
        scores.setdefault(row.area, {})[row.assessment_id] = row
    trends = []
    for area, by_id in scores.items():
        if area in BUSINESS_AREAS:
            continue
        rows = [by_id.get(i) for i in ids]
        trends.append(AreaTrend(area, tuple(r.score if r else None for r in rows),
                                tuple(r.band if r else "" for r in rows)))
    return tuple(trends)


def _pick_site(session: Any, client: ClientRow, site: str | None) -> tuple[SiteRow, list[str]]:
    names = list(session.scalars(select(SiteRow.name).where(SiteRow.client_id == client.id)
                                 .order_by(SiteRow.name)))
    if site is not None:
        found = find_site(session, client, site)
        assert found is not None
        return found, names
    rows = list(session.scalars(select(SiteRow).where(SiteRow.client_id == client.id)))
    if len(rows) != 1:
        raise NotFound(f"{client.name} has {len(rows)} sites ({', '.join(names)}): "
                       "name one with --site")
    return rows[0], names


def quarterly_data(store: Store, client: str, site: str | None = None,
                   quarter: str | None = None) -> QuarterlyData:
    """The review of ``client`` (one site) as of ``quarter`` (``"2026-Q3"``; default latest)."""
    with store.session() as session:
        client_row = find_client(session, client)
        site_row, site_names = _pick_site(session, client_row, site)
        rows = list(session.scalars(select(AssessmentRow).where(
            AssessmentRow.site_id == site_row.id).order_by(AssessmentRow.taken_at,
                                                           AssessmentRow.id)))
        if quarter is not None:
            rows = [r for r in rows if quarter_index(r.quarter) <= quarter_index(quarter)]
        if not rows:
            raise NotFound(f"{client_row.name} ({site_row.name}) has no assessment"
                           + (f" up to {quarter}" if quarter else "") + " in the history")
        points = _points(rows)
        current = stored_snapshot(session, points[-1].assessment_id)
        diff = None
        if len(points) > 1:
            previous = stored_snapshot(session, points[-2].assessment_id)
            diff = age_diff(session, diff_snapshots(previous, current))
            open_all = diff.open_now
        else:
            open_all = aged_open_findings(session, current)
        findings_doc = load_documents(session, points[-1].assessment_id).findings
        risks = tuple(c for c in open_all if c.finding.area not in BUSINESS_AREAS)
        todo = tuple(c for c in risks if not c.finding.accepted)
        plan = findings_doc.get("plan") if isinstance(findings_doc.get("plan"), dict) else {}
        book = plan.get("price_book") if isinstance(plan.get("price_book"), dict) else {}
        return QuarterlyData(
            client=client_row.name, site=site_row.name, status=client_row.status,
            signed_on=client_row.signed_on, points=points,
            areas=_area_trends(session, points),
            bands=tuple(_dicts((findings_doc.get("scores") or {}).get("bands"))),
            diff=diff, open_findings=todo,
            accepted=tuple(c for c in risks if c.finding.accepted),
            roadmap=build_roadmap(todo, findings_doc),
            currency=str(book.get("currency") or "USD"), sites=tuple(site_names))

