"""The history in words, for the terminal and for ``--json``.

:func:`diff_lines` and :func:`diff_json` say the same thing about a :class:`history.diff.Diff`:
one for a person, one for a program. Names and messages come from the network, so the lines
are bounded and free of control characters before they reach a terminal.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from history.diff import Diff, FindingChange, HostChange
from history.facts import HostFacts, Snapshot
from history.records import to_json_data

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def safe(text: object, limit: int = 120) -> str:
    """One line of at most ``limit`` characters, without control characters."""
    value = _CONTROL.sub("", str(text if text is not None else ""))
    return value if len(value) <= limit else value[: limit - 1] + "…"


def score_text(score: float | None) -> str:
    """``"47"``, or ``"–"`` when not assessed."""
    return "–" if score is None else f"{score:g}"


def day(moment: datetime | None) -> str:
    """``"2026-03-14"``."""
    return moment.date().isoformat() if moment else ""


def _head(snapshot: Snapshot) -> str:
    band = f" ({snapshot.overall_band})" if snapshot.overall_band else ""
    return (f"{safe(snapshot.label)}: {safe(snapshot.client)}, {snapshot.quarter} "
            f"({day(snapshot.taken_at)}), risk {score_text(snapshot.overall_score)}{band}")


def _finding_line(change: FindingChange, age: bool = False) -> str:
    facts = change.finding
    line = f"  {facts.severity:8} {safe(facts.check_id, 12):8} {safe(facts.title, 70)} — " \
           f"{safe(facts.asset, 60)}"
    if change.note:
        line += f" ({change.note})"
    if age and change.first_quarter:
        line += f" [open {change.quarters_open} quarter{'s' if change.quarters_open != 1 else ''}" \
                f", since {change.first_quarter}]"
    if facts.accepted:
        line += " [accepted risk]"
    return line


def _host_line(host: HostFacts) -> str:
    what = " ".join(part for part in (host.manufacturer, host.model) if part) or \
        host.device_class
    return f"  {safe(host.label, 60)} {safe(host.mac or '', 17)} {safe(what, 50)}"


def _change_line(change: HostChange) -> str:
    return f"  {safe(change.after.label, 60)}: {safe('; '.join(change.changes), 200)}"


def diff_lines(diff: Diff) -> list[str]:
    """The diff as lines for a person."""
    lines = [f"old  {_head(diff.old)}", f"new  {_head(diff.new)}"]
    change = diff.score_change
    if change is not None:
        trend = "less risk" if change < 0 else ("more risk" if change > 0 else "no change")
        lines.append(f"risk score: {score_text(diff.old.overall_score)} → "
                     f"{score_text(diff.new.overall_score)} ({change:+g}, {trend})")
    if diff.verdict_changed:
        lines.append(f"verdict: {safe(diff.old.verdict_label or diff.old.verdict)} → "
                     f"{safe(diff.new.verdict_label or diff.new.verdict)}")
    sections: list[tuple[str, list[str]]] = [
        ("devices added", [_host_line(h) for h in diff.devices_added]),
        ("devices removed", [_host_line(h) for h in diff.devices_removed]),
        ("devices changed", [_change_line(c) for c in diff.devices_changed]),
        ("new findings", [_finding_line(c, age=True) for c in diff.new_findings]),
        ("resolved findings", [_finding_line(c) for c in diff.resolved]),
        ("persisting findings", [_finding_line(c, age=True) for c in diff.persisting]),
        ("no longer assessed (not counted as fixed)",
         [_finding_line(c) for c in diff.no_longer_assessed]),
    ]
    for title, body in sections:
        lines.append(f"{title}: {len(body)}")
        lines.extend(body)
    return lines


def _snapshot_json(snapshot: Snapshot) -> dict[str, Any]:
    return {"label": snapshot.label, "assessment_id": snapshot.assessment_id,
            "client": snapshot.client, "site": snapshot.site,
            "taken_at": snapshot.taken_at.isoformat(), "quarter": snapshot.quarter,
            "overall_score": snapshot.overall_score, "overall_band": snapshot.overall_band,
            "verdict": snapshot.verdict, "verdict_label": snapshot.verdict_label,
            "host_count": len(snapshot.hosts)}


def _finding_json(change: FindingChange) -> dict[str, Any]:
    data = to_json_data(change.finding)
    data.update(asset=change.finding.asset, before=change.before or None,
                after=change.after or None)
    if change.note:
        data["note"] = change.note
    if change.first_quarter:
        data.update(first_seen=change.first_seen.isoformat() if change.first_seen else None,
                    first_quarter=change.first_quarter, quarters_open=change.quarters_open)
    return data


def _host_change_json(change: HostChange) -> dict[str, Any]:
    return {"asset_key": change.after.asset_key, "name": change.after.display_name,
            "matched_by": change.matched_by, "ip_before": change.before.ip,
            "ip_after": change.after.ip, "firmware_before": change.before.firmware,
            "firmware_after": change.after.firmware,
            "ports_opened": [p.label for p in change.ports_opened],
            "ports_closed": [p.label for p in change.ports_closed],
            "changes": list(change.changes)}


def diff_json(diff: Diff) -> dict[str, Any]:
    """The diff as JSON-ready data."""
    return {
        "old": _snapshot_json(diff.old), "new": _snapshot_json(diff.new),
        "score_change": diff.score_change,
        "verdict": {"before": diff.old.verdict, "after": diff.new.verdict,
                    "changed": diff.verdict_changed},
        "devices": {"added": [to_json_data(h) for h in diff.devices_added],
                    "removed": [to_json_data(h) for h in diff.devices_removed],
                    "changed": [_host_change_json(c) for c in diff.devices_changed]},
        "findings": {"new": [_finding_json(c) for c in diff.new_findings],
                     "resolved": [_finding_json(c) for c in diff.resolved],
                     "persisting": [_finding_json(c) for c in diff.persisting],
                     "no_longer_assessed": [_finding_json(c) for c in diff.no_longer_assessed]},
    }
