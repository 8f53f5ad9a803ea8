"""Geometry for the report's inline SVG charts, computed in Python so templates stay simple.

The charts carry only numbers and validated colours, so the SVG the templates write cannot be
influenced by anything that came from the network.
"""

from __future__ import annotations

import math
from typing import Any

from reports.text import clean_name
from reports.view import Band, Gauge, GaugeSegment, Score

# Band colours from "fine" to "act now"; bands pick from this ramp by position.
BAND_RAMP = ("#3a8d5c", "#c9a227", "#e58a2e", "#d4582a", "#b8322a")
UNSCORED_COLOR = "#9aa3ad"

GAUGE_CENTER = (100.0, 100.0)
GAUGE_RADIUS = 80.0
_SEGMENT_GAP = 0.8  # score points left blank between two bands


def build_bands(raw: object) -> tuple[Band, ...]:
    """Bands from ``scores.bands`` ([{min, label}]), sorted, with their colours and ranges."""
    items = [b for b in raw if isinstance(b, dict)] if isinstance(raw, list) else []
    rows = sorted(
        ((float(b.get("min", 0) or 0), clean_name(b.get("label"))) for b in items
         if isinstance(b.get("min", 0), (int, float))),
        key=lambda row: row[0],
    )
    bands = []
    for index, (low, label) in enumerate(rows):
        high = rows[index + 1][0] if index + 1 < len(rows) else 100.0
        step = index * (len(BAND_RAMP) - 1) / max(1, len(rows) - 1)
        bands.append(Band(label=label, low=low, high=high, color=BAND_RAMP[round(step)]))
    return tuple(bands)


def band_color(bands: tuple[Band, ...], label: str, value: float | None) -> str:
    """The colour of a score: by its band label, else by where its value falls."""
    if value is None:
        return UNSCORED_COLOR
    for band in bands:
        if band.label and band.label.casefold() == label.casefold():
            return band.color
    for band in reversed(bands):
        if value >= band.low:
            return band.color
    return BAND_RAMP[0]


def build_score(raw: object, bands: tuple[Band, ...]) -> Score:
    """A :class:`Score` from one score object of ``findings.json`` (tolerating gaps)."""
    data: dict[str, Any] = raw if isinstance(raw, dict) else {}
    raw_value = data.get("score")
    value = None
    if isinstance(raw_value, (int, float)) and not isinstance(raw_value, bool):
        value = max(0.0, min(100.0, float(raw_value)))
    band = clean_name(data.get("band")) if value is not None else "Not assessed"
    return Score(
        value=value,
        band=band,
        color=band_color(bands, band, value),
        assessed=_count(data.get("assessed")),
        failed=_count(data.get("failed")),
    )


def _count(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _point(value: float) -> tuple[float, float]:
    angle = math.pi * (1 - value / 100)
    x = GAUGE_CENTER[0] + GAUGE_RADIUS * math.cos(angle)
    y = GAUGE_CENTER[1] - GAUGE_RADIUS * math.sin(angle)
    return round(x, 2), round(y, 2)


def _arc(low: float, high: float) -> str:
    (x1, y1), (x2, y2) = _point(low), _point(high)
    return f"M {x1} {y1} A {GAUGE_RADIUS} {GAUGE_RADIUS} 0 0 1 {x2} {y2}"


def build_gauge(score: Score, bands: tuple[Band, ...]) -> Gauge:
    """A half-circle gauge: one arc per band, a marker at the score."""
    ranges = [(band.low, band.high, band.color) for band in bands] or [(0.0, 100.0, BAND_RAMP[0])]
    segments = []
    for index, (low, high, color) in enumerate(ranges):
        start = low + (_SEGMENT_GAP if index else 0)
        end = high - (_SEGMENT_GAP if index + 1 < len(ranges) else 0)
        if end > start:
            segments.append(GaugeSegment(path=_arc(start, end), color=color))
    marker = None if score.value is None else _point(score.value)
    return Gauge(segments=tuple(segments), marker=marker, value_text=score.display,
                 color=score.color)
