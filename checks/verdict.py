"""The sweet-spot verdict: is this prospect the client a flat-rate managed plan is built for?

Big enough and needy enough to pay the consultant's target price for a flat-rate plan — not a
peer-to-peer office that is too small, not an organisation too big for a small-office plan.
The criteria (:mod:`checks.criteria`) each carry their evidence; the decision, in this order:

0. ``need_more_information`` — the scan saw too little to conclude from (no service on any
   device, or the port sweep lost for half of them: :func:`checks.context.evidence_gap`):
   "not enough evidence: rescan", with the missing part named;
1. ``too_large`` — more computer users than the band (by any count: the scan only undercounts);
2. ``too_small`` — fewer users than the band, by the interview's count;
3. ``too_small`` — a peer-to-peer office (no server) not yet big enough to need one;
4. ``need_more_information`` — no headcount from the interview (the scan misses laptops that
   are away), or whether there is a server could not be told;
5. ``too_small`` / ``too_large`` — the recommended plan priced below / above the target band;
6. ``sweet_spot`` — otherwise. The needs the plan meets and the weak points of the case are
   listed as reasons; none of them overturns the verdict.

The bands come from the price book's ``[fit]`` table (:class:`~checks.pricebook.FitSettings`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from checks import criteria
from checks.context import evidence_gap
from checks.criteria import Criterion, money
from checks.figures import source_of
from checks.interview import answer
from checks.model import Finding
from checks.pricebook import FitSettings
from checks.questions import BY_KEY
from checks.sizing import OfficeSize, downtime_cost, measure
from scanner.directory.model import Directory
from scanner.model import Inventory

LABELS = {
    "sweet_spot": "Sweet spot: a good fit for a flat-rate managed plan",
    "too_small": "Too small for a flat-rate managed plan today",
    "too_large": "Larger than a small-office managed plan",
    "need_more_information": "Need more information before deciding",
}

# How a need that nothing meets today is named in the reasons.
GAP_WORDS = {"server": "a real server", "firewall": "a business firewall",
             "backup": "a verified offsite backup", "security": "closing exposed services",
             "power": "a network-managed UPS"}

# Answers that sharpen the verdict or the plan; asked again when missing or "don't know".
TO_CONFIRM = ("computer_users", "regulation", "current_support", "downtime_cost_per_hour",
              "offsite_backup", "last_restore_test", "sites", "remote_workers")


def _criteria(findings: list[Finding], interview: Mapping[str, Any], inventory: Inventory,
              office: OfficeSize, plan: Mapping[str, Any] | None, fit: FitSettings
              ) -> list[Criterion]:
    cost = downtime_cost(interview)
    monthly = plan["monthly"]["total"]["value"] if plan else None
    currency = plan["price_book"]["currency"] if plan else "USD"
    return [
        criteria.size(office, fit),
        criteria.server(findings, interview, office, fit),
        criteria.firewall(findings),
        criteria.backup(findings, interview),
        criteria.security(findings, interview),
        criteria.power(findings, interview),
        criteria.complexity(office, interview,
                            len(inventory.by_class("switch", "access_point"))),
        criteria.downtime(cost.value, source_of(cost), monthly, currency, fit),
        criteria.able_to_pay(plan, interview, fit),
    ]


def _cheaper_option(plan: Mapping[str, Any], fit: FitSettings) -> str:
    inside = [o for o in plan["options"] if o["total"]["value"] is not None
              and fit.monthly_min <= o["total"]["value"] <= fit.monthly_max]
    if not inside:
        return ""
    option = inside[0]
    return (f" {option['name']} would be {money(option['total']['value'])} a month, without "
            "some of the services the findings call for.")


def _decide(by_key: dict[str, Criterion], office_users: int, from_interview: bool,
            scan_empty: bool, plan: Mapping[str, Any] | None, fit: FitSettings
            ) -> tuple[str, list[str], list[str]]:
    """The verdict code, its deciding reasons and what would change it."""
    total = plan["monthly"]["total"]["value"] if plan else None
    tier = plan["tier"]["name"] if plan else ""
    band = f"{money(fit.monthly_min)}–{money(fit.monthly_max)}"
    if scan_empty and not from_interview:
        return ("need_more_information", ["The scan found no devices and there are no "
                "interview answers."], ["A scan that reaches the office LAN, and the interview."])
    if office_users > fit.max_users:
        return ("too_large", [f"{office_users} computer users is above the {fit.max_users}-user "
                "band of a small-office plan."],
                ["A co-managed offer alongside in-house IT staff."])
    if from_interview and office_users < fit.min_users:
        return ("too_small", [f"{office_users} computer users is below the {fit.min_users}-user "
                "band."], [f"Growth to {fit.min_users} or more computer users."])
    if by_key["server"].met is False:
        return ("too_small", ["There is no real server: the office runs peer-to-peer."],
                ["Shared files and accounts moving to a server, NAS or Microsoft 365, or growth "
                 f"to {fit.server_needed_from_users} computer users."])
    if not from_interview:
        return ("need_more_information", [f"Only the scan counted computers "
                f"({office_users} PCs seen); laptops that are away are not counted."],
                ["The headcount from the on-site interview (computer_users)."])
    if by_key["server"].met is None:
        return ("need_more_information", ["Whether the office has a real server could not be "
                f"told: {by_key['server'].evidence}."],
                ["A scan that sees the server, or the consultant's own look at the office."])
    if total is not None and total < fit.monthly_min:
        return ("too_small", [f"{tier} prices at {money(total)} a month, below the {band} "
                "target."], [f"Selling at {money(fit.monthly_min)} a month or more (a higher "
                             "tier, or a minimum), or a smaller engagement such as a block "
                             "of support hours."])
    if total is not None and total > fit.monthly_max:
        return ("too_large", [f"{tier} prices at {money(total)} a month, above the {band} "
                "target: a bigger engagement than a small-office plan."],
                [f"A plan budget of {money(total)} a month or more, or a co-managed plan."
                 + _cheaper_option(plan, fit)])
    price = f" {tier} at {money(total)} a month is inside the {band} target." if total else ""
    return ("sweet_spot", [f"{office_users} computer users and a real server: the size a "
            f"flat-rate plan serves best.{price}"],
            [f"Growth past {fit.max_users} computer users or a plan above "
             f"{money(fit.monthly_max)} a month; full-time IT staff would call for a "
             "co-managed plan instead."])


def _support_note(interview: Mapping[str, Any]) -> list[str]:
    support = answer(interview, "current_support")
    return {
        "in_house_it": ["They employ IT staff: offer co-managed IT rather than the full plan."],
        "another_msp": ["They already pay a managed service provider: the findings are what "
                        "it has not done."],
        "friend_or_relative": ["A friend or relative looks after IT: nobody is accountable "
                               "when it fails."],
        "break_fix": ["A contractor is paid by the hour: nobody watches the network between "
                      "calls."],
        "none": ["Nobody looks after IT."],
    }.get(support, [])


def _not_enough(missing: str, fit: FitSettings) -> dict[str, Any]:
    """The verdict of a scan that saw too little: decline, and say what is missing."""
    return {"verdict": "need_more_information", "label": LABELS["need_more_information"],
            "reasons": [f"Not enough evidence: rescan. {missing[0].upper()}{missing[1:]}."],
            "would_change": ["A complete scan: `sitewalk scan --resume FOLDER` redoes the "
                             "stages and devices that did not complete."],
            "criteria": [], "to_confirm": [], "settings": asdict(fit), "missing": missing}


def decide(findings: list[Finding], interview: Mapping[str, Any], inventory: Inventory,
           plan: Mapping[str, Any] | None = None, fit: FitSettings | None = None,
           directory: Directory | None = None) -> dict[str, Any]:
    """The verdict, its reasons, the criteria with evidence, and what would change it.

    ``plan`` is the recommended plan (:func:`checks.plan.recommend`); without it the price
    criterion is unknown and does not decide. ``fit`` defaults to the standard bands.
    """
    fit = fit or FitSettings()
    missing = evidence_gap(inventory)
    if missing:
        return _not_enough(missing, fit)
    office = measure(inventory, interview, directory=directory)
    listed = _criteria(findings, interview, inventory, office, plan, fit)
    by_key = {criterion.key: criterion for criterion in listed}
    verdict, reasons, would_change = _decide(
        by_key, office.users.value or 0, office.users_from_interview, not inventory.hosts,
        plan, fit)
    reasons += _support_note(interview)
    gaps = [c for c in listed if c.gap]
    if gaps:
        reasons.append("Gaps the plan closes: " + "; ".join(
            GAP_WORDS.get(c.key, c.name.lower()) for c in gaps) + ".")
    weak = [c for c in listed if c.met is False and c.key not in ("size", "server",
                                                                  "able_to_pay")]
    if weak:
        reasons.append("Weak points of the case: " + "; ".join(
            f"{c.name.lower()} ({c.evidence})" for c in weak) + ".")
    to_confirm = [f"{BY_KEY[key].text} ({key}: "
                  f"{'not asked' if key not in interview else 'not known'})"
                  for key in TO_CONFIRM if answer(interview, key) is None
                  and not (key == "downtime_cost_per_hour" and answer(interview, "annual_revenue"))]
    return {"verdict": verdict, "label": LABELS[verdict], "reasons": reasons,
            "would_change": would_change, "criteria": [c.to_dict() for c in listed],
            "to_confirm": to_confirm, "settings": asdict(fit)}
