"""The sweet-spot verdict: is this prospect the client a flat-rate managed plan is built for?

Criteria, each shown with its evidence: big enough (users, default band 10–100), a real server
present (a peer-to-peer office is not yet a fit), a business firewall, backup, power
protection. Size comes from the interview when it was answered, otherwise from the PCs the scan
saw — which undercounts laptops that are away, so a small count alone gives "need more
information" rather than "too small" when the office clearly runs a server.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from checks.model import Finding, Status

LABELS = {
    "sweet_spot": "Sweet spot: a good fit for a flat-rate managed plan",
    "too_small": "Too small for a flat-rate managed plan today",
    "too_large": "Larger than a small-office managed plan",
    "need_more_information": "Need more information before deciding",
}


@dataclass(frozen=True)
class SizeBand:
    """The number of computer users a managed plan is designed for."""

    minimum: int = 10
    maximum: int = 100


def _status(findings: list[Finding], check_id: str) -> Status | None:
    statuses = {f.result.status for f in findings if f.check.id == check_id}
    for status in (Status.FAIL, Status.PASS, Status.UNKNOWN, Status.NOT_APPLICABLE):
        if status in statuses:
            return status
    return None


def _met(status: Status | None) -> bool | None:
    return {Status.PASS: True, Status.FAIL: False}.get(status) if status else None


def decide(findings: list[Finding], interview: dict[str, Any], pcs_seen: int,
           band: SizeBand | None = None) -> dict[str, Any]:
    """The verdict, its reasons, the criteria with evidence, and what would change it."""
    band = band or SizeBand()
    users = interview.get("computer_users", interview.get("employees"))
    size_source = "the interview" if users is not None else "the scan (PCs seen)"
    size = users if users is not None else pcs_seen
    server = _status(findings, "FIT-001")
    criteria = [
        {"name": f"Big enough ({band.minimum}–{band.maximum} computer users)",
         "met": band.minimum <= size <= band.maximum,
         "evidence": f"{size} computer users according to {size_source}"},
        {"name": "A real server (not a peer-to-peer office)", "met": _met(server),
         "evidence": "server found" if server is Status.PASS else "no server found"
         if server is Status.FAIL else "not assessed"},
        {"name": "A business firewall at the gateway", "met": _met(_status(findings, "FW-001")),
         "evidence": "from check FW-001"},
        {"name": "Backup infrastructure in place", "met": _met(_status(findings, "BAK-001")),
         "evidence": "from check BAK-001"},
        {"name": "Power protection in place", "met": _met(_status(findings, "PWR-001")),
         "evidence": "from check PWR-001"},
    ]
    reasons: list[str] = []
    would_change: list[str] = []
    if size > band.maximum:
        verdict = "too_large"
        reasons.append(f"{size} computer users is above the {band.maximum}-user band.")
        would_change.append("A co-managed offer alongside in-house IT.")
    elif server is Status.FAIL:
        verdict = "too_small"
        reasons.append("There is no real server: the office runs peer-to-peer.")
        would_change.append("A move to a server, NAS or Microsoft 365 as the office grows.")
    elif size < band.minimum and users is not None:
        verdict = "too_small"
        reasons.append(f"{size} computer users is below the {band.minimum}-user band.")
        would_change.append(f"Growth to {band.minimum} or more computer users.")
    elif users is None:
        verdict = "need_more_information"
        reasons.append(f"The scan saw {pcs_seen} PCs; laptops that are away are not counted. "
                       "Ask how many staff use a computer.")
        would_change.append("The headcount from the on-site interview.")
    else:
        verdict = "sweet_spot"
        reasons.append(f"{size} computer users and a real server: the size a flat-rate plan "
                       "serves best.")
    gaps = [c["name"] for c in criteria[2:] if c["met"] is False]
    if gaps:
        reasons.append("Gaps a managed plan would close: " + "; ".join(gaps).lower() + ".")
    return {"verdict": verdict, "label": LABELS[verdict], "reasons": reasons,
            "would_change": would_change, "criteria": criteria}
