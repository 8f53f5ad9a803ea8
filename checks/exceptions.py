"""Accepted risks: findings the client knowingly accepts, kept and flagged, out of the score.

An exceptions file (TOML) lists each acceptance::

    [[exception]]
    check = "SEC-004"                 # the check ID
    asset = "192.168.77.103"          # IP, MAC, host name, or "site" for a site-wide finding
    reason = "Practice software vendor connects over RDP"
    accepted_by = "Dr. Ana Harbor, owner"
    until = 2027-03-31                # after this date the finding counts again

A matching FAIL is *muted*: it stays in findings.json and the report (in an appendix) with who
accepted it, why and until when, and leaves the score and the plan. An expired acceptance
does not mute; the finding says the acceptance lapsed.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from checks.model import Finding, Status

FIELDS = ("check", "asset", "reason", "accepted_by", "until")
CHECK_ID = re.compile(r"^(FW|BAK|AV|PWR|SRV|NET|SEC|FIT|AD)-\d{3}$")


class ExceptionsError(ValueError):
    """An exceptions file that cannot be used; one line naming file, entry and field."""


@dataclass(frozen=True)
class Acceptance:
    """One accepted risk."""

    check: str
    asset: str
    reason: str
    accepted_by: str
    until: date

    def matches(self, finding: Finding) -> bool:
        """True when this acceptance is about ``finding``'s check and asset."""
        if finding.check.id != self.check:
            return False
        names = {n.lower() for n in (finding.asset_key, finding.result.ip or "site",
                                     finding.host_name, finding.mac) if n}
        asset = self.asset.lower()
        # a host name may be written in full (pc50.office.lan) or short (pc50)
        short = asset.split(".")[0] if not asset.replace(".", "").isdigit() else asset
        return asset in names or short in names


def _entry(raw: Any, number: int, path: Path, known: set[str]) -> Acceptance:
    where = f"{path}: exception {number}"
    if not isinstance(raw, dict):
        raise ExceptionsError(f"{where}: expected a table ([[exception]])")
    unknown = set(raw) - set(FIELDS)
    if unknown:
        raise ExceptionsError(f"{where}: unknown field {sorted(unknown)[0]!r}")
    for field in FIELDS:
        if field not in raw:
            raise ExceptionsError(f"{where}: field {field!r} is missing")
    for field in ("check", "asset", "reason", "accepted_by"):
        if not isinstance(raw[field], str) or not raw[field].strip():
            raise ExceptionsError(f"{where}: field {field!r} must be non-empty text")
    if not CHECK_ID.match(raw["check"]) or raw["check"] not in known:
        raise ExceptionsError(f"{where}: field 'check': {raw['check']!r} is not a known check")
    until = raw["until"]
    if isinstance(until, str):
        try:
            until = date.fromisoformat(until)
        except ValueError:
            raise ExceptionsError(f"{where}: field 'until' must be a date (YYYY-MM-DD)") from None
    if not isinstance(until, date):
        raise ExceptionsError(f"{where}: field 'until' must be a date (YYYY-MM-DD)")
    return Acceptance(raw["check"], raw["asset"].strip(), raw["reason"].strip(),
                      raw["accepted_by"].strip(), until)


def load_exceptions(path: Path, known_checks: set[str]) -> list[Acceptance]:
    """The accepted risks in ``path``, validated against the known check IDs."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExceptionsError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ExceptionsError(f"{path}: cannot read ({exc.__class__.__name__})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ExceptionsError(f"{path}: not valid TOML ({exc})") from None
    unknown = set(data) - {"exception"}
    if unknown:
        raise ExceptionsError(f"{path}: unknown key {sorted(unknown)[0]!r} "
                              "(entries go in [[exception]] tables)")
    entries = data.get("exception", [])
    if not isinstance(entries, list):
        raise ExceptionsError(f"{path}: 'exception' must be a list of [[exception]] tables")
    return [_entry(raw, number, path, known_checks)
            for number, raw in enumerate(entries, start=1)]


def apply_exceptions(findings: list[Finding], acceptances: list[Acceptance],
                     today: date) -> list[Finding]:
    """``findings`` with accepted FAILs muted; expired acceptances are attached, not muting."""
    result = []
    for finding in findings:
        match = next((a for a in acceptances if a.matches(finding)), None)
        if match is not None and finding.result.status is Status.FAIL:
            finding = replace(finding, muted=match.until >= today, acceptance=match)
        result.append(finding)
    return result
