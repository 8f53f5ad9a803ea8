"""The answer of a lifecycle lookup: one product's release cycle and its support status."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

SUPPORTED = "supported"
ENDING_SOON = "ending_soon"
ENDED = "ended"
UNKNOWN = "unknown"
STATUSES = (SUPPORTED, ENDING_SOON, ENDED, UNKNOWN)

# "Ending soon" means the end of support falls within this many months of the day judged.
ENDING_SOON_MONTHS = 6


@dataclass(frozen=True)
class SupportVerdict:
    """Whether ``product`` in release cycle ``cycle`` is still supported on the day judged.

    ``status`` is one of :data:`STATUSES`. ``eol`` is the end of security support when the
    data gives a date (None when it does not, or when the status is unknown). ``reason`` says
    in plain words how the verdict was reached (or why it could not be); ``source`` names the
    data, e.g. ``"endoflife.date snapshot 2026-08-22"``. ``cycle`` is the upstream cycle id
    (``"11-24h2-w"``, ``"2012-r2"``, ``"12"``), empty when no cycle could be placed.
    """

    product: str
    cycle: str
    status: str  # "supported" | "ending_soon" | "ended" | "unknown"
    eol: datetime.date | None
    reason: str
    source: str


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved ``months`` calendar months later, clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(f"cannot move {day} by {months} months")  # unreachable


def status_for(eol: datetime.date | bool, today: datetime.date) -> str:
    """The status for an end-of-life value: a date, or upstream's boolean (True = ended).

    Support counts as ended on the end-of-life day itself, as endoflife.date counts it
    (``isEol`` is true from ``eolFrom`` on).
    """
    if isinstance(eol, bool):
        return ENDED if eol else SUPPORTED
    if eol <= today:
        return ENDED
    if eol <= add_months(today, ENDING_SOON_MONTHS):
        return ENDING_SOON
    return SUPPORTED
