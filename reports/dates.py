"""Dates and times as a client reads them: "March 14, 2025", "09:12", "35 minutes".

Timestamps in the JSON formats are ISO 8601. They are shown in the offset they were recorded
in (the scanner's local time), because that is the time the consultant was on site.
"""

from __future__ import annotations

from datetime import date, datetime

from reports.text import clean_text


def parse(value: object) -> datetime | None:
    """An ISO 8601 timestamp, or None when missing or unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def long_date(moment: date | datetime | None) -> str:
    """``"March 14, 2025"``; empty when unknown."""
    if moment is None:
        return ""
    return f"{moment:%B} {moment.day}, {moment.year}"


def clock(moment: datetime | None) -> str:
    """``"09:12"``, with the UTC offset when the timestamp has one."""
    if moment is None:
        return ""
    text = f"{moment:%H:%M}"
    offset = moment.utcoffset()
    if offset is None:
        return text
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return text + " UTC"
    sign = "+" if minutes > 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return text + f" (UTC{sign}{hours:02d}:{rest:02d})"


def timestamp(value: object) -> str:
    """``"March 14, 2025 09:12 (UTC−05:00)"``; the raw text, bounded, when unparseable."""
    moment = parse(value)
    if moment is None:
        return clean_text(value, 40)
    return f"{long_date(moment)} {clock(moment)}"


def duration(start: object, end: object) -> str:
    """``"35 minutes"``, ``"1 h 05 min"``; empty when either end is unknown."""
    started, finished = parse(start), parse(end)
    if started is None or finished is None:
        return ""
    try:
        seconds = int((finished - started).total_seconds())
    except TypeError:  # one timestamp has an offset, the other has not
        return ""
    if seconds < 0:
        return ""
    if seconds < 60:
        return f"{seconds} seconds"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} minute" + ("" if minutes == 1 else "s")
    return f"{minutes // 60} h {minutes % 60:02d} min"
