"""A year of break/fix against a year of flat rate: the sentence, the chart and the small print.

Read from the plan's ``comparison`` (``checks/comparison.py`` made it): the three years are
drawn as stacked bars (:func:`reports.charts.build_year_chart`) whose parts are what the money
goes on: IT bills or plan fees, onboarding, staff waiting for fixes, office-wide outages.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from reports.charts import build_year_chart
from reports.money import plain, tidy_working, traced_value
from reports.plan_types import Comparison
from reports.plan_workings import Formatter, as_dict, traced_at
from reports.text import clean_list, clean_text
from reports.view import Branding

LABOUR_COLOR = "#7b8794"
WAITING_COLOR = "#e58a2e"
OUTAGE_COLOR = "#b8322a"
PART_NAMES = {
    "labour": "IT bills, by the hour",
    "fees": "Plan fees, 12 months",
    "onboarding": "Onboarding (first year only)",
    "incident": "Staff waiting for fixes",
    "outage": "Office-wide outages",
}


def _assumptions(plan: dict[str, Any], fmt: Formatter) -> tuple[str, ...]:
    comparison = as_dict(plan.get("comparison"))
    break_fix, flat = as_dict(comparison.get("break_fix")), as_dict(comparison.get("flat_rate"))
    value = traced_value
    incidents = value(break_fix.get("incidents"))
    per_user = value(traced_at(break_fix, "incidents", "inputs", "incidents_per_user_per_year"))
    users = value(traced_at(plan, "inputs", "users"))
    billed = value(traced_at(break_fix, "labour", "inputs", "hours_per_incident"))
    rate = traced_at(break_fix, "labour", "inputs", "hourly_rate")
    waiting = ("incident_downtime", "inputs", "downtime_hours_per_incident")
    wait = (value(traced_at(break_fix, *waiting)), value(traced_at(flat, *waiting)))
    outages = value(traced_at(break_fix, "outage_downtime", "inputs", "site_outages_per_year"))
    outage_hours = (
        value(traced_at(break_fix, "outage_downtime", "inputs", "downtime_hours_per_site_outage")),
        value(traced_at(flat, "outage_downtime", "inputs", "downtime_hours_per_site_outage")))
    downtime = traced_at(plan, "inputs", "downtime_cost_per_hour")
    lines = []
    if None not in (incidents, per_user, users, billed) and value(rate) is not None:
        said = str(rate.get("source", "")).startswith("interview")
        lines.append(f"{plain(incidents)} incidents a year ({plain(users)} computer users × "
                     f"{plain(per_user)} each), in both models; each billed {plain(billed)} h "
                     f"at {fmt.money(rate, cents=True)} an hour "
                     f"({'the rate you pay today' if said else 'a typical local rate'}).")
    if None not in wait and None not in outage_hours and outages is not None:
        lines.append(f"An incident keeps one person waiting {plain(wait[0])} h under break/fix "
                     f"and {plain(wait[1])} h under the plan; {plain(outages)} office-wide "
                     f"outage a year lasts {plain(outage_hours[0])} h under break/fix and "
                     f"{plain(outage_hours[1])} h under the plan.")
    if value(downtime) is not None:
        if str(downtime.get("source", "")).startswith("interview"):
            how = "your own estimate"
        elif downtime.get("worked"):
            how = (f"annual revenue ÷ 2,080 working hours = "
                   f"{tidy_working(clean_text(downtime.get('worked'), 100))}")
        else:
            how = clean_text(downtime.get("source") or downtime.get("note"), 200)
        lines.append(f"An hour without IT costs the office {fmt.money(downtime, cents=True)} "
                     f"({how}).")
    else:
        lines.append("The cost of an hour without IT is not known, so downtime is not counted.")
    lines.extend(clean_list(plan.get("assumptions"), max_items=12))
    return tuple(lines)


def _headline(comparison: Comparison, tier: str, stance: str) -> str:
    if not comparison.downtime_known:
        return (f"We could not put a price on downtime, so only the fees compare: about "
                f"{comparison.break_fix_labour} a year of hourly IT bills today, against "
                f"{comparison.plan_fees} a year for the {tier} plan (plus onboarding in the "
                "first year).")
    first, later = comparison.savings, comparison.savings_later
    start = (f"Counting the time your staff lose waiting for fixes, a year of break/fix costs "
             f"about {comparison.break_fix_total}; the {tier} plan's first year, onboarding "
             f"included, about {comparison.flat_rate_total}")
    if first is not None and first >= 0:
        return (f"{start}: {comparison.savings_text} less, and "
                f"{comparison.savings_later_text} less a year after that.")
    if later is not None and later >= 0:
        return (f"{start}: {comparison.savings_text} more in the first year, because of "
                f"onboarding; from the second year the plan costs "
                f"{comparison.savings_later_text} less a year.")
    more = (f"{start}: the plan costs {comparison.savings_text} more a year "
            f"({comparison.savings_later_text} more in later years).")
    if stance == "not_yet":
        return f"{more} At your size, paying by the hour is the better value for now."
    return (f"{more} What it buys is not a lower bill but predictable costs, a monitored "
            "network and faster fixes.")


def build_comparison(plan: dict[str, Any], fmt: Formatter, tier: str, branding: Branding,
                     stance: str) -> Comparison | None:
    """The comparison of the plan's years, or None when the plan has none."""
    comparison = as_dict(plan.get("comparison"))
    if not comparison:
        return None
    break_fix, flat = as_dict(comparison.get("break_fix")), as_dict(comparison.get("flat_rate"))
    value = traced_value
    savings, later = value(comparison.get("savings")), value(
        comparison.get("savings_later_years"))
    bf_total, flat_total = value(break_fix.get("total")), value(flat.get("total"))
    fees, onboarding = value(flat.get("fees")), value(flat.get("onboarding"))
    downtime_known = bf_total is not None and flat_total is not None
    colors = {"labour": LABOUR_COLOR, "fees": branding.primary_color,
              "onboarding": branding.accent_color, "incident": WAITING_COLOR,
              "outage": OUTAGE_COLOR}
    bars = [
        ("Break/fix, as today", "paying by the hour", False,
         [("labour", value(break_fix.get("labour"))),
          ("incident", value(break_fix.get("incident_downtime"))),
          ("outage", value(break_fix.get("outage_downtime")))]),
        ("Flat rate, first year", f"{tier}, with onboarding", True,
         [("fees", fees), ("onboarding", onboarding),
          ("incident", value(flat.get("incident_downtime"))),
          ("outage", value(flat.get("outage_downtime")))]),
        ("Flat rate, later years", f"{tier}", False,
         [("fees", fees), ("incident", value(flat.get("incident_downtime"))),
          ("outage", value(flat.get("outage_downtime")))]),
    ]
    current = as_dict(comparison.get("current_spend_per_year"))
    result = Comparison(
        downtime_known=downtime_known,
        break_fix_total=fmt.amount(bf_total),
        flat_rate_total=fmt.amount(flat_total),
        later_years_total=fmt.money(flat.get("total_later_years")),
        break_fix_labour=fmt.money(break_fix.get("labour")),
        plan_fees=fmt.amount(fees),
        savings=savings,
        savings_text=fmt.amount(abs(savings) if savings is not None else None),
        savings_later=later,
        savings_later_text=fmt.amount(abs(later) if later is not None else None),
        fees_over_labour=fmt.money(comparison.get("fees_over_labour")),
        current_spend=(f"You told us IT support costs about "
                       f"{fmt.money(traced_at(current, 'inputs', 'monthly_it_spend'))} a month "
                       f"({fmt.money(current)} a year) today; our estimate of a year of hourly "
                       f"IT bills is {fmt.money(break_fix.get('labour'))}."
                       if value(current) is not None else ""),
        headline="",
        chart=build_year_chart(bars, colors, PART_NAMES, fmt.amount, fmt.currency),
        assumptions=_assumptions(plan, fmt),
    )
    return replace(result, headline=_headline(result, tier, stance))
