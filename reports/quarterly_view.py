"""The quarterly business review's view-model: plain frozen dataclasses, ready to lay out.

Built by :func:`reports.quarterly_viewmodel.build_quarterly_view` from the history's
:class:`history.quarterly.QuarterlyData`. Every string is already cleaned and bounded
(:mod:`reports.text`); the templates only lay out and escape. Scores, bands and branding are
the one-off review's own types (:mod:`reports.view`), so both documents look alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.view import Band, Branding, Score


@dataclass(frozen=True)
class ChartPoint:
    """One quarter on the trend chart."""

    x: float
    y: float | None  # None: nothing was assessed that quarter
    label: str  # "Q3 2026"
    value_text: str
    color: str
    current: bool


@dataclass(frozen=True)
class AxisLabel:
    """A label on an axis, with where it goes."""

    position: float
    text: str
    sub: str = ""  # a second line (the year under "Q1")


@dataclass(frozen=True)
class BandStripe:
    """A score band as a pale stripe behind the trend line."""

    y: float
    height: float
    color: str
    label: str
    label_y: float


@dataclass(frozen=True)
class TrendChart:
    """The overall risk score across all quarters, as numbers for an inline SVG."""

    width: float
    height: float
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    stripes: tuple[BandStripe, ...]
    gridlines: tuple[AxisLabel, ...]  # y positions with their score
    x_labels: tuple[AxisLabel, ...]
    path: str  # SVG path data, numbers only; the line breaks where a quarter has no score
    points: tuple[ChartPoint, ...]
    show_values: bool  # few enough quarters to print each score beside its point
    description: str  # the chart in words, for screen readers and pdftotext


@dataclass(frozen=True)
class Sparkline:
    """A small line of one area's score over the recent quarters."""

    width: float
    height: float
    path: str
    last: tuple[float, float] | None
    color: str


@dataclass(frozen=True)
class Delta:
    """A change of score between two quarters, in words and as a tone."""

    text: str  # "−20", "+5", "no change", "new"
    tone: str  # "better", "worse", "same", "none"


@dataclass(frozen=True)
class AreaTrendRow:
    """One area: its score now, the change since last quarter, and its recent line."""

    name: str
    score: Score
    delta: Delta
    spark: Sparkline


@dataclass(frozen=True)
class FindingLine:
    """One finding in a list of the review: what, where, how long."""

    check_id: str
    title: str
    severity: str
    severity_label: str
    area_name: str
    asset: str
    since: str  # "Q1 2026"
    quarters_open: int
    age_text: str  # "3 quarters"
    note: str  # why it is no longer assessed, or ""
    accepted: bool


@dataclass(frozen=True)
class DeviceLine:
    """A device added, removed or changed."""

    name: str
    ip: str
    mac: str
    kind: str  # "Workstation · Dell"
    changes: tuple[str, ...]


@dataclass(frozen=True)
class RoadmapLine:
    """One piece of work proposed for next quarter."""

    rank: int
    check_id: str
    title: str
    severity: str
    severity_label: str
    area_name: str
    scope: str  # "2 devices: owner-pc, reception-pc" or "Whole network"
    age_text: str
    long_open: bool
    project: str
    hours: str
    cost: str  # "" when not estimated
    service: str
    why: str  # first sentence of the risk
    first_step: str


@dataclass(frozen=True)
class IgnoredRisk:
    """A risk open for two quarters or more, as a prospect should see it now."""

    title: str
    severity: str
    severity_label: str
    since: str
    age_text: str
    scope: str
    risk: str
    cost: str
    service: str


@dataclass(frozen=True)
class HistoryRow:
    """One quarter in the appendix table."""

    quarter: str
    date: str
    score: Score
    delta: Delta
    open_count: int
    host_count: int
    verdict: str
    current: bool


@dataclass(frozen=True)
class QuarterlyView:
    """The whole quarterly review, ready to render."""

    branding: Branding
    client: str
    site: str
    show_site: bool  # the client has more than one site
    title: str
    quarter: str  # "Q3 2026"
    previous_quarter: str  # "" for the first quarter in the history
    report_date: str
    assessment_date: str
    paper: str
    prospect: bool
    status_text: str  # "Client since March 2, 2026" or "Prospect"
    overall: Score
    delta: Delta
    bands: tuple[Band, ...]
    lead: str  # the quarter in two sentences
    chart: TrendChart
    areas: tuple[AreaTrendRow, ...]
    first_review: bool  # nothing to compare with yet
    fixed: tuple[FindingLine, ...]
    new: tuple[FindingLine, ...]
    not_assessed: tuple[FindingLine, ...]
    open_findings: tuple[FindingLine, ...]
    accepted: tuple[FindingLine, ...]
    long_open_count: int
    devices_added: tuple[DeviceLine, ...]
    devices_removed: tuple[DeviceLine, ...]
    devices_changed: tuple[DeviceLine, ...]
    device_count: int
    previous_device_count: int | None
    roadmap: tuple[RoadmapLine, ...]
    roadmap_cost: str  # total of the estimated items, "" when none
    roadmap_hours: str
    unestimated: int
    ignored: tuple[IgnoredRisk, ...]
    ignored_cost: str
    first_quarter: str  # the first quarter in the history, "Q1 2026"
    history: tuple[HistoryRow, ...]
