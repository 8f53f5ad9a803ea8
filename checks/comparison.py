"""A year of break/fix against a first year of flat rate, every figure traceable.

Break/fix (what the prospect does today)::

    incidents          = users × incidents per user per year
    labour             = incidents × hours per incident × hourly rate
    person-hour cost   = downtime cost per hour ÷ users   (an incident stops one person)
    incident downtime  = incidents × downtime hours per incident × person-hour cost
    outage downtime    = site outages per year × downtime hours per outage × downtime cost/hour
    total              = labour + incident downtime + outage downtime

Flat rate, first year: 12 × the monthly price + onboarding + the same incidents and outages
with the flat-rate downtime hours (the plan claims faster fixes, not fewer problems); later
years leave out onboarding.
Remediation projects are needed under either model, so they are left out of both. The hourly
rate is the interview's ``hourly_rate_paid`` when answered, else the price book's. When the
downtime cost is unknown the downtime figures and totals are unknown, and only fees compare.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from checks.figures import Figure, Input, compute
from checks.interview import answer
from checks.pricebook import PriceBook
from checks.sizing import OfficeSize


def _hourly_rate(interview: Mapping[str, Any], book: PriceBook) -> Input:
    if answer(interview, "hourly_rate_paid") is not None:
        return Input(interview["hourly_rate_paid"], "interview: hourly_rate_paid", "per hour")
    return Input(book.break_fix.hourly_rate, "price book: break_fix.hourly_rate", "per hour")


def _downtime(incidents: Figure, person_hour_cost: Figure, downtime_cost: Input | Figure,
              section: str, values: Any, book: PriceBook) -> tuple[Figure, Figure]:
    """Incident downtime and site-outage downtime for one model."""
    incident = compute(
        "incidents * downtime_hours_per_incident * person_hour_cost", book.currency,
        incidents=incidents, person_hour_cost=person_hour_cost,
        downtime_hours_per_incident=Input(values.downtime_hours_per_incident,
                                          f"price book: {section}.downtime_hours_per_incident",
                                          "hours"))
    outage = compute(
        "site_outages_per_year * downtime_hours_per_site_outage * downtime_cost_per_hour",
        book.currency, downtime_cost_per_hour=downtime_cost,
        site_outages_per_year=Input(book.break_fix.site_outages_per_year,
                                    "price book: break_fix.site_outages_per_year", "per year"),
        downtime_hours_per_site_outage=Input(
            values.downtime_hours_per_site_outage,
            f"price book: {section}.downtime_hours_per_site_outage", "hours"))
    return incident, outage


def compare(size: OfficeSize, downtime_cost: Input | Figure, monthly_total: Figure,
            onboarding_cost: Figure, interview: Mapping[str, Any], book: PriceBook
            ) -> dict[str, Any]:
    """The year of break/fix, the first year of flat rate, and the difference."""
    money = book.currency
    incidents = compute("users * incidents_per_user_per_year", "incidents per year",
                        users=size.users, incidents_per_user_per_year=Input(
                            book.break_fix.incidents_per_user_per_year,
                            "price book: break_fix.incidents_per_user_per_year", "per user"))
    labour = compute("incidents * hours_per_incident * hourly_rate", money,
                     incidents=incidents, hourly_rate=_hourly_rate(interview, book),
                     hours_per_incident=Input(book.break_fix.hours_per_incident,
                                              "price book: break_fix.hours_per_incident",
                                              "hours"))
    person_hour_cost = compute("downtime_cost_per_hour / users", "per person-hour",
                               downtime_cost_per_hour=downtime_cost, users=size.users)
    bf_incident, bf_outage = _downtime(incidents, person_hour_cost, downtime_cost,
                                       "break_fix", book.break_fix, book)
    bf_total = compute("labour + incident_downtime + outage_downtime", money, labour=labour,
                       incident_downtime=bf_incident, outage_downtime=bf_outage)
    fees = compute("monthly_total * 12", money, monthly_total=monthly_total)
    flat_incident, flat_outage = _downtime(incidents, person_hour_cost, downtime_cost,
                                           "flat_rate", book.flat_rate, book)
    flat_total = compute("fees + onboarding + incident_downtime + outage_downtime", money,
                         fees=fees, onboarding=onboarding_cost, incident_downtime=flat_incident,
                         outage_downtime=flat_outage)
    later_total = compute("fees + incident_downtime + outage_downtime", money, fees=fees,
                          incident_downtime=flat_incident, outage_downtime=flat_outage)
    current: dict[str, Any] | None = None
    if answer(interview, "monthly_it_spend") is not None:
        current = compute("monthly_it_spend * 12", money, monthly_it_spend=Input(
            interview["monthly_it_spend"], "interview: monthly_it_spend", "per month")).to_dict()
    return {
        "break_fix": {"incidents": incidents.to_dict(), "labour": labour.to_dict(),
                      "person_hour_cost": person_hour_cost.to_dict(),
                      "incident_downtime": bf_incident.to_dict(),
                      "outage_downtime": bf_outage.to_dict(), "total": bf_total.to_dict()},
        "flat_rate": {"fees": fees.to_dict(), "onboarding": onboarding_cost.to_dict(),
                      "incident_downtime": flat_incident.to_dict(),
                      "outage_downtime": flat_outage.to_dict(), "total": flat_total.to_dict(),
                      "total_later_years": later_total.to_dict()},
        "fees_over_labour": compute("flat_fees + onboarding - break_fix_labour", money,
                                    flat_fees=fees, onboarding=onboarding_cost,
                                    break_fix_labour=labour).to_dict(),
        "savings": compute("break_fix_total - flat_rate_total", money,
                           break_fix_total=bf_total, flat_rate_total=flat_total).to_dict(),
        "savings_later_years": compute("break_fix_total - flat_rate_total_later_years", money,
                                       break_fix_total=bf_total,
                                       flat_rate_total_later_years=later_total).to_dict(),
        "current_spend_per_year": current,
    }
