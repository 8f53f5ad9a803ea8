"""Geometry for the report's inline SVG charts, computed in Python so templates stay simple.

The charts carry only numbers and validated colours, so the SVG the templates write cannot be
influenced by anything that came from the network.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from reports.plan_types import ChartBar, ChartSegment, ChartTick, LegendItem, YearChart
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


# ---------- the year of break/fix against the year of flat rate ----------

CHART_WIDTH = 640.0
PLOT_LEFT = 150.0
PLOT_RIGHT = 560.0  # room after the longest bar for its total
BAR_HEIGHT = 26.0
BAR_GAP = 14.0
PLOT_TOP = 6.0
_CHAR_WIDTH = 5.6  # average advance of the 10-unit chart font, for fitting labels


def _nice_step(top: float) -> float:
    raw = top / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)


def compact_money(value: float, currency: str) -> str:
    """``$10k``, ``$7.5k``, ``$900``: tick labels."""
    text = f"{value / 1000:g}k" if value >= 1000 else f"{value:g}"
    return f"${text}" if currency == "USD" else f"{text} {currency}"


def build_year_chart(bars: list[tuple[str, str, bool, list[tuple[str, float | None]]]],
                     colors: dict[str, str], names: dict[str, str],
                     amount: Callable[[float], str], currency: str) -> YearChart | None:
    """Horizontal stacked bars, one per year (label, sublabel, emphasis, [(part, value)]).

    Unknown (None) and negative parts are left out. None when there is nothing to draw.
    """
    rows = [(label, sub, emphasis, [(key, max(0.0, value)) for key, value in parts
                                    if value is not None and value > 0])
            for label, sub, emphasis, parts in bars]
    largest = max((sum(v for _, v in parts) for *_, parts in rows), default=0.0)
    if largest <= 0:
        return None
    step = _nice_step(largest)
    top = step * math.ceil(largest / step - 1e-9)
    scale = (PLOT_RIGHT - PLOT_LEFT) / top
    chart_bars = []
    y = PLOT_TOP
    for label, sub, emphasis, parts in rows:
        x = PLOT_LEFT
        segments = []
        for key, value in parts:
            width = round(value * scale, 2)
            text = amount(value)
            fits = width >= len(text) * _CHAR_WIDTH + 8
            segments.append(ChartSegment(x=round(x, 2), width=width, color=colors[key],
                                         text=text if fits else "",
                                         text_x=round(x + width / 2, 2)))
            x += width
        total = sum(v for _, v in parts)
        chart_bars.append(ChartBar(label=label, sublabel=sub, y=y, height=BAR_HEIGHT,
                                   segments=tuple(segments), total=amount(total),
                                   total_x=round(x + 6, 2), emphasis=emphasis))
        y += BAR_HEIGHT + BAR_GAP
    plot_bottom = y - BAR_GAP + 6
    ticks = tuple(ChartTick(x=round(PLOT_LEFT + i * step * scale, 2),
                            label=compact_money(i * step, currency))
                  for i in range(int(round(top / step)) + 1))
    used = list(dict.fromkeys(key for *_, parts in rows for key, _ in parts))
    legend, legend_x, legend_y = [], PLOT_LEFT, plot_bottom + 34
    for key in used:
        width = 16 + len(names[key]) * _CHAR_WIDTH + 14
        if legend_x + width > CHART_WIDTH and legend_x > PLOT_LEFT:
            legend_x, legend_y = PLOT_LEFT, legend_y + 16
        legend.append(LegendItem(color=colors[key], label=names[key], x=round(legend_x, 2),
                                 y=legend_y))
        legend_x += width
    description = "; ".join(f"{bar.label}: {bar.total}" for bar in chart_bars)
    return YearChart(width=CHART_WIDTH, height=legend_y + 10, plot_left=PLOT_LEFT,
                     plot_right=PLOT_RIGHT, plot_top=PLOT_TOP, plot_bottom=plot_bottom,
                     bars=tuple(chart_bars), ticks=ticks, legend=tuple(legend),
                     description=description)
