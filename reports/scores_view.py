"""The numbers behind the scores, for the methodology appendix: counts a client can recompute.

``findings.json`` publishes each score with its weights, bands and formula; these helpers
count, per area and severity, the checks that ran and the ones that failed, so the appendix can
show the arithmetic (and prints it only when it reproduces the published score).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from reports.findings_view import checks_by_id, is_accepted, severity_of
from reports.inventory_view import dicts
from reports.labels import SEVERITY_ORDER, area_name, area_rank
from reports.text import clean_name
from reports.view import ResultCounts, Score

Tally = dict[str, tuple[int, int]]  # severity -> (failed checks, checks that ran)


def check_tallies(findings: dict[str, Any], area_keys: set[str]) -> dict[str, Tally]:
    """Per area (and ``""`` for all areas): failed / ran checks per severity.

    A check counts once per area however many devices it looked at, and as failed when it
    found a problem on any of them, which is how ``assessed`` and ``failed`` are defined in
    ``findings.json``. Accepted risks in force are left out, as the score leaves them out.
    Only areas in ``area_keys`` (the scored ones) are counted.
    """
    checks = checks_by_id(findings)
    ran: dict[str, dict[str, tuple[str, bool]]] = defaultdict(dict)
    for result in dicts(findings.get("findings")):
        status = result.get("status")
        if status not in ("PASS", "FAIL") or is_accepted(result):
            continue  # as in the score: accepted risks are left out
        check_id = str(result.get("check_id"))
        check = checks.get(check_id, {})
        area = clean_name(check.get("area") or result.get("area")) or "other"
        if area not in area_keys:
            continue
        severity = severity_of(check.get("severity") or result.get("severity"))
        for key in (area, ""):
            _, failed_before = ran[key].get(check_id, (severity, False))
            ran[key][check_id] = (severity, failed_before or status == "FAIL")
    tallies: dict[str, Tally] = {}
    for key, entries in ran.items():
        tallies[key] = {
            severity: (sum(1 for s, failed in entries.values() if s == severity and failed),
                       sum(1 for s, _ in entries.values() if s == severity))
            for severity in SEVERITY_ORDER
        }
    return tallies


def result_counts(tallies: dict[str, Tally], area_scores: dict[str, Score],
                  overall: Score) -> tuple[ResultCounts, ...]:
    """Rows of the "numbers behind the scores" table: one per scored area, then overall."""

    def cells(key: str) -> tuple[str, ...]:
        tally = tallies.get(key, {})
        return tuple(f"{tally[s][0]} / {tally[s][1]}" if tally.get(s, (0, 0))[1] else "–"
                     for s in SEVERITY_ORDER)

    areas = sorted(area_scores, key=lambda key: (area_rank(key), key))
    rows = [ResultCounts(name=area_name(key), cells=cells(key), score=area_scores[key])
            for key in areas]
    rows.append(ResultCounts(name="All areas (overall)", cells=cells(""), score=overall))
    return tuple(rows)


def worked_example(tally: Tally | None, weights: dict[str, Any], overall: Score) -> str:
    """The overall score recomputed in words, or "" when the numbers do not reproduce it.

    Shown only when weights are per severity and the recomputation gives the published
    score, so the report never prints arithmetic that disagrees with its own result.
    """
    if not tally or overall.value is None:
        return ""
    weight = {s: weights.get(s) for s in SEVERITY_ORDER}
    if not all(isinstance(w, (int, float)) and not isinstance(w, bool) for w in weight.values()):
        return ""
    used = [s for s in SEVERITY_ORDER if tally[s][1] and weight[s]]
    failed = sum(weight[s] * tally[s][0] for s in used)
    assessed = sum(weight[s] * tally[s][1] for s in used)
    if not assessed or round(100 * failed / assessed) != round(overall.value):
        return ""
    top = " + ".join(f"{weight[s]:g}×{tally[s][0]}" for s in used)
    bottom = " + ".join(f"{weight[s]:g}×{tally[s][1]}" for s in used)
    return (f"100 × ({top}) ÷ ({bottom}) = 100 × {failed:g} ÷ {assessed:g} "
            f"= {100 * failed / assessed:.1f}, rounded to {overall.display}")
