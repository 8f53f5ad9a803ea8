"""The risk score model, table-driven (the verdict's tests are in test_verdict.py)."""

from __future__ import annotations

import pytest

from checks.model import CheckMeta, Finding, Result, Severity, Status
from checks.scoring import band, score


def _finding(check_id: str, severity: Severity, status: Status, muted: bool = False) -> Finding:
    meta = CheckMeta(id=check_id, title="t", severity=severity, risk="r", remediation=("x",),
                     service="s")
    return Finding(check=meta, result=Result(status, "m"), muted=muted)


def test_score_counts_only_checks_that_ran() -> None:
    findings = [
        _finding("SEC-002", Severity.HIGH, Status.FAIL),      # 5 failed
        _finding("SEC-002", Severity.HIGH, Status.FAIL),      # same check, counted once
        _finding("SEC-001", Severity.MEDIUM, Status.PASS),    # 3 assessed
        _finding("BAK-001", Severity.CRITICAL, Status.UNKNOWN),  # left out
        _finding("PWR-001", Severity.MEDIUM, Status.FAIL, muted=True),  # accepted: left out
    ]
    result = score(findings)
    assert result["overall"] == {"score": 62, "band": "High", "assessed": 2, "failed": 1}
    assert result["areas"]["exposure"]["score"] == 62
    assert result["areas"]["backup"] == {"score": None, "band": "Not assessed", "assessed": 0,
                                         "failed": 0}
    assert "round(100 × failed weight ÷ assessed weight)" in result["formula"]


@pytest.mark.parametrize(("value", "label"), [(0, "Low"), (19, "Low"), (20, "Moderate"),
                                              (59, "Elevated"), (60, "High"), (100, "Severe"),
                                              (None, "Not assessed")])
def test_bands(value: int | None, label: str) -> None:
    assert band(value) == label
