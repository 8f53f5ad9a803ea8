"""One-time work: a remediation project for every failed check, and onboarding.

A failed check (not an accepted risk) is estimated from the price book's entry for its ID,
else for its service. ``per = "site"`` counts once; ``per = "device"`` counts every device the
check failed on (its asset key; a site-wide failure counts as one). Hours × the project rate
is the labour; units × the entry's hardware price is the equipment. A failed check with no
entry is listed as *not estimated* rather than silently priced at zero.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from checks.figures import Figure, Input, compute
from checks.model import Finding, Severity, Status
from checks.pricebook import PriceBook, Project
from checks.sizing import OfficeSize


def failed_by_check(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    """Failed findings that count (not accepted risks), grouped by check ID, in ID order."""
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.result.status is Status.FAIL and not finding.muted:
            grouped.setdefault(finding.check.id, []).append(finding)
    return dict(sorted(grouped.items()))


def _units(check_id: str, failed: list[Finding], project: Project) -> Input:
    if project.per == "site":
        return Input(1, f"{project.key}.per = site: once for the office", "sites")
    assets = {f.asset_key: f.host_name or f.result.ip or f.asset_key for f in failed}
    names = ", ".join(sorted(assets.values())[:12])
    return Input(len(assets), f"findings: {check_id} failed on {len(assets)} "
                 f"device{'s' if len(assets) != 1 else ''}: {names}", "devices")


def _item(check_id: str, failed: list[Finding], project: Project, book: PriceBook
          ) -> tuple[dict[str, Any], Figure, Figure]:
    units = _units(check_id, failed, project)
    hours = compute("units * hours_each", "hours", units=units,
                    hours_each=Input(project.hours, f"price book: {project.key}.hours", "hours"))
    labour = compute("hours * hourly_rate", book.currency, hours=hours,
                     hourly_rate=Input(book.project_hourly_rate,
                                       "price book: projects.hourly_rate", "per hour"))
    hardware = compute("units * hardware_each", book.currency, units=units,
                       hardware_each=Input(project.hardware, f"price book: {project.key}.hardware",
                                           book.currency))
    cost = compute("labour + hardware", book.currency, labour=labour, hardware=hardware)
    meta = failed[0].check
    return {"check_id": check_id, "finding": meta.title, "title": project.title,
            "service": meta.service, "price_book_key": project.key, "units": units.to_dict(),
            "hours": hours.to_dict(), "labour": labour.to_dict(),
            "hardware": hardware.to_dict(), "cost": cost.to_dict()}, hours, cost


def _sum(figures: dict[str, Figure], unit: str) -> Figure:
    names = {re.sub(r"\W", "_", key): figure for key, figure in figures.items()}
    return compute(" + ".join(names) or "0", unit, **names)


def remediation(findings: Iterable[Finding], book: PriceBook) -> dict[str, Any]:
    """The one-time fixes for every failed check, with hours, cost and their totals."""
    items: list[dict[str, Any]] = []
    not_estimated: list[dict[str, Any]] = []
    hours: dict[str, Figure] = {}
    costs: dict[str, Figure] = {}
    for check_id, failed in failed_by_check(findings).items():
        informational = failed[0].check.severity is Severity.INFO
        project = (book.check_projects.get(check_id) if informational
                   else book.project_for(check_id, failed[0].check.service))
        if project is None and informational:
            continue  # a fact about the business (FIT) with no project of its own
        if project is None:
            not_estimated.append({"check_id": check_id, "finding": failed[0].check.title,
                                  "service": failed[0].check.service,
                                  "reason": f"no projects.checks.{check_id} or projects."
                                            f"services entry for {failed[0].check.service!r}"})
        else:
            item, hours[check_id], costs[check_id] = _item(check_id, failed, project, book)
            items.append(item)
    return {"items": items, "not_estimated": not_estimated,
            "hours": _sum(hours, "hours").to_dict(), "cost": _sum(costs, book.currency).to_dict()}


def onboarding(size: OfficeSize, book: PriceBook) -> tuple[dict[str, Any], Figure]:
    """The one-time onboarding hours and cost (its JSON form, and the cost figure)."""
    plan = book.onboarding

    def rate(name: str) -> Input:
        return Input(getattr(plan, name), f"price book: onboarding.{name}", "hours")

    hours = compute("base_hours + users * hours_per_user + servers * hours_per_server"
                    " + network_devices * hours_per_network_device", "hours",
                    base_hours=rate("base_hours"), users=size.users,
                    hours_per_user=rate("hours_per_user"), servers=size.servers,
                    hours_per_server=rate("hours_per_server"),
                    network_devices=size.network_devices,
                    hours_per_network_device=rate("hours_per_network_device"))
    cost = compute("hours * hourly_rate", book.currency, hours=hours,
                   hourly_rate=Input(book.project_hourly_rate, "price book: projects.hourly_rate",
                                     "per hour"))
    return {"title": plan.title, "hours": hours.to_dict(), "cost": cost.to_dict()}, cost
