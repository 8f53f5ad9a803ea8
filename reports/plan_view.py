"""The recommendation part of the view-model, from ``findings.json``'s ``plan`` object.

The plan (made by ``sitewalk assess`` from the consultant's price book) says which tier to
sell, what it costs a month and why, the one-time projects and onboarding, and a year of
break/fix against a year of flat rate. Every number in it is *traced* (a value with its source,
or a formula over named inputs). This module turns it into printable lines and puts the
chapter together; :mod:`reports.plan_compare` makes the year-against-year comparison and its
chart, :mod:`reports.plan_workings` the appendix of workings, and :mod:`reports.plan_texts`
holds how the chapter speaks, chosen from the sweet-spot verdict: a fit is offered the plan, a
too-small office is told to fix what was found first, a too-large one is pointed to co-managed
IT. A ``findings.json`` without a plan (made before plans existed) gives a chapter that says
no plan was priced.
"""

from __future__ import annotations

import re
from typing import Any

from reports.findings_view import checks_by_id
from reports.inventory_view import dicts
from reports.labels import CHAPTERS, NOT_RISK_AREAS
from reports.money import hours, plain, traced_value
from reports.plan_compare import build_comparison
from reports.plan_texts import STANCES, stance_texts
from reports.plan_types import PlanView, PriceLine, ProjectLine, TierOption
from reports.plan_workings import Formatter, as_dict, traced_at, workings
from reports.text import clean_list, clean_name, clean_text
from reports.view import Branding, Verdict

# "(price book: rules.regulated_minimum_tier.legal)": for the appendix, not the sales page.
_BOOK_REFERENCE = re.compile(r" ?\(price book: [^()]*\)")


def _line_item(item: dict[str, Any], fmt: Formatter) -> PriceLine:
    amount = as_dict(item.get("amount"))
    inputs = [as_dict(value) for value in as_dict(amount.get("inputs")).values()]
    working = ""
    if len(inputs) == 2 and re.fullmatch(r"\w+ \* \w+", str(amount.get("formula", ""))):
        count, price = traced_value(inputs[0]), traced_value(inputs[1])
        if count is not None and price is not None:
            working = f"{plain(count)} × {fmt.amount(price, cents=True)}"
    return PriceLine(item=clean_name(item.get("item")) or "Item", working=working,
                     amount=fmt.money(amount))


def _options(plan: dict[str, Any], fmt: Formatter) -> tuple[TierOption, ...]:
    tier = as_dict(plan.get("tier"))
    considered = {str(c.get("tier")): c for c in dicts(tier.get("considered"))}
    options = []
    for option in dicts(plan.get("options"))[:8]:
        tier_id = str(option.get("tier"))
        seen = as_dict(considered.get(tier_id))
        options.append(TierOption(
            name=clean_name(option.get("name")) or clean_name(tier_id),
            monthly=fmt.money(option.get("total")),
            chosen=tier_id == str(tier.get("id")),
            missing=clean_list(seen.get("missing"), 200, max_items=10),
            below_rule=seen.get("meets_rules") is False,
        ))
    return tuple(options)


def _scope(units: dict[str, Any]) -> str:
    count = traced_value(units)
    if clean_name(units.get("unit")) == "sites" or count is None:
        return "once for the office"
    return f"{plain(count)} device" + ("" if count == 1 else "s")


def _lower_first(text: str) -> str:
    """``"Telnet is on"`` -> ``"telnet is on"``, but ``"IT support"`` stays as it is."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _not_estimated(plan: dict[str, Any], areas: dict[str, str]) -> list[dict[str, Any]]:
    """Failed checks without an estimate, except those that describe the business.

    A fit criterion that "failed" (IT support bought by the hour, regulated data) is a fact
    about the prospect, not a defect to fix, so it is no line of one-time work.
    """
    return [item for item in dicts(as_dict(plan.get("projects")).get("not_estimated"))[:60]
            if areas.get(str(item.get("check_id"))) not in NOT_RISK_AREAS]


def _projects(plan: dict[str, Any], fmt: Formatter, anchors: dict[str, str],
              areas: dict[str, str]) -> tuple[ProjectLine, ...]:
    projects = as_dict(plan.get("projects"))
    lines = []
    for item in dicts(projects.get("items"))[:60]:
        check_id = clean_name(item.get("check_id"))
        hardware = traced_value(item.get("hardware"))
        lines.append(ProjectLine(
            check_id=check_id, title=clean_name(item.get("title")) or check_id,
            finding=clean_name(item.get("finding")), anchor=anchors.get(check_id, ""),
            scope=_scope(as_dict(item.get("units"))), hours=hours(traced_value(item.get("hours"))),
            cost=fmt.money(item.get("cost")),
            hardware=f"incl. {fmt.amount(hardware)} equipment" if hardware else "",
            estimated=True, note=""))
    for item in _not_estimated(plan, areas):
        check_id = clean_name(item.get("check_id"))
        finding = clean_name(item.get("finding")) or check_id
        lines.append(ProjectLine(
            check_id=check_id, title=f"Fix: {_lower_first(finding)}", finding=finding,
            anchor=anchors.get(check_id, ""), scope="", hours="", cost="", hardware="",
            estimated=False, note="Not estimated yet: we quote it after a closer look."))
    return tuple(lines)


def no_plan() -> PlanView:
    """The chapter when ``findings.json`` has no plan (made before plans were priced)."""
    return PlanView(
        priced=False, stance="none", heading="No plan was priced",
        lead="No plan was priced for this assessment: it was prepared without our price book. "
             f"Ask us for a quote; the findings in section {CHAPTERS['findings']} show what a "
             "plan would need to cover.",
        summary="No plan was priced yet", tier_name="", tier_description="", services=(),
        onsite_hours="", reasons=(), monthly="", line_items=(), subtotal="", minimum_note="",
        options=(), uncovered=(), projects=(), projects_hours="", projects_cost="",
        not_estimated_count=0, project_rate="", onboarding_title="", onboarding_hours="",
        onboarding_cost="", comparison=None, workings=(), price_book="",
        next_steps=("Ask us for a quote for a managed plan based on this report.",
                    f"We fix the problems in section {CHAPTERS['findings']}, most serious "
                    "first."),
        accept_text="please prepare a quote for a managed plan")


def build_plan(findings: dict[str, Any], verdict: Verdict, client: str, branding: Branding,
               anchors: dict[str, str]) -> PlanView:
    """The recommendation chapter from ``findings["plan"]`` and the verdict.

    ``anchors`` maps check ids to the issue anchors of the findings chapter, so a project
    links to the problem it fixes.
    """
    plan = findings.get("plan")
    if not isinstance(plan, dict) or not isinstance(plan.get("tier"), dict):
        return no_plan()
    book = as_dict(plan.get("price_book"))
    fmt = Formatter(clean_name(book.get("currency"))[:12] or "USD")
    tier = as_dict(plan.get("tier"))
    tier_name = clean_name(tier.get("name")) or clean_name(tier.get("id")) or "recommended"
    monthly = as_dict(plan.get("monthly"))
    projects = as_dict(plan.get("projects"))
    onboarding = as_dict(plan.get("onboarding"))
    stance = STANCES.get(verdict.code, "provisional")
    areas = {check_id: str(check.get("area")) for check_id, check in checks_by_id(findings).items()}
    lines = _projects(plan, fmt, anchors, areas)
    fixes = (f"{hours(traced_value(projects.get('hours')))}, "
             f"{fmt.money(projects.get('cost'))}")
    values = {"client": client, "tier": tier_name, "monthly": fmt.money(monthly.get("total")),
              "onboarding": fmt.money(onboarding.get("cost")), "fixes": fixes,
              "fixes_cost": fmt.money(projects.get("cost")),
              "fit": CHAPTERS["fit"], "findings": CHAPTERS["findings"]}
    heading, lead, summary, steps, accept = stance_texts(stance, values, bool(lines))
    minimum = traced_value(traced_at(monthly, "total", "inputs", "site_minimum"))
    onsite = traced_value(tier.get("onsite_hours_per_month"))
    rate = traced_at(onboarding, "cost", "inputs", "hourly_rate")
    return PlanView(
        priced=True, stance=stance, heading=heading, lead=lead, summary=summary,
        tier_name=tier_name,
        tier_description=clean_text(tier.get("description")),
        services=clean_list(tier.get("services"), 200, max_items=40),
        onsite_hours=f"{plain(onsite)} h of on-site support a month" if onsite else "",
        reasons=tuple(_BOOK_REFERENCE.sub("", reason)
                      for reason in clean_list(tier.get("reasons"), max_items=10)),
        monthly=fmt.money(monthly.get("total")),
        line_items=tuple(_line_item(item, fmt) for item in dicts(monthly.get("line_items"))[:10]),
        subtotal=fmt.money(monthly.get("subtotal")),
        minimum_note=(f"The plan's minimum of {fmt.amount(minimum)} a month applies."
                      if monthly.get("minimum_applied") is True and minimum is not None else ""),
        options=_options(plan, fmt),
        uncovered=tuple(clean_name(item.get("service"))
                        for item in dicts(plan.get("uncovered_services"))[:10]),
        projects=lines,
        projects_hours=hours(traced_value(projects.get("hours"))),
        projects_cost=fmt.money(projects.get("cost")),
        not_estimated_count=sum(1 for line in lines if not line.estimated),
        project_rate=fmt.money(rate) if traced_value(rate) is not None else "",
        onboarding_title=clean_name(onboarding.get("title")) or "Onboarding",
        onboarding_hours=hours(traced_value(onboarding.get("hours"))),
        onboarding_cost=fmt.money(onboarding.get("cost")),
        comparison=build_comparison(plan, fmt, tier_name, branding, stance),
        workings=workings(plan, fmt, tier_name, _not_estimated(plan, areas)),
        price_book=clean_name(book.get("name")),
        next_steps=steps,
        accept_text=accept,
    )
