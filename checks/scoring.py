"""The risk score: one documented model, printed in every report so a client can recompute it.

For every check that actually ran (at least one PASS or FAIL result that is not an accepted
risk), the check's severity weight counts as *assessed*; if any of its results is a FAIL, the
weight also counts as *failed*. A check that could not run (UNKNOWN) or does not apply
(NOT_APPLICABLE) counts for nothing — never as a pass.

    area score    = round(100 × failed weight ÷ assessed weight), over the area's checks
    overall score = round(100 × failed weight ÷ assessed weight), over all checks

Informational checks (the FIT family: facts about the business such as regulated data) are
not risks and are left out of the score and its counts; the verdict reads them.

0 means nothing assessed was found wrong, 100 means every assessed check failed. With nothing
assessed the score is "not assessed" (null), never 0. A scan that saw too little to conclude
from (:func:`checks.context.evidence_gap`: no service on any device, or the port sweep lost for
half of them) gets no score either: "Not enough evidence: rescan", with the missing part named.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from checks.context import evidence_gap
from checks.model import AREAS, Finding, Severity, Status
from scanner.model import Inventory

WEIGHTS = {Severity.CRITICAL: 10, Severity.HIGH: 5, Severity.MEDIUM: 3, Severity.LOW: 1,
           Severity.INFO: 0}
BANDS = ((80, "Severe"), (60, "High"), (40, "Elevated"), (20, "Moderate"), (0, "Low"))
FORMULA = ("For each check that ran, its severity weight (critical 10, high 5, medium 3, low 1, "
           "informational 0) counts as assessed, and as failed if it found a problem on any "
           "device. Score = round(100 × failed weight ÷ assessed weight), per area and overall. "
           "Checks that could not run or do not apply, informational checks and accepted risks are "
           "left out. "
           "Bands: 0–19 Low, 20–39 Moderate, 40–59 Elevated, 60–79 High, 80–100 Severe.")


def band(score: int | None) -> str:
    """The plain-language band of a score."""
    if score is None:
        return "Not assessed"
    return next(label for floor, label in BANDS if score >= floor)


def _score(entries: dict[str, tuple[Severity, bool]]) -> dict[str, Any]:
    assessed = sum(WEIGHTS[severity] for severity, _failed in entries.values())
    failed = sum(WEIGHTS[severity] for severity, is_failed in entries.values() if is_failed)
    value = round(100 * failed / assessed) if assessed else None
    return {"score": value, "band": band(value), "assessed": len(entries),
            "failed": sum(1 for _s, is_failed in entries.values() if is_failed)}


NOT_ENOUGH = "Not enough evidence: rescan"


def score(findings: Iterable[Finding], inventory: Inventory | None = None) -> dict[str, Any]:
    """Scores per area and overall, with the weights, bands and formula used.

    With an ``inventory`` that saw too little (:func:`checks.context.evidence_gap`), every
    score is null, the band says "Not enough evidence: rescan" and ``missing`` says why.
    """
    ran: dict[str, dict[str, tuple[Severity, bool]]] = {area: {} for area in AREAS}
    for finding in findings:
        if finding.muted or finding.result.status not in (Status.PASS, Status.FAIL):
            continue
        if finding.check.severity is Severity.INFO:
            continue  # facts about the business (FIT), not risks: they feed the verdict
        meta = finding.check
        _severity, failed_before = ran[meta.area].get(meta.id, (meta.severity, False))
        ran[meta.area][meta.id] = (meta.severity,
                                   failed_before or finding.result.status is Status.FAIL)
    every = {check_id: entry for area in ran.values() for check_id, entry in area.items()}
    missing = evidence_gap(inventory) if inventory is not None else ""
    if missing:
        refused = {"score": None, "band": NOT_ENOUGH, "assessed": 0, "failed": 0,
                   "missing": missing}
        return {"overall": refused, "areas": {area: dict(refused) for area in ran},
                "weights": {severity.value: weight for severity, weight in WEIGHTS.items()},
                "bands": [{"min": floor, "label": label} for floor, label in BANDS],
                "formula": FORMULA, "missing": missing}
    return {
        "overall": _score(every),
        "areas": {area: _score(entries) for area, entries in ran.items()},
        "weights": {severity.value: weight for severity, weight in WEIGHTS.items()},
        "bands": [{"min": floor, "label": label} for floor, label in BANDS],
        "formula": FORMULA,
    }
