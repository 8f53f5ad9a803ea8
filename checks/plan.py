"""The recommended managed plan: tier, monthly price, one-time work and a year's comparison.

:func:`recommend` turns the inventory counts, the failed findings and the interview into the
``plan`` object of ``findings.json``:

* **needs** — the managed-plan service of every failed check (its ``service`` metadata), and
  the needs the owner's answers show (:data:`INTERVIEW_NEEDS`);
* **tier** — the lowest tier, in price-book order, that includes every needed service and is
  at least the tier the price book requires for the prospect's regulation (HIPAA, PCI, legal);
  a needed service no tier includes is listed as *uncovered* (quote it separately);
* **monthly** — users × per-user price + servers × per-server price + network devices ×
  per-device price, but never less than the tier's site minimum; the same for every tier as
  **options**;
* **projects** and **onboarding** (:mod:`checks.projects`), and the **comparison** of a year
  of break/fix with a first year of flat rate (:mod:`checks.comparison`).

Every number is a traced figure (:mod:`checks.figures`): its formula and inputs lead back to the
interview, the scan or the price book.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from checks.comparison import compare
from checks.figures import Figure, Input, compute
from checks.interview import answer
from checks.model import Finding, Severity
from checks.pricebook import PriceBook, Tier
from checks.projects import failed_by_check, onboarding, remediation
from checks.questions import DONT_KNOW
from checks.sizing import OfficeSize, downtime_cost, measure
from scanner.directory.model import Directory
from scanner.model import Inventory

CLOUD_EMAIL = ("microsoft365", "google")


@dataclass(frozen=True)
class InterviewNeed:
    """An answer that shows a need for a service (``only_if``: another answer must match)."""

    service: str
    key: str
    answers: tuple[Any, ...]
    why: str
    only_if: tuple[str, tuple[str, ...]] | None = None


# An answer nobody can vouch for counts as the risky one: an offsite copy nobody has seen is
# treated as missing, a restore nobody remembers as never tested.
INTERVIEW_NEEDS: tuple[InterviewNeed, ...] = (
    InterviewNeed("Backup with offsite copy", "offsite_backup", ("no", DONT_KNOW),
                  "no offsite copy anyone can vouch for"),
    InterviewNeed("Backup with offsite copy", "last_restore_test", ("never", DONT_KNOW),
                  "no restore has been tested"),
    InterviewNeed("Cloud data backup (Microsoft 365 / Google)", "cloud_backup",
                  ("no", DONT_KNOW), "cloud mail and files are not backed up",
                  only_if=("email_platform", CLOUD_EMAIL)),
    InterviewNeed("Managed antivirus", "av_product", ("none",), "no antivirus on the PCs"),
)


@dataclass(frozen=True)
class ServiceNeed:
    """A service the plan must include, and the evidence for it."""

    service: str
    because: tuple[str, ...]


@dataclass(frozen=True)
class TierChoice:
    """The tier chosen, why, and what each tier lacked."""

    tier: Tier
    reasons: tuple[str, ...]
    considered: tuple[dict[str, Any], ...]
    uncovered: tuple[ServiceNeed, ...]


def service_needs(findings: Iterable[Finding], interview: Mapping[str, Any],
                  book: PriceBook | None = None) -> tuple[ServiceNeed, ...]:
    """Every service needed, from failed checks first, then from interview answers.

    Informational checks (FIT: facts about the business, such as regulated data) are not
    problems a service fixes, so they create no need — unless the price book prices a project
    for that check (FIT-001, the move off peer-to-peer). Regulation lifts the tier through
    the price book's regulated_minimum_tier rule instead.
    """
    because: dict[str, list[str]] = {}
    for check_id, failed in failed_by_check(findings).items():
        if failed[0].check.severity is Severity.INFO and (
                book is None or check_id not in book.check_projects):
            continue
        because.setdefault(failed[0].check.service, []).append(
            f"{check_id}: {failed[0].check.title}")
    for need in INTERVIEW_NEEDS:
        value = interview.get(need.key)
        if isinstance(value, str) and value.lower() in need.answers and (
                need.only_if is None or interview.get(need.only_if[0]) in need.only_if[1]):
            because.setdefault(need.service, []).append(
                f"interview: {need.key} = {value} ({need.why})")
    return tuple(ServiceNeed(service, tuple(why)) for service, why in because.items())


def _regulated_minimum(interview: Mapping[str, Any], book: PriceBook
                       ) -> tuple[int, list[str]]:
    regulations = answer(interview, "regulation") or []
    index, reasons = 0, []
    tier_ids = [tier.id for tier in book.tiers]
    for regulation in regulations:
        tier_id = book.regulated_minimum_tier.get(regulation)
        if tier_id:
            index = max(index, tier_ids.index(tier_id))
            reasons.append(f"{regulation.upper()}: at least {book.tier(tier_id).name} "
                           f"(price book: rules.regulated_minimum_tier.{regulation}).")
    return index, reasons


def choose_tier(needs: tuple[ServiceNeed, ...], interview: Mapping[str, Any],
                book: PriceBook) -> TierChoice:
    """The lowest tier that includes every coverable need and meets the regulation rule."""
    offered = {service for tier in book.tiers for service in tier.services}
    uncovered = tuple(need for need in needs if need.service not in offered)
    wanted = [need.service for need in needs if need.service in offered]
    minimum, reasons = _regulated_minimum(interview, book)
    considered, chosen = [], None
    for index, tier in enumerate(book.tiers):
        missing = [service for service in wanted if service not in tier.services]
        considered.append({"tier": tier.id, "includes_needs": not missing, "missing": missing,
                           "meets_rules": index >= minimum})
        if chosen is None and not missing and index >= minimum:
            chosen = tier
    if chosen is None:  # no single tier covers everything: the fullest one at or above minimum
        chosen = max(book.tiers[minimum:], key=lambda t: sum(s in t.services for s in wanted))
        reasons.insert(0, f"No tier includes every needed service; {chosen.name} includes the "
                          "most.")
    else:
        covering = next(t for t, c in zip(book.tiers, considered, strict=True)
                        if c["includes_needs"])
        lacking = [f"{book.tier(c['tier']).name} lacks {', '.join(c['missing'])}"
                   for c in considered if c["missing"]]
        first = (f"{covering.name} is the lowest tier that includes every service the findings "
                 "and answers call for")
        reasons.insert(0, first + (f" ({'; '.join(lacking)})" if lacking else "") + (
            "." if covering is chosen else f"; the rules below raise it to {chosen.name}."))
    if answer(interview, "regulation") is None:
        reasons.append("Regulation not known: a HIPAA, PCI or legal practice may need a higher "
                       "tier.")
    for need in uncovered:
        reasons.append(f"No tier includes {need.service!r}: quote it separately.")
    return TierChoice(chosen, tuple(reasons), tuple(considered), uncovered)


def monthly_price(tier: Tier, size: OfficeSize) -> tuple[dict[str, Any], Figure]:
    """A tier's monthly line items, subtotal and total (never below the site minimum)."""

    def price(name: str) -> Input:
        return Input(getattr(tier, name), f"price book: tiers.{tier.id}.{name}", "per month")

    users = compute("users * per_user", "per month", users=size.users,
                    per_user=price("per_user"))
    servers = compute("servers * per_server", "per month", servers=size.servers,
                      per_server=price("per_server"))
    devices = compute("network_devices * per_network_device", "per month",
                      network_devices=size.network_devices,
                      per_network_device=price("per_network_device"))
    subtotal = compute("users + servers + network_devices", "per month", users=users,
                       servers=servers, network_devices=devices)
    total = compute("max(subtotal, site_minimum)", "per month", subtotal=subtotal,
                    site_minimum=price("site_minimum"))
    return {"line_items": [{"item": "Computer users", "amount": users.to_dict()},
                           {"item": "Servers", "amount": servers.to_dict()},
                           {"item": "Network devices", "amount": devices.to_dict()}],
            "subtotal": subtotal.to_dict(), "total": total.to_dict(),
            "minimum_applied": (subtotal.value or 0) < tier.site_minimum}, total


ASSUMPTIONS = (
    "Prices are per month, before tax; hardware and software licences are not included unless "
    "a project lists hardware.",
    "Computer users come from the interview; without it, from the PCs the scan saw, which "
    "misses laptops that were away.",
    "Break/fix and flat rate see the same number of incidents and outages; the plan claims "
    "faster fixes, not fewer problems.",
    "An incident stops one person (their share of the office's downtime cost); a site outage "
    "stops everyone.",
    "Remediation projects are needed under either model and are left out of the comparison; "
    "onboarding is counted in the flat-rate year.",
)


def recommend(inventory: Inventory, findings: Iterable[Finding], interview: Mapping[str, Any],
              book: PriceBook, directory: Directory | None = None) -> dict[str, Any]:
    """The ``plan`` object of ``findings.json`` (``directory``: the audit, for the headcount)."""
    findings = list(findings)
    size = measure(inventory, interview, book.counting, directory)
    needs = service_needs(findings, interview, book)
    choice = choose_tier(needs, interview, book)
    priced = {tier.id: monthly_price(tier, size) for tier in book.tiers}
    monthly, total = priced[choice.tier.id]
    onboarding_dict, onboarding_cost = onboarding(size, book)
    downtime = downtime_cost(interview)
    fit = book.fit
    inside = None if total.value is None else fit.monthly_min <= total.value <= fit.monthly_max
    tier = choice.tier
    return {
        "price_book": {"name": book.name, "source": book.source, "currency": book.currency},
        "inputs": {"users": size.users.to_dict(), "servers": size.servers.to_dict(),
                   "network_devices": size.network_devices.to_dict(),
                   "downtime_cost_per_hour": downtime.to_dict()},
        "needs": [{"service": need.service, "because": list(need.because),
                   "tiers": [t.id for t in book.tiers if need.service in t.services]}
                  for need in needs],
        "tier": {"id": tier.id, "name": tier.name, "description": tier.description,
                 "services": list(tier.services),
                 "onsite_hours_per_month": Input(
                     tier.onsite_hours_per_month,
                     f"price book: tiers.{tier.id}.onsite_hours_per_month", "hours").to_dict(),
                 "reasons": list(choice.reasons), "considered": list(choice.considered)},
        "uncovered_services": [{"service": need.service, "because": list(need.because)}
                               for need in choice.uncovered],
        "monthly": monthly,
        "options": [{"tier": t.id, "name": t.name, "total": priced[t.id][0]["total"]}
                    for t in book.tiers],
        "projects": remediation(findings, book),
        "onboarding": onboarding_dict,
        "comparison": compare(size, downtime, total, onboarding_cost, interview, book),
        "target_band": {
            "monthly_min": Input(fit.monthly_min, "price book: fit.monthly_min",
                                 "per month").to_dict(),
            "monthly_max": Input(fit.monthly_max, "price book: fit.monthly_max",
                                 "per month").to_dict(),
            "inside": inside},
        "assumptions": list(ASSUMPTIONS),
    }

