"""Geometry of the quarterly review's inline SVG charts: the score trend and area sparklines.

Only numbers and validated colours come out of here, so nothing from the network can reach the
SVG markup. Risk runs from 0 (bottom) to 100 (top) on a fixed scale in every chart, so two
charts, or two quarters, are always compared on the same footing.
"""

from __future__ import annotations

from reports.charts import UNSCORED_COLOR, band_color
from reports.quarterly_view import (
    AxisLabel,
    BandStripe,
    ChartPoint,
    Sparkline,
    TrendChart,
)
from reports.view import Band

WIDTH, HEIGHT = 640.0, 230.0
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 34.0, 560.0, 12.0, 190.0
INSET = 22.0  # the first and last quarter sit this far inside the plot, clear of the axis
VALUES_UP_TO = 12  # quarters; with more, scores are not printed beside every point
SPARK_WIDTH, SPARK_HEIGHT = 96.0, 24.0
SPARK_QUARTERS = 8


def quarter_words(label: str) -> str:
    """``"2026-Q3"`` → ``"Q3 2026"``."""
    year, _, quarter = label.partition("-")
    return f"{quarter} {year}" if quarter else label


def _y(score: float, top: float, bottom: float) -> float:
    return round(bottom - (bottom - top) * max(0.0, min(100.0, score)) / 100, 2)


def _path(points: list[tuple[float, float | None]]) -> str:
    """An SVG path through the points, broken where a value is missing."""
    parts, pen_down = [], False
    for x, y in points:
        if y is None:
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'} {x} {y}")
        pen_down = True
    return " ".join(parts)


def _x_labels(quarters: list[str], xs: list[float]) -> tuple[AxisLabel, ...]:
    if len(quarters) <= 10:
        return tuple(AxisLabel(x, q.split("-")[1], q.split("-")[0])
                     for q, x in zip(quarters, xs, strict=True))
    # Many quarters: one label a year, at its first quarter in the history.
    labels, seen = [], set()
    for quarter, x in zip(quarters, xs, strict=True):
        year = quarter.split("-")[0]
        if year not in seen and (quarter.endswith("Q1") or not labels):
            seen.add(year)
            labels.append(AxisLabel(x, year))
    return tuple(labels)


def build_trend_chart(quarters: list[str], scores: list[float | None], bands: tuple[Band, ...],
                      band_labels: list[str]) -> TrendChart:
    """The overall risk score of every quarter, oldest on the left."""
    count = len(quarters)
    left, right = PLOT_LEFT + INSET, PLOT_RIGHT - INSET
    step = (right - left) / max(1, count - 1) if count > 1 else 0.0
    xs = [round(left + step * i, 2) if count > 1 else (left + right) / 2 for i in range(count)]
    ys = [None if s is None else _y(s, PLOT_TOP, PLOT_BOTTOM) for s in scores]
    stripes = []
    for band in bands:
        top, bottom = _y(band.high, PLOT_TOP, PLOT_BOTTOM), _y(band.low, PLOT_TOP, PLOT_BOTTOM)
        stripes.append(BandStripe(y=top, height=round(bottom - top, 2), color=band.color,
                                  label=band.label, label_y=round((top + bottom) / 2 + 3, 2)))
    points = tuple(
        ChartPoint(x=x, y=y, label=quarter_words(q),
                   value_text="–" if s is None else str(int(s + 0.5)),
                   color=UNSCORED_COLOR if s is None else band_color(bands, label, s),
                   current=i == count - 1)
        for i, (q, x, y, s, label) in enumerate(zip(quarters, xs, ys, scores, band_labels,
                                                     strict=True)))
    described = "; ".join(f"{p.label}: {p.value_text}" for p in points)
    return TrendChart(
        width=WIDTH, height=HEIGHT, plot_left=PLOT_LEFT, plot_right=PLOT_RIGHT,
        plot_top=PLOT_TOP, plot_bottom=PLOT_BOTTOM, stripes=tuple(stripes),
        gridlines=tuple(AxisLabel(_y(v, PLOT_TOP, PLOT_BOTTOM), str(v))
                        for v in (0, 25, 50, 75, 100)),
        x_labels=_x_labels(quarters, xs), path=_path(list(zip(xs, ys, strict=True))),
        points=points, show_values=count <= VALUES_UP_TO,
        description=f"Overall risk score by quarter (0 best, 100 worst): {described}")


def build_sparkline(scores: list[float | None], color: str) -> Sparkline:
    """The last :data:`SPARK_QUARTERS` scores of an area as a small line."""
    recent = scores[-SPARK_QUARTERS:]
    count = len(recent)
    step = (SPARK_WIDTH - 6) / max(1, count - 1)
    points = [(round(3 + step * i, 2) if count > 1 else SPARK_WIDTH / 2,
               None if s is None else _y(s, 2, SPARK_HEIGHT - 2)) for i, s in enumerate(recent)]
    last_x, last_y = points[-1] if points else (0.0, None)
    return Sparkline(width=SPARK_WIDTH, height=SPARK_HEIGHT, path=_path(points),
                     last=None if last_y is None else (last_x, last_y), color=color)
