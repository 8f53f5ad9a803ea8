"""Appendix B of the report: every figure of the plan with its formula, numbers and sources.

A plan's numbers are *traced* in ``findings.json``: an input (value and source: the interview,
the scan, the price book) or a figure (value, formula over named inputs, the same formula with
the numbers in). :class:`Formatter` turns one into a :class:`~reports.plan_types.Working` row,
printing the numbers only when they reproduce the value (:func:`reports.money.reproduces`).
"""

from __future__ import annotations

import re
from typing import Any

from reports.inventory_view import dicts
from reports.money import hours, money, plain, reproduces, spoken, tidy_working, traced_value
from reports.plan_types import Working, WorkingGroup
from reports.text import clean_name, clean_text

_CHECK_NAME = re.compile(r"\b([A-Z]{2,4})_(\d{3})\b")


def as_dict(value: object) -> dict[str, Any]:
    """``value`` if it is a dict, else an empty one."""
    return value if isinstance(value, dict) else {}


def traced_at(traced: object, *path: str) -> dict[str, Any]:
    """A traced number deep inside another (``traced_at(labour, "inputs", "hourly_rate")``)."""
    node = as_dict(traced)
    for key in path:
        node = as_dict(node.get(key))
    return node


def words_of(name: str) -> str:
    """An input name as words: ``per_network_device`` -> ``per network device``."""
    words = _CHECK_NAME.sub(r"\1-\2", clean_name(name)).replace("_", " ")
    return words.replace("break fix", "break/fix")


class Formatter:
    """Amounts in the price book's currency."""

    def __init__(self, currency: str) -> None:
        self.currency = currency

    def money(self, traced: object, cents: bool = False) -> str:
        """A traced amount, in whole units unless ``cents``."""
        return money(traced_value(traced), self.currency, cents)

    def amount(self, value: float | None, cents: bool = False) -> str:
        """A plain amount, in whole units unless ``cents``."""
        return money(value, self.currency, cents)

    def leaf(self, name: str, traced: dict[str, Any]) -> str:
        """``per user = $90 per month (price book: tiers.professional.per_user)``."""
        value, unit = traced_value(traced), clean_name(traced.get("unit"))
        if unit == self.currency:
            shown = money(value, self.currency, cents=True)
        elif unit in ("per month", "per hour", "per person-hour"):
            shown = f"{money(value, self.currency, cents=True)} {unit}"
        elif unit == "hours":
            shown = hours(value)
        else:
            shown = plain(value) + (f" {unit}" if unit and unit not in ("count", name) else "")
        if "source" in traced:
            return f"{words_of(name)} = {shown} ({clean_text(traced.get('source'), 300)})"
        return f"{words_of(name)} = {shown} (calculated)"

    def working(self, label: str, traced: object, kind: str = "money") -> Working:
        """One appendix row: formula in words, the numbers, the result and its sources."""
        data = as_dict(traced)
        value = traced_value(data)
        result = {"money": lambda: money(value, self.currency, cents=True),
                  "hours": lambda: hours(value)}.get(kind, lambda: plain(value))()
        unit = clean_name(data.get("unit"))
        if kind not in ("money", "hours") and value is not None and unit not in ("", "count"):
            result += f" {unit}"
        if value is None:
            result = "not known"
        formula = clean_text(data.get("formula"), 300)
        worked = clean_text(data.get("worked"), 600)
        inputs = as_dict(data.get("inputs"))
        if not formula:
            sources = (clean_text(data.get("source"), 300),) if data.get("source") else ()
            return Working(label, "", "", result, sources, clean_text(data.get("note")))
        return Working(
            label=label,
            formula=spoken(words_of(formula)),
            worked=tidy_working(worked) if reproduces(worked, value) else "",
            result=result,
            sources=tuple(self.leaf(name, as_dict(item)) for name, item in inputs.items()
                          if isinstance(item, dict))[:12],
            note=clean_text(data.get("note")),
        )


def project_working(item: dict[str, Any], fmt: Formatter) -> Working:
    """A project's cost in one line: units × hours each × rate + units × hardware each."""
    label = f"{clean_name(item.get('check_id'))}: {clean_name(item.get('title'))}"
    row = fmt.working(label, item.get("cost"))
    units = traced_value(item.get("units"))
    each = traced_value(traced_at(item, "hours", "inputs", "hours_each"))
    rate = traced_value(traced_at(item, "labour", "inputs", "hourly_rate"))
    hardware_each = traced_value(traced_at(item, "hardware", "inputs", "hardware_each"))
    if None in (units, each, rate, hardware_each):
        return row
    worked = f"{plain(units)} × {plain(each)} × {plain(rate)} + {plain(units)} × " \
             f"{plain(hardware_each)}"
    if not reproduces(worked, traced_value(item.get("cost"))):
        return row
    sources = (fmt.leaf("units", as_dict(item.get("units"))),
               fmt.leaf("hours each", traced_at(item, "hours", "inputs", "hours_each")),
               fmt.leaf("hourly rate", traced_at(item, "labour", "inputs", "hourly_rate")),
               fmt.leaf("hardware each", traced_at(item, "hardware", "inputs", "hardware_each")))
    return Working(label, "units × hours each × hourly rate + units × hardware each",
                   tidy_working(worked), row.result, sources, row.note)


def workings(plan: dict[str, Any], fmt: Formatter, tier: str,
             not_estimated: list[dict[str, Any]]) -> tuple[WorkingGroup, ...]:
    """Appendix B's groups of rows, in the order the figures build on each other.

    ``not_estimated`` are the failed checks without an estimate that the chapter lists.
    """
    inputs = as_dict(plan.get("inputs"))
    monthly = as_dict(plan.get("monthly"))
    projects = as_dict(plan.get("projects"))
    onboarding = as_dict(plan.get("onboarding"))
    comparison = as_dict(plan.get("comparison"))
    break_fix, flat = as_dict(comparison.get("break_fix")), as_dict(comparison.get("flat_rate"))
    project_rows = [project_working(item, fmt) for item in dicts(projects.get("items"))[:60]]
    project_rows += [Working(clean_name(item.get("check_id")) + ": " +
                             clean_name(item.get("finding")), "", "", "not estimated", (),
                             clean_text(item.get("reason")))
                     for item in not_estimated]
    groups = [
        ("What the plan is priced on", [
            fmt.working("Computer users", inputs.get("users"), "count"),
            fmt.working("Servers", inputs.get("servers"), "count"),
            fmt.working("Network devices", inputs.get("network_devices"), "count"),
            fmt.working("Cost of an hour without IT", inputs.get("downtime_cost_per_hour")),
        ]),
        (f"Monthly price: {tier}", [
            *(fmt.working(clean_name(item.get("item")), item.get("amount"))
              for item in dicts(monthly.get("line_items"))[:10]),
            fmt.working("Subtotal", monthly.get("subtotal")),
            fmt.working("Monthly price", monthly.get("total")),
        ]),
        ("One-time work", [
            *project_rows,
            fmt.working("Fixes, hours", projects.get("hours"), "hours"),
            fmt.working("Fixes, cost", projects.get("cost")),
            fmt.working("Onboarding, hours", onboarding.get("hours"), "hours"),
            fmt.working("Onboarding, cost", onboarding.get("cost")),
        ]),
        ("A year of break/fix", [
            fmt.working("Incidents a year", break_fix.get("incidents"), "count"),
            fmt.working("IT bills", break_fix.get("labour")),
            fmt.working("Cost of one person-hour", break_fix.get("person_hour_cost")),
            fmt.working("Staff waiting for fixes", break_fix.get("incident_downtime")),
            fmt.working("Office-wide outages", break_fix.get("outage_downtime")),
            fmt.working("Break/fix year", break_fix.get("total")),
        ]),
        ("A year of flat rate", [
            fmt.working("Plan fees", flat.get("fees")),
            fmt.working("Onboarding", flat.get("onboarding")),
            fmt.working("Staff waiting for fixes", flat.get("incident_downtime")),
            fmt.working("Office-wide outages", flat.get("outage_downtime")),
            fmt.working("Flat-rate first year", flat.get("total")),
            fmt.working("Flat-rate later years", flat.get("total_later_years")),
        ]),
        ("The difference", [
            fmt.working("Saved in the first year", comparison.get("savings")),
            fmt.working("Saved in later years", comparison.get("savings_later_years")),
            fmt.working("Plan fees above the IT bills", comparison.get("fees_over_labour")),
            *([fmt.working("IT support spend today, a year",
                           comparison.get("current_spend_per_year"))]
              if isinstance(comparison.get("current_spend_per_year"), dict) else []),
        ]),
    ]
    return tuple(WorkingGroup(title, tuple(row for row in rows if row.label))
                 for title, rows in groups)
