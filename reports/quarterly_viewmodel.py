"""Build the quarterly review's view-model from the history's :class:`QuarterlyData`.

:func:`build_quarterly_view` is the only entry point. It reads plain records (it imports the
history's types for type checking only), cleans and bounds every string that came from a
network or a file, turns numbers into words, and computes the charts, so the templates stay
free of logic. Bands, scores, severities and branding are the one-off review's, so both
documents look and read alike.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from reports import dates
from reports.branding import build_branding, paper_size
from reports.charts import build_bands, build_score
from reports.labels import (
    NOT_RISK_AREAS,
    SEVERITY_LABELS,
    area_name,
    area_rank,
    device_class_label,
)
from reports.money import hours, money
from reports.quarterly_charts import build_sparkline, build_trend_chart, quarter_words
from reports.quarterly_view import (
    AreaTrendRow,
    Delta,
    DeviceLine,
    FindingLine,
    HistoryRow,
    IgnoredRisk,
    QuarterlyView,
    RoadmapLine,
)
from reports.text import clean_name, clean_text, first_sentence
from reports.view import Band, Score

if TYPE_CHECKING:
    from history.diff import FindingChange
    from history.facts import HostFacts
    from history.quarterly import QuarterlyData, RoadmapItem

MAX_LINES = 80  # per list; a review is read by people
LONG_OPEN = 2  # quarters


def _score(value: float | None, band: str, bands: tuple[Band, ...]) -> Score:
    return build_score({"score": value, "band": band}, bands)


def delta(before: float | None, after: float | None) -> Delta:
    """The change of a risk score: lower is better."""
    if after is None:
        return Delta("not assessed", "none")
    if before is None:
        return Delta("new", "none")
    change = round(after) - round(before)
    if change == 0:
        return Delta("no change", "same")
    return Delta(f"{'−' if change < 0 else '+'}{abs(change)}", "better" if change < 0 else "worse")


def age_text(quarters: int) -> str:
    """``"1 quarter"``, ``"3 quarters"``."""
    return f"{quarters} quarter" + ("" if quarters == 1 else "s")


def _finding(change: FindingChange) -> FindingLine:
    facts = change.finding
    severity = facts.severity if facts.severity in SEVERITY_LABELS else "info"
    return FindingLine(
        check_id=clean_name(facts.check_id), title=clean_text(facts.title, 200),
        severity=severity, severity_label=SEVERITY_LABELS[severity],
        area_name=area_name(clean_name(facts.area)), asset=clean_name(facts.asset),
        since=quarter_words(change.first_quarter) if change.first_quarter else "",
        quarters_open=change.quarters_open, age_text=age_text(change.quarters_open),
        note=clean_text(change.note, 120), accepted=facts.accepted)


def _findings(changes: tuple[FindingChange, ...]) -> tuple[FindingLine, ...]:
    return tuple(_finding(c) for c in changes
                 if c.finding.area not in NOT_RISK_AREAS)[:MAX_LINES]


def _device(host: HostFacts, changes: tuple[str, ...] = ()) -> DeviceLine:
    maker = clean_name(host.manufacturer or host.vendor)
    model = clean_name(host.model)
    kind = " · ".join(p for p in (device_class_label(clean_name(host.device_class)),
                                  " ".join(x for x in (maker, model) if x)) if p)
    return DeviceLine(name=clean_name(host.display_name) or clean_name(host.ip),
                      ip=clean_name(host.ip), mac=clean_name(host.mac or ""), kind=kind,
                      changes=tuple(clean_text(c, 160) for c in changes[:12]))


def _scope(assets: tuple[str, ...]) -> str:
    names = [clean_name(a) for a in assets if a != "whole network"]
    if not names:
        return "Whole network"
    shown = ", ".join(name.split(" (")[0] for name in names[:4])
    more = f" and {len(names) - 4} more" if len(names) > 4 else ""
    return f"{len(names)} device{'s' if len(names) != 1 else ''}: {shown}{more}"


def _roadmap(items: tuple[RoadmapItem, ...], currency: str) -> tuple[RoadmapLine, ...]:
    lines = []
    for rank, item in enumerate(items[:MAX_LINES], start=1):
        severity = item.severity if item.severity in SEVERITY_LABELS else "info"
        lines.append(RoadmapLine(
            rank=rank, check_id=clean_name(item.check_id), title=clean_text(item.title, 200),
            severity=severity, severity_label=SEVERITY_LABELS[severity],
            area_name=area_name(clean_name(item.area)), scope=_scope(item.assets),
            age_text=age_text(item.quarters_open), long_open=item.quarters_open >= LONG_OPEN,
            project=clean_text(item.project, 160),
            hours=hours(item.estimate_hours) if item.estimate_hours is not None else "",
            cost=money(item.estimate_cost, currency) if item.estimate_cost is not None else "",
            service=clean_name(item.service), why=first_sentence(clean_text(item.risk, 1000)),
            first_step=clean_text(item.remediation[0], 300) if item.remediation else ""))
    return tuple(lines)


def _ignored(items: tuple[RoadmapItem, ...], currency: str) -> tuple[IgnoredRisk, ...]:
    return tuple(IgnoredRisk(
        title=clean_text(i.title, 200),
        severity=i.severity if i.severity in SEVERITY_LABELS else "info",
        severity_label=SEVERITY_LABELS.get(i.severity, "Info"),
        since=quarter_words(i.first_quarter), age_text=age_text(i.quarters_open),
        scope=_scope(i.assets), risk=clean_text(i.risk, 1000),
        cost=money(i.estimate_cost, currency) if i.estimate_cost is not None else "",
        service=clean_name(i.service)) for i in items[:MAX_LINES])


def _total(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def _lead(data: QuarterlyData, overall: Score, change: Delta, counts: dict[str, int]) -> str:
    """The quarter in two or three sentences."""
    still_open = counts["open"]
    if data.previous is None:
        return (f"This is the first quarter in {data.client}'s history with us: the risk score "
                f"is {overall.display} out of 100 ({overall.band.lower()}), with {still_open} "
                f"open finding{'s' if still_open != 1 else ''}. From next quarter on, this "
                "review shows what changed.")
    before = _score_text(data.previous.overall_score)
    movement = {"better": f"fell from {before} to {overall.display}",
                "worse": f"rose from {before} to {overall.display}",
                "same": f"stayed at {overall.display}"}.get(change.tone,
                                                            f"is {overall.display}")
    fixed, new = counts["fixed"], counts["new"]
    fixed_text = ("No finding was fixed" if not fixed else
                  "1 finding was fixed" if fixed == 1 else f"{fixed} findings were fixed")
    new_text = "none is new" if not new else ("1 is new" if new == 1 else f"{new} are new")
    open_text = ("nothing remains open" if not still_open else
                 "1 remains open" if still_open == 1 else f"{still_open} remain open")
    text = (f"Since {quarter_words(data.previous.quarter)}, the risk score {movement} out of "
            f"100 ({overall.band.lower()}). {fixed_text}, {new_text}, and {open_text}.")
    added, removed = counts["added"], counts["removed"]
    if added or removed:
        parts = [f"{n} device{'s' if n != 1 else ''} {verb}" for n, verb in
                 ((added, "joined the network"), (removed, "no longer answered")) if n]
        text += " " + " and ".join(parts).capitalize() + "."
    return text


def _score_text(value: float | None) -> str:
    return "–" if value is None else str(int(value + 0.5))


def _areas(data: QuarterlyData, bands: tuple[Band, ...]) -> tuple[AreaTrendRow, ...]:
    rows = []
    for trend in sorted(data.areas, key=lambda t: (area_rank(t.area), t.area)):
        score = _score(trend.scores[-1], trend.bands[-1], bands)
        before = trend.scores[-2] if len(trend.scores) > 1 else None
        change = delta(before, trend.scores[-1]) if len(trend.scores) > 1 else Delta("", "none")
        rows.append(AreaTrendRow(name=area_name(clean_name(trend.area)), score=score,
                                 delta=change,
                                 spark=build_sparkline(list(trend.scores), score.color)))
    return tuple(rows)


def _history(data: QuarterlyData, bands: tuple[Band, ...]) -> tuple[HistoryRow, ...]:
    rows, before = [], None
    for point in data.points:
        rows.append(HistoryRow(
            quarter=quarter_words(point.quarter), date=dates.long_date(point.taken_at),
            score=_score(point.overall_score, point.overall_band, bands),
            delta=delta(before, point.overall_score) if rows else Delta("", "none"),
            open_count=point.open_count, host_count=point.host_count,
            verdict=clean_name(point.verdict_label or point.verdict), current=False))
        before = point.overall_score
    if rows:
        last = rows[-1]
        rows[-1] = HistoryRow(last.quarter, last.date, last.score, last.delta, last.open_count,
                              last.host_count, last.verdict, True)
    return tuple(reversed(rows))  # newest first


def build_quarterly_view(data: QuarterlyData, branding: dict[str, Any] | None = None, *,
                         prospect: bool | None = None, report_date: date | None = None
                         ) -> QuarterlyView:
    """The quarterly review of ``data``; ``prospect`` overrides the client's stored status."""
    bands = build_bands(list(data.bands))
    current, previous = data.current, data.previous
    overall = _score(current.overall_score, current.overall_band, bands)
    change = delta(previous.overall_score if previous else None, current.overall_score) \
        if previous else Delta("", "none")
    diff = data.diff
    fixed = _findings(diff.resolved) if diff else ()
    new = _findings(diff.new_findings) if diff else ()
    still_open = tuple(_finding(c) for c in data.open_findings)[:MAX_LINES]
    is_prospect = data.status != "signed" if prospect is None else prospect
    brand = build_branding(branding)
    chart = build_trend_chart([p.quarter for p in data.points],
                              [p.overall_score for p in data.points], bands,
                              [p.overall_band for p in data.points])
    roadmap = _roadmap(data.roadmap, data.currency)
    cost = _total([i.estimate_cost for i in data.roadmap])
    work = _total([i.estimate_hours for i in data.roadmap])
    ignored = data.ignored
    ignored_cost = _total([i.estimate_cost for i in ignored])
    return QuarterlyView(
        branding=brand, client=clean_name(data.client) or "Client",
        site=clean_name(data.site), show_site=len(data.sites) > 1,
        title="Quarterly business review", quarter=quarter_words(current.quarter),
        previous_quarter=quarter_words(previous.quarter) if previous else "",
        report_date=dates.long_date(report_date or date.today()),
        assessment_date=dates.long_date(current.taken_at), paper=paper_size(branding),
        prospect=is_prospect,
        status_text=(f"Client since {dates.long_date(data.signed_on)}"
                     if data.status == "signed" and data.signed_on else
                     ("Client" if data.status == "signed" else "Prospect")),
        overall=overall, delta=change, bands=bands,
        lead=_lead(data, overall, change, {
            "fixed": len(fixed), "new": len(new), "open": len(still_open),
            "added": len(diff.devices_added) if diff else 0,
            "removed": len(diff.devices_removed) if diff else 0}),
        chart=chart, areas=_areas(data, bands), first_review=diff is None,
        fixed=fixed, new=new, not_assessed=_findings(diff.no_longer_assessed) if diff else (),
        open_findings=still_open,
        accepted=tuple(_finding(c) for c in data.accepted)[:MAX_LINES],
        long_open_count=sum(1 for f in still_open if f.quarters_open >= LONG_OPEN),
        devices_added=tuple(_device(h) for h in diff.devices_added)[:MAX_LINES] if diff else (),
        devices_removed=tuple(_device(h) for h in diff.devices_removed)[:MAX_LINES]
        if diff else (),
        devices_changed=tuple(_device(c.after, c.changes) for c in diff.devices_changed
                              )[:MAX_LINES] if diff else (),
        device_count=current.host_count,
        previous_device_count=previous.host_count if previous else None,
        roadmap=roadmap, roadmap_cost=money(cost, data.currency) if cost is not None else "",
        roadmap_hours=hours(work) if work is not None else "",
        unestimated=sum(1 for i in data.roadmap if i.estimate_cost is None),
        ignored=_ignored(ignored, data.currency) if is_prospect else (),
        ignored_cost=money(ignored_cost, data.currency) if ignored_cost is not None else "",
        first_quarter=quarter_words(data.points[0].quarter),
        history=_history(data, bands))
