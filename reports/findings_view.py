"""The findings part of the view-model: issues grouped by check, areas, what was not assessed.

All FAIL results of one check become one :class:`Issue` listing the affected devices, so the
client reads "Telnet is enabled on 2 devices", not the same paragraph twice. Check metadata
(risk, remediation, service, references) comes from ``findings["checks"]`` by check id.

A FAIL the client accepted as a risk (``accepted.in_force``, from ``sitewalk assess
--exceptions``) is not an open issue: it is listed apart (:func:`build_accepted`), like the
score leaves it out. An acceptance that has expired does not hide anything: the failure is an
open issue again, with a note saying whose acceptance lapsed and when.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

from reports import dates
from reports.inventory_view import dicts, ip_sort_key
from reports.labels import (
    SEVERITY_LABELS,
    SEVERITY_ORDER,
    area_name,
    area_rank,
    severity_rank,
)
from reports.text import LONG_TEXT_LIMIT, clean_list, clean_name, clean_text, first_sentence
from reports.view import (
    AcceptedRisk,
    AffectedHost,
    AreaSection,
    Issue,
    NotAssessed,
    PlanService,
    Reference,
    Score,
    SeverityCount,
)

# Up to DETAILED_HOSTS affected devices are shown with what was seen on each; beyond that,
# the first EXAMPLE_HOSTS are shown in detail and the rest as a list of names (bounded).
DETAILED_HOSTS = 6
EXAMPLE_HOSTS = 3
MAX_LISTED_HOSTS = 120
MAX_EVIDENCE_PER_HOST = 8
TOP_ISSUES = 5
MAX_ACCEPTED = 200
MAX_LAPSED_NOTES = 6
_URL = re.compile(r"https?://[^\s<>\"']+")


def checks_by_id(findings: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Check metadata keyed by check id."""
    return {str(c.get("id")): c for c in dicts(findings.get("checks"))}


def severity_of(value: object) -> str:
    """A known severity, or "info" for anything else."""
    return value if isinstance(value, str) and value in SEVERITY_ORDER else "info"


def _reference(value: str) -> Reference:
    text = clean_text(value, 300)
    return Reference(text=text, url=text if _URL.fullmatch(text) else "")


def _anchor(check_id: str) -> str:
    return "issue-" + (re.sub(r"[^A-Za-z0-9-]", "", check_id).lower() or "x")


def acceptance(result: dict[str, Any]) -> dict[str, Any] | None:
    """The acceptance attached to a FAIL result (in force or expired), if any."""
    accepted = result.get("accepted")
    if result.get("status") != "FAIL" or not isinstance(accepted, dict):
        return None
    return accepted


def is_accepted(result: dict[str, Any]) -> bool:
    """A failure the client accepted as a risk, still in force: not an open issue."""
    accepted = acceptance(result)
    return accepted is not None and accepted.get("in_force") is True


def is_open_failure(result: dict[str, Any]) -> bool:
    """A FAIL result that counts: not an accepted risk in force."""
    return result.get("status") == "FAIL" and not is_accepted(result)


def _until(value: object) -> str:
    """An acceptance's end date as the report writes dates; the raw text when unreadable."""
    moment = dates.parse(value)
    return dates.long_date(moment) if moment else clean_text(value, 40)


def _is_site_wide(result: dict[str, Any]) -> bool:
    return not (result.get("ip") or result.get("mac") or result.get("host_name"))


def _host(result: dict[str, Any], names: dict[str, str]) -> AffectedHost:
    ip = clean_name(result.get("ip"))
    # The inventory's name first, so a device is called the same everywhere in the report.
    name = names.get(ip) or clean_name(result.get("host_name")) or ip or "(unnamed device)"
    return AffectedHost(
        name=name,
        ip=ip,
        mac=clean_name(result.get("mac")),
        message=clean_text(result.get("message")),
        evidence=clean_list(result.get("evidence"), max_items=MAX_EVIDENCE_PER_HOST),
    )


def _per_device(results: list[dict[str, Any]], names: dict[str, str]) -> list[AffectedHost]:
    """One entry per device: a check that reports each share, module or export of a device
    (``resource``) is read as one device with its list, not as the device named twice."""
    by_device: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for result in results:
        by_device[clean_name(result.get("ip")) or clean_name(result.get("host_name"))
                  or clean_name(result.get("mac"))].append(result)
    hosts = []
    for group in by_device.values():
        host = _host(group[0], names)
        if len(group) > 1:
            resources = [clean_name(r.get("resource")) for r in group if r.get("resource")]
            what = f" ({len(group)}: {', '.join(resources[:12])})" if resources else ""
            host = AffectedHost(
                name=host.name, ip=host.ip, mac=host.mac,
                message=clean_text(" ".join(clean_text(r.get("message")) for r in group))
                if not resources else f"{len(group)} affected on {host.name}{what}.",
                evidence=clean_list([e for r in group for e in r.get("evidence") or []],
                                    max_items=MAX_EVIDENCE_PER_HOST))
        hosts.append(host)
    return sorted(hosts, key=lambda h: ip_sort_key(h.ip))


def _target(result: dict[str, Any], names: dict[str, str]) -> str:
    return "the whole network" if _is_site_wide(result) else _host(result, names).name


def _lapsed_notes(results: list[dict[str, Any]], names: dict[str, str]) -> tuple[str, ...]:
    """One sentence per expired acceptance among ``results`` (grouped by who and until)."""
    lapsed: dict[tuple[str, str], list[str]] = defaultdict(list)
    for result in results:
        accepted = acceptance(result)
        if accepted is None or accepted.get("in_force") is True:
            continue
        who = clean_name(accepted.get("by")) or "the client"
        lapsed[(who, _until(accepted.get("until")))].append(_target(result, names))
    notes = []
    for (who, until), targets in lapsed.items():
        shown = targets[:4]
        where = ", ".join(shown) + (f" and {len(targets) - len(shown)} more"
                                    if len(targets) > len(shown) else "")
        when = f"expired on {until}" if until else "has expired"
        notes.append(f"Acceptance by {who} {when} ({where}).")
    return tuple(notes[:MAX_LAPSED_NOTES])


def _issue(check_id: str, results: list[dict[str, Any]], check: dict[str, Any],
           passed: int, names: dict[str, str],
           accepted: list[dict[str, Any]] | None = None) -> Issue:
    severity = min((severity_of(r.get("severity")) for r in results), key=severity_rank)
    first = results[0]
    area = clean_name(check.get("area") or first.get("area")) or "other"
    risk = clean_text(check.get("risk"), LONG_TEXT_LIMIT)
    device_results = [r for r in results if not _is_site_wide(r)]
    site_results = [r for r in results if _is_site_wide(r)]
    hosts = _per_device(device_results, names)
    return Issue(
        anchor=_anchor(check_id),
        check_id=clean_name(check_id),
        title=clean_name(check.get("title") or first.get("title")) or clean_name(check_id),
        area=area,
        area_name=area_name(area),
        severity=severity,
        severity_label=SEVERITY_LABELS[severity],
        summary=first_sentence(risk, 170) if risk else clean_text(first.get("message"), 170),
        risk=risk,
        remediation=clean_list(check.get("remediation"), LONG_TEXT_LIMIT, max_items=20),
        service=clean_name(check.get("service")),
        references=tuple(_reference(r) for r in check.get("references") or []
                         if isinstance(r, str))[:10],
        site_wide=bool(site_results),
        site_message=" ".join(clean_text(r.get("message")) for r in site_results[:3]).strip(),
        site_evidence=clean_list([e for r in site_results for e in r.get("evidence") or []],
                                 max_items=MAX_EVIDENCE_PER_HOST * 2),
        hosts=tuple(hosts if len(hosts) <= DETAILED_HOSTS else hosts[:EXAMPLE_HOSTS]),
        other_hosts=tuple(
            f"{host.name} ({host.ip})" if host.ip and host.ip != host.name else host.name
            for host in (hosts[EXAMPLE_HOSTS:][:MAX_LISTED_HOSTS]
                         if len(hosts) > DETAILED_HOSTS else ())
        ),
        host_count=len(hosts),
        passed_elsewhere=passed,
        lapsed=_lapsed_notes(results, names),
        accepted_elsewhere=len(accepted or []),
        accepted_targets=tuple(_target(r, names) for r in (accepted or [])[:4]),
    )


def _issue_order(issue: Issue) -> tuple[int, int, int, str]:
    # Within a severity, what affects the whole network comes before what affects devices.
    reach = 1_000_000 if issue.site_wide else issue.host_count
    return (severity_rank(issue.severity), -reach, area_rank(issue.area), issue.check_id)


def build_issues(findings: dict[str, Any], names: dict[str, str]) -> tuple[Issue, ...]:
    """One issue per check with open failures, most severe and widest first."""
    checks = checks_by_id(findings)
    failed: dict[str, list[dict[str, Any]]] = defaultdict(list)
    passed: Counter[str] = Counter()
    accepted: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for result in dicts(findings.get("findings")):
        check_id = str(result.get("check_id", ""))
        if is_accepted(result):
            accepted[check_id].append(result)
        elif result.get("status") == "FAIL":
            failed[check_id].append(result)
        elif result.get("status") == "PASS":
            passed[check_id] += 1
    issues = (
        _issue(check_id, results, checks.get(check_id, {}), passed[check_id], names,
               accepted.get(check_id))
        for check_id, results in failed.items()
    )
    return tuple(sorted(issues, key=_issue_order))


def _accepted_risk(result: dict[str, Any], check: dict[str, Any], names: dict[str, str],
                   anchors: dict[str, str]) -> AcceptedRisk:
    accepted = acceptance(result) or {}
    severity = severity_of(result.get("severity") or check.get("severity"))
    area = clean_name(check.get("area") or result.get("area")) or "other"
    check_id = clean_name(result.get("check_id"))
    return AcceptedRisk(
        check_id=check_id,
        title=clean_name(check.get("title") or result.get("title")) or check_id,
        area_name=area_name(area),
        severity=severity,
        severity_label=SEVERITY_LABELS[severity],
        device="Whole network" if _is_site_wide(result) else _host(result, names).name,
        ip=clean_name(result.get("ip")),
        accepted_by=clean_name(accepted.get("by")) or "Not recorded",
        reason=clean_text(accepted.get("reason")) or "No reason was recorded.",
        until=_until(accepted.get("until")) or "No date recorded",
        in_force=accepted.get("in_force") is True,
        issue_anchor=anchors.get(check_id, ""),
    )


def build_accepted(findings: dict[str, Any], names: dict[str, str],
                   anchors: dict[str, str]) -> tuple[tuple[AcceptedRisk, ...],
                                                     tuple[AcceptedRisk, ...], int]:
    """Accepted risks in force and expired acceptances, most severe first (each bounded),
    and how many accepted risks in force were left out of the first list."""
    checks = checks_by_id(findings)
    ordered = []
    for result in dicts(findings.get("findings")):
        if acceptance(result) is None:
            continue
        check = checks.get(str(result.get("check_id")), {})
        risk = _accepted_risk(result, check, names, anchors)
        area = clean_name(check.get("area") or result.get("area")) or "other"
        ordered.append(((severity_rank(risk.severity), area_rank(area), risk.check_id,
                         ip_sort_key(risk.ip)), risk))
    ordered.sort(key=lambda item: item[0])
    in_force = [risk for _, risk in ordered if risk.in_force]
    lapsed = [risk for _, risk in ordered if not risk.in_force]
    return (tuple(in_force[:MAX_ACCEPTED]), tuple(lapsed[:MAX_ACCEPTED]),
            max(0, len(in_force) - MAX_ACCEPTED))


def device_issues(findings: dict[str, Any]) -> dict[str, tuple[str, int]]:
    """Per device address: its most serious open issue and how many checks failed on it
    (informational results and accepted risks left out)."""
    checks: dict[str, set[str]] = defaultdict(set)
    worst: dict[str, str] = {}
    for result in dicts(findings.get("findings")):
        ip = clean_name(result.get("ip"))
        severity = severity_of(result.get("severity"))
        if not ip or severity == "info" or not is_open_failure(result):
            continue
        checks[ip].add(str(result.get("check_id")))
        if ip not in worst or severity_rank(severity) < severity_rank(worst[ip]):
            worst[ip] = severity
    return {ip: (worst[ip], len(checks[ip])) for ip in worst}


def top_issues(issues: tuple[Issue, ...]) -> tuple[Issue, ...]:
    """The five issues the executive summary leads with (informational ones never count)."""
    return tuple(issue for issue in issues if issue.severity != "info")[:TOP_ISSUES]


def plan_services(issues: tuple[Issue, ...]) -> tuple[PlanService, ...]:
    """The plan services that fix what was found, most urgent first (issues keep their order)."""
    by_service: dict[str, list[Issue]] = defaultdict(list)
    for issue in issues:
        by_service[issue.service or "Consulting (outside the standard plan)"].append(issue)
    return tuple(PlanService(name=name, issues=tuple(items))
                 for name, items in by_service.items())


def severity_counts(issues: tuple[Issue, ...]) -> tuple[SeverityCount, ...]:
    """Issues per severity, every severity listed (zeros included) in order."""
    counts = Counter(issue.severity for issue in issues)
    return tuple(SeverityCount(severity=s, label=SEVERITY_LABELS[s], count=counts[s])
                 for s in SEVERITY_ORDER)


def build_not_assessed(findings: dict[str, Any], names: dict[str, str]) -> tuple[NotAssessed, ...]:
    """UNKNOWN results: checks that could not run, with the reason, by area."""
    checks = checks_by_id(findings)
    rows = []
    for result in dicts(findings.get("findings")):
        if result.get("status") != "UNKNOWN":
            continue
        check = checks.get(str(result.get("check_id")), {})
        area = clean_name(check.get("area") or result.get("area")) or "other"
        target = "Whole network" if _is_site_wide(result) else _host(result, names).name
        reason = clean_text(result.get("reason")) or clean_text(result.get("message"))
        rows.append((area_rank(area), area, result, check, target, reason))
    rows.sort(key=lambda row: (row[0], str(row[2].get("check_id")), ip_sort_key(
        str(row[2].get("ip") or ""))))
    return tuple(_grouped([
        NotAssessed(
            check_id=clean_name(result.get("check_id")),
            title=clean_name(check.get("title") or result.get("title")),
            area_name=area_name(area),
            target=target,
            reason=reason or "No reason was recorded.",
        )
        for _, area, result, check, target, reason in rows
    ]))


def _passed_line(title: str, messages: list[str]) -> str:
    """How a passed check reads: its own PASS message ("No device offers telnet.") when it
    has one, since a check's title names the problem and would read as if it were found."""
    distinct = {message for message in messages if message}
    if len(distinct) == 1:
        return distinct.pop()
    devices = f" (checked on {len(messages)} devices)" if len(messages) > 1 else ""
    return f"Not found: {title}{devices}"


def build_sections(findings: dict[str, Any], issues: tuple[Issue, ...],
                   area_scores: dict[str, Score]) -> tuple[AreaSection, ...]:
    """One section per area that has any result, in the report's area order."""
    checks = checks_by_id(findings)
    statuses: dict[str, Counter[str]] = defaultdict(Counter)
    passed: dict[str, dict[str, tuple[str, list[str]]]] = defaultdict(dict)
    accepted: Counter[str] = Counter()  # accepted risks in force, per check
    accepted_areas: Counter[str] = Counter()
    failed_ids = {issue.check_id for issue in issues}
    for result in dicts(findings.get("findings")):
        check_id = str(result.get("check_id", ""))
        check = checks.get(check_id, {})
        area = clean_name(check.get("area") or result.get("area")) or "other"
        status = str(result.get("status"))
        statuses[area][status] += 1
        if is_accepted(result):
            accepted[check_id] += 1
            accepted_areas[area] += 1
        if status == "PASS" and check_id not in failed_ids:
            title = clean_name(check.get("title") or result.get("title")) or check_id
            entry = passed[area].setdefault(check_id, (title, []))
            entry[1].append(clean_text(result.get("message")))
    areas = sorted((set(statuses) - _unaudited_areas(statuses)) | {issue.area for issue in issues},
                   key=lambda key: (area_rank(key), key))
    return tuple(
        AreaSection(
            key=area,
            name=area_name(area),
            anchor="area-" + re.sub(r"[^a-z0-9-]", "", area.lower()),
            score=area_scores.get(area) or Score(None, "Not assessed", "#9aa3ad", 0, 0),
            issues=tuple(issue for issue in issues if issue.area == area),
            passed_checks=tuple(
                _with_accepted(_passed_line(title, messages), accepted[check_id])
                for check_id, (title, messages) in sorted(passed[area].items())),
            pass_count=statuses[area]["PASS"],
            not_assessed_count=statuses[area]["UNKNOWN"],
            not_applicable_count=statuses[area]["NOT_APPLICABLE"],
            accepted_count=accepted_areas[area],
        )
        for area in areas
    )


# Areas that need an audit of their own (the directory needs a domain account): without one
# every result is UNKNOWN, and the report says so in one not-assessed line, not a section.
OPTIONAL_AUDIT_AREAS = ("directory",)
_GROUPED_MIN = 4  # site-wide rows of one area with one reason collapse from this many on


def _unaudited_areas(statuses: dict[str, Counter[str]]) -> set[str]:
    return {area for area in OPTIONAL_AUDIT_AREAS
            if area in statuses and set(statuses[area]) <= {"UNKNOWN"}}


def _grouped(rows: list[NotAssessed]) -> list[NotAssessed]:
    """Many site-wide rows of one area sharing one reason (no audit ran) as one row."""
    groups: dict[tuple[str, str, str], list[NotAssessed]] = defaultdict(list)
    for row in rows:
        groups[(row.area_name, row.target, row.reason)].append(row)
    out: list[NotAssessed] = []
    for row in rows:
        same = groups[(row.area_name, row.target, row.reason)]
        if len(same) < _GROUPED_MIN or row.target != "Whole network":
            out.append(row)
        elif row is same[0]:
            out.append(NotAssessed(check_id=f"{same[0].check_id} … {same[-1].check_id}",
                                   title=f"{len(same)} {row.area_name} checks",
                                   area_name=row.area_name, target=row.target,
                                   reason=row.reason))
    return out


def _with_accepted(line: str, accepted: int) -> str:
    """A passed line, saying so when the same check found a problem the client accepted."""
    if not accepted:
        return line
    where = "one device" if accepted == 1 else f"{accepted} devices"
    return (f"{line.rstrip('.')}, except on {where}, where it is an accepted risk "
            "(see “Accepted risks”).")
