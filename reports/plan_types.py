"""The recommendation's part of the view-model: plain frozen dataclasses, strings ready to print.

Built by :func:`reports.plan_view.build_plan` from ``findings.json``'s ``plan`` object (the
managed plan priced from the consultant's price book). Amounts are already formatted in the
price book's currency; chart geometry is numbers only (:mod:`reports.charts`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PriceLine:
    """One line of the monthly price: ``Computer users · 16 × $90 · $1,440``."""

    item: str
    working: str
    amount: str


@dataclass(frozen=True)
class TierOption:
    """One tier of the price book, priced for this office (good / better / best)."""

    name: str
    monthly: str
    chosen: bool
    missing: tuple[str, ...]  # needed services this tier does not include
    below_rule: bool  # below the lowest tier the prospect's regulation calls for


@dataclass(frozen=True)
class ProjectLine:
    """One one-time fix, estimated (hours, cost) or listed as not estimated."""

    check_id: str
    title: str  # the fix, as the price book names it
    finding: str  # the problem it fixes
    anchor: str  # the issue in the findings chapter; "" when not shown there
    scope: str  # "4 devices", "once for the office"
    hours: str
    cost: str
    hardware: str  # "incl. $900 equipment"; "" when none
    estimated: bool
    note: str  # why it was not estimated


@dataclass(frozen=True)
class Working:
    """One figure with its formula, the formula with the numbers in, and its sources."""

    label: str
    formula: str  # "users × per user"
    worked: str  # "16 × 90"; "" when the file's working does not reproduce the value
    result: str
    sources: tuple[str, ...]  # "users = 16 (interview: computer_users)"
    note: str


@dataclass(frozen=True)
class WorkingGroup:
    """Workings under one heading of the appendix (monthly price, a year of break/fix …)."""

    title: str
    rows: tuple[Working, ...]


@dataclass(frozen=True)
class ChartSegment:
    """One coloured part of a stacked bar."""

    x: float
    width: float
    color: str  # validated "#rrggbb"
    text: str  # the amount, printed inside when it fits; "" otherwise
    text_x: float


@dataclass(frozen=True)
class ChartBar:
    """One stacked bar: a year under one model."""

    label: str
    sublabel: str
    y: float
    height: float
    segments: tuple[ChartSegment, ...]
    total: str
    total_x: float
    emphasis: bool  # the bar the recommendation is about


@dataclass(frozen=True)
class ChartTick:
    """A vertical grid line with its amount."""

    x: float
    label: str


@dataclass(frozen=True)
class LegendItem:
    """A colour and what it stands for."""

    color: str
    label: str
    x: float
    y: float


@dataclass(frozen=True)
class YearChart:
    """Geometry of the break/fix-against-flat-rate bar chart, ready for an inline SVG."""

    width: float
    height: float
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    bars: tuple[ChartBar, ...]
    ticks: tuple[ChartTick, ...]
    legend: tuple[LegendItem, ...]
    description: str  # the chart in words, for screen readers and text extraction


@dataclass(frozen=True)
class Comparison:
    """A year of break/fix against a year of flat rate, in words, numbers and a chart."""

    downtime_known: bool
    break_fix_total: str
    flat_rate_total: str
    later_years_total: str
    break_fix_labour: str
    plan_fees: str
    savings: float | None  # first year; positive when the plan costs less
    savings_text: str
    savings_later: float | None
    savings_later_text: str
    fees_over_labour: str
    current_spend: str  # "" unless the owner said what IT costs today
    headline: str
    chart: YearChart | None
    assumptions: tuple[str, ...]


@dataclass(frozen=True)
class PlanView:
    """The recommendation chapter: what we propose, what it costs, and how to go ahead.

    ``stance`` says how the chapter speaks, from the sweet-spot verdict: ``recommend`` (a fit:
    the plan is proposed), ``not_yet`` (too small: fix what was found first), ``co_managed``
    (too large: a small-office plan is the wrong shape), ``provisional`` (more answers
    needed) or ``none`` (no plan was priced).
    """

    priced: bool
    stance: str
    heading: str
    lead: str
    summary: str  # one line for the executive summary and the cover
    tier_name: str
    tier_description: str
    services: tuple[str, ...]
    onsite_hours: str
    reasons: tuple[str, ...]
    monthly: str
    line_items: tuple[PriceLine, ...]
    subtotal: str
    minimum_note: str
    options: tuple[TierOption, ...]
    uncovered: tuple[str, ...]
    projects: tuple[ProjectLine, ...]
    projects_hours: str
    projects_cost: str
    not_estimated_count: int
    project_rate: str
    onboarding_title: str
    onboarding_hours: str
    onboarding_cost: str
    comparison: Comparison | None
    workings: tuple[WorkingGroup, ...]
    price_book: str
    next_steps: tuple[str, ...]
    accept_text: str  # what the client's signature says yes to
