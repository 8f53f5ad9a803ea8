"""Build the report's view-model from ``inventory.json`` and ``findings.json`` (plain dicts).

:func:`build_view_model` is the only entry point. It reads the two public JSON formats as
dicts (this package never imports ``scanner`` or ``checks``), cleans and bounds every string,
and computes everything the templates show, so templates stay free of logic.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from reports import dates
from reports.branding import build_branding, paper_size
from reports.charts import build_bands, build_gauge, build_score
from reports.directory_view import build_directory
from reports.findings_view import (
    build_accepted,
    build_issues,
    build_not_assessed,
    build_sections,
    device_issues,
    plan_services,
    severity_counts,
    top_issues,
)
from reports.inventory_view import build_rows, build_scan_info, class_counts, dicts
from reports.labels import (
    DEFAULT_CHECK_PROFILE,
    NOT_RISK_AREAS,
    SEVERITY_LABELS,
    SEVERITY_ORDER,
    VERDICT_SENTENCES,
    VERDICT_TONES,
    area_name,
    area_rank,
    criterion_state,
    tidy_key,
)
from reports.network_view import build_network
from reports.plan_view import build_plan
from reports.scores_view import check_tallies, result_counts, worked_example
from reports.text import clean_list, clean_name, clean_text
from reports.view import (
    AreaScore,
    AuthorisationRecord,
    Band,
    Criterion,
    ReportView,
    ScanError,
    ScanGaps,
    Score,
    ScoreMethod,
    Verdict,
    WeightRow,
)


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def build_verdict(raw: object, client: str) -> Verdict:
    """The sweet-spot verdict, with a plain-words sentence for the client."""
    data = _dict(raw)
    code = str(data.get("verdict") or "need_more_information")
    sentence = VERDICT_SENTENCES.get(code, VERDICT_SENTENCES["need_more_information"])
    criteria = []
    for item in data.get("criteria") or []:
        if not isinstance(item, dict):
            continue
        met = item.get("met") if isinstance(item.get("met"), bool) else None
        gap = item.get("gap") if isinstance(item.get("gap"), bool) else None
        state, state_label = criterion_state(str(item.get("kind") or ""), met, gap)
        criteria.append(Criterion(name=clean_name(item.get("name")), state=state,
                                  state_label=state_label,
                                  evidence=clean_text(item.get("evidence"))))
    return Verdict(
        code=code,
        label=clean_name(data.get("label")) or tidy_key(code),
        tone=VERDICT_TONES.get(code, "pending"),
        sentence=sentence.format(client=client or "This business"),
        reasons=clean_list(data.get("reasons"), max_items=12),
        criteria=tuple(criteria[:20]),
        would_change=clean_list(data.get("would_change"), max_items=12),
        to_confirm=clean_list(data.get("to_confirm"), max_items=12),
    )


MAX_GAPS = 12
GAP_MESSAGE_LIMIT = 300


def build_partial(inventory: dict[str, Any]) -> ScanGaps | None:
    """Why the scan is partial, or None when it is not (``partial`` absent before schema 1.2).

    The lost link comes first: it is why the gaps after it happened. Messages quote nmap and
    the network, so they are cleaned and bounded like any other untrusted text.
    """
    if inventory.get("partial") is not True:
        return None
    lost = [e for e in dicts(inventory.get("errors")) if e.get("lost") is True]
    lost.sort(key=lambda e: e.get("source") != "network")
    gaps = tuple(ScanError(source=clean_name(e.get("source")), target=clean_name(e.get("target")),
                           message=clean_text(e.get("message"), GAP_MESSAGE_LIMIT))
                 for e in lost[:MAX_GAPS])
    return ScanGaps(gaps=gaps, more=max(0, len(lost) - MAX_GAPS))


def build_authorisation(raw: object) -> AuthorisationRecord | None:
    """The authorisation record in words, or None when none was recorded."""
    data = _dict(raw)
    by = clean_name(data.get("by"))
    if not by:
        return None
    on = dates.parse(data.get("on"))
    return AuthorisationRecord(by=by, on=dates.long_date(on) if on else clean_name(data.get("on")),
                               reference=clean_text(data.get("reference"), 300))


def _weights(raw: object) -> tuple[WeightRow, ...]:
    rows = []
    for key, value in _dict(raw).items():
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            continue
        key = clean_name(key)
        if key in SEVERITY_LABELS:
            name = f"{SEVERITY_LABELS[key]} severity"
        else:
            name = area_name(key)
        rows.append(WeightRow(name=name, weight=f"{value:g}"))
    return tuple(rows[:40])


def _area_scores(raw: object, bands: tuple[Band, ...]) -> dict[str, Score]:
    return {clean_name(key): build_score(value, bands) for key, value in _dict(raw).items()}


def build_view_model(inventory: dict[str, Any], findings: dict[str, Any],
                     branding: dict[str, Any] | None = None, *,
                     report_date: date | None = None,
                     directory: dict[str, Any] | None = None) -> ReportView:
    """The whole report view from the two assessment files and optional branding."""
    client = clean_name(inventory.get("client") or findings.get("client")) or "Client"
    scores = _dict(findings.get("scores"))
    bands = build_bands(scores.get("bands"))
    overall = build_score(scores.get("overall"), bands)
    area_scores = _area_scores(scores.get("areas"), bands)

    rows = build_rows(inventory)
    names = {row.ip: row.name for row in rows}
    issues = build_issues(findings, names)
    anchors = {issue.check_id: issue.anchor for issue in issues}
    accepted, lapsed, more_accepted = build_accepted(findings, names, anchors)
    sections = build_sections(findings, issues, area_scores)
    scan = build_scan_info(inventory, len(rows))
    profile = clean_name(findings.get("profile"))
    tallies = check_tallies(findings, set(area_scores))

    # The fit criteria describe the business, not a risk to it: they feed the verdict and
    # the methodology table, not the risk bars.
    area_keys = sorted((key for key in area_scores if key not in NOT_RISK_AREAS),
                       key=lambda key: (area_rank(key), key))
    verdict = build_verdict(findings.get("verdict"), client)
    brand = build_branding(branding)
    assessed_on = dates.parse(findings.get("assessed_at")) or dates.parse(
        inventory.get("started_at"))
    return ReportView(
        branding=brand,
        client=client,
        title="Network & IT assessment",
        report_date=dates.long_date(report_date or date.today()),
        assessment_date=scan.date or dates.long_date(assessed_on),
        paper=paper_size(branding),
        verdict=verdict,
        overall=overall,
        gauge=build_gauge(overall, bands),
        areas=tuple(AreaScore(key=key, name=area_name(key), score=area_scores[key])
                    for key in area_keys),
        severity_counts=severity_counts(issues),
        issue_count=len(issues),
        fit_issue_count=sum(1 for issue in issues if issue.area in NOT_RISK_AREAS),
        top_issues=top_issues(issues),
        plan_services=plan_services(issues),
        sections=sections,
        not_assessed=build_not_assessed(findings, names),
        pass_count=sum(section.pass_count for section in sections),
        inventory=rows,
        class_counts=class_counts(rows),
        scan=scan,
        method=ScoreMethod(
            formula=clean_text(scores.get("formula"), 2000),
            weights=_weights(scores.get("weights")),
            bands=bands,
            severity_labels=tuple(SEVERITY_LABELS[s] for s in SEVERITY_ORDER),
            results=result_counts(tallies, area_scores, overall),
            worked_example=worked_example(tallies.get(""), _dict(scores.get("weights")), overall),
        ),
        tool_version=clean_name(findings.get("tool_version") or inventory.get("tool_version")),
        plan=build_plan(findings, verdict, client, brand, anchors),
        accepted=accepted,
        lapsed=lapsed,
        more_accepted=more_accepted,
        check_profile="" if profile.casefold() in ("", DEFAULT_CHECK_PROFILE) else profile,
        network=build_network(inventory, rows, device_issues(findings), scan.targets),
        partial=build_partial(inventory),
        authorisation=build_authorisation(inventory.get("authorisation")),
        directory=build_directory(directory, inventory),
        lifecycle_data=lifecycle_line(findings.get("lifecycle_data")),
    )


def lifecycle_line(record: Any) -> str:
    """``"endoflife.date snapshot 2026-08-22 (…)"``: the support dates' source, for the
    methodology; "" when findings.json does not record it (assessed before it did)."""
    if not isinstance(record, dict) or not record.get("source"):
        return ""
    line = clean_name(record.get("source"))
    licence = clean_name(record.get("licence"))
    return f"{line} ({licence})" if licence else line
