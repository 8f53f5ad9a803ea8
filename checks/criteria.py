"""The sweet-spot criteria, each a small function of the findings, answers, counts and plan.

A criterion's ``met`` says whether it argues *for* a flat-rate plan (True), against it (False)
or cannot be told (None). The *need* criteria (firewall, backup, security, power) are met when
the need is real, whether or not it is answered today; ``gap`` says it is unanswered today — a
missing firewall or backup makes the prospect a better fit (a need the plan meets), not a worse
one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from checks.interview import answer, answer_state
from checks.model import Finding, Status
from checks.pricebook import FitSettings
from checks.sizing import OfficeSize

HOURS_IN_A_WORKING_DAY = 8


@dataclass(frozen=True)
class Criterion:
    """One criterion of the verdict with its evidence."""

    key: str
    name: str
    kind: str  # "size", "need" or "means"
    met: bool | None
    evidence: str
    gap: bool | None = None  # needs only: True when nothing meets the need today

    def to_dict(self) -> dict[str, Any]:
        """The JSON form, as in ``findings.json`` ``verdict.criteria``."""
        return {"key": self.key, "name": self.name, "kind": self.kind, "met": self.met,
                "gap": self.gap, "evidence": self.evidence}


def money(value: float, currency: str = "USD") -> str:
    """``$1,740`` for dollars, ``1,740 EUR`` otherwise."""
    amount = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return f"${amount}" if currency == "USD" else f"{amount} {currency}"


def worst(findings: Iterable[Finding], check_id: str) -> Finding | None:
    """The finding that decides a check's status: a FAIL, else PASS, UNKNOWN, N/A."""
    order = (Status.FAIL, Status.PASS, Status.UNKNOWN, Status.NOT_APPLICABLE)
    matching = [f for f in findings if f.check.id == check_id]
    return min(matching, key=lambda f: order.index(f.result.status), default=None)


def joined(*parts: str) -> str:
    """Evidence parts as one line: ``a; b; c`` (each part's final full stop dropped)."""
    return "; ".join(part.strip().rstrip(".") for part in parts if part and part.strip())


def _said(interview: Mapping[str, Any], key: str) -> str:
    state = answer_state(interview, key)
    value = interview.get(key)
    shown = ", ".join(value) if isinstance(value, list) else value
    if state == "answered":
        return f"{key} = {shown or 'none'}"
    return f"{key}: {'not asked' if state == 'not_asked' else 'not known'}"


def size(office: OfficeSize, fit: FitSettings) -> Criterion:
    """Big enough, and not too big: computer users inside the band."""
    users = office.users.value or 0
    if fit.min_users <= users <= fit.max_users:
        met: bool | None = True
    elif users < fit.min_users and not office.users_from_interview:
        met = None  # the scan undercounts: laptops that are away are not seen
    else:
        met = False
    return Criterion("size", f"Big enough ({fit.min_users}–{fit.max_users} computer users)",
                     "size", met, f"{users} computer users ({office.users.source}); the scan "
                     f"saw {office.workstations_seen} PCs")


def server(findings: list[Finding], interview: Mapping[str, Any], office: OfficeSize,
           fit: FitSettings) -> Criterion:
    """A real server present, or needed because the office is too big for peer-to-peer."""
    name = "A real server present or needed (not a peer-to-peer office)"
    finding = worst(findings, "FIT-001")
    status = finding.result.status if finding else None
    apps = answer(interview, "line_of_business_apps") or []
    if status is Status.PASS:
        return Criterion("server", name, "size", True, "; ".join(finding.result.evidence[:4])
                         or finding.result.message, gap=False)
    if status is Status.FAIL:
        users = office.users.value or 0
        apps_note = (f"; ask whether {', '.join(apps)} keep{'s' if len(apps) == 1 else ''} "
                     "data on a PC acting as a server") if apps else ""
        if users >= fit.server_needed_from_users:
            return Criterion("server", name, "size", True, f"no server, but {users} computer "
                             f"users is too many for peer-to-peer (from "
                             f"{fit.server_needed_from_users}): a server, NAS or Microsoft 365 "
                             f"project{apps_note}", gap=True)
        return Criterion("server", name, "size", False,
                         f"peer-to-peer: {finding.result.message}{apps_note}", gap=True)
    reason = finding.result.reason if finding else "FIT-001 did not run"
    return Criterion("server", name, "size", None, f"not assessed ({reason})")


def _need(key: str, name: str, finding: Finding | None, present: str, missing: str
          ) -> Criterion:
    status = finding.result.status if finding else None
    if status is Status.PASS:
        return Criterion(key, name, "need", True, joined(finding.result.message, present),
                         gap=False)
    if status is Status.FAIL:
        return Criterion(key, name, "need", True, joined(finding.result.message, missing),
                         gap=True)
    reason = (finding.result.reason or finding.result.message) if finding else "did not run"
    return Criterion(key, name, "need", None, f"not assessed ({reason})")


def firewall(findings: list[Finding]) -> Criterion:
    """A real firewall is needed: managed if there is one, supplied if there is not."""
    return _need("firewall", "A real firewall needed", worst(findings, "FW-001"),
                 "it still needs firmware updates, monitoring and rule reviews",
                 "a business firewall is a need the plan meets")


def backup(findings: list[Finding], interview: Mapping[str, Any]) -> Criterion:
    """Backup with an offsite copy: what the scan saw and what the owner said."""
    finding = worst(findings, "BAK-001")
    status = finding.result.status if finding else None
    offsite = interview.get("offsite_backup")
    restore = interview.get("last_restore_test")
    parts = [finding.result.message if finding else "backup not scanned",
             f"interview: {_said(interview, 'offsite_backup')}, "
             f"{_said(interview, 'last_restore_test')}"]
    if status not in (Status.PASS, Status.FAIL) and offsite is None:
        return Criterion("backup", "Backup with an offsite copy needed", "need", None,
                         joined(*parts))
    risky = (status is Status.FAIL or offsite in ("no", "dont_know")
             or restore in ("never", "dont_know"))
    sound = status is Status.PASS and offsite == "yes" and restore not in (None, "never",
                                                                           "dont_know")
    gap = True if risky else False if sound else None
    return Criterion("backup", "Backup with an offsite copy needed", "need", True,
                     joined(*parts), gap=gap)


def security(findings: list[Finding], interview: Mapping[str, Any]) -> Criterion:
    """A regulated industry or exposed services call for security emphasis."""
    regulations = [r for r in (answer(interview, "regulation") or []) if r != "none"]
    ran = [f for f in findings if f.check.area == "exposure"
           and f.result.status in (Status.PASS, Status.FAIL)]
    exposed = sorted({f"{f.check.id} ({f.check.title.lower()})" for f in ran
                      if f.result.status is Status.FAIL and not f.muted})
    evidence = joined(
        f"regulated: {', '.join(r.upper() for r in regulations)}" if regulations else
        f"interview: {_said(interview, 'regulation')}",
        f"exposed services: {', '.join(exposed)}" if exposed else
        "no exposed services found" if ran else "exposure not assessed")
    if regulations or exposed:
        met: bool | None = True
    elif interview.get("regulation") == ["none"] and ran:
        met = False
    else:
        met = None
    return Criterion("security", "Security emphasis (regulated data or exposed services)",
                     "need", met, evidence, gap=bool(exposed) if ran else None)


def power(findings: list[Finding], interview: Mapping[str, Any]) -> Criterion:
    """Power protection: a network-managed UPS that can shut the server down cleanly."""
    finding = worst(findings, "PWR-001")
    status = finding.result.status if finding else None
    said = f"interview: {_said(interview, 'ups_devices')}"
    name = "Power protection needed"
    if status is Status.PASS:
        return Criterion("power", name, "need", True, joined(
            finding.result.message, "it needs monitoring and battery tests", said), gap=False)
    if status is Status.FAIL:
        return Criterion("power", name, "need", True, f"No network-managed UPS: nothing can "
                         f"shut the server down cleanly; {said}", gap=True)
    return Criterion("power", name, "need", True if "ups_devices" in interview else None,
                     f"not scanned; {said}")


def complexity(office: OfficeSize, interview: Mapping[str, Any],
               switches_and_aps: int) -> Criterion:
    """Several sites, subnets, remote workers or switches and Wi-Fi to manage."""
    sites, remote = answer(interview, "sites"), answer(interview, "remote_workers")
    signals = [text for condition, text in (
        (sites is not None and sites >= 2, f"{sites} sites"),
        (len(office.subnets) >= 2, f"{len(office.subnets)} subnets with devices"),
        (remote is not None and remote >= 1, f"{remote} remote workers"),
        (switches_and_aps >= 2, f"{switches_and_aps} switches and access points")) if condition]
    name = "LAN/WAN complexity (sites, subnets, VLANs, remote workers)"
    if signals:
        return Criterion("complexity", name, "need", True, ", ".join(signals))
    simple = sites == 1 and remote == 0 and len(office.subnets) <= 1
    return Criterion("complexity", name, "need", False if simple else None,
                     f"{len(office.subnets)} subnet(s) seen; interview: "
                     f"{_said(interview, 'sites')}, {_said(interview, 'remote_workers')}")


def downtime(cost: float | None, source: str, monthly: float | None, currency: str,
             fit: FitSettings) -> Criterion:
    """An hour without IT costs enough to hurt."""
    name = f"Downtime cost high enough to hurt (from {money(fit.min_downtime_cost_per_hour)}/h)"
    if cost is None:
        return Criterion("downtime", name, "need", None, f"not known ({source})")
    day = cost * HOURS_IN_A_WORKING_DAY
    versus = f" = {day / monthly:.1f} months of the plan" if monthly else ""
    return Criterion("downtime", name, "need", cost >= fit.min_downtime_cost_per_hour,
                     f"{money(cost, currency)} an hour ({source}); a day down costs "
                     f"{money(day, currency)}{versus}")


def able_to_pay(plan: Mapping[str, Any] | None, interview: Mapping[str, Any],
                fit: FitSettings) -> Criterion:
    """The recommended plan's price is inside the consultant's target band."""
    name = (f"Able to pay the plan ({money(fit.monthly_min)}–{money(fit.monthly_max)} "
            "a month)")
    total = plan["monthly"]["total"]["value"] if plan else None
    if total is None:
        return Criterion("able_to_pay", name, "means", None, "no plan was priced")
    currency = plan["price_book"]["currency"]
    parts = [f"{plan['tier']['name']} at {money(total, currency)} a month"]
    spend = answer(interview, "monthly_it_spend")
    if spend is not None:
        parts.append(f"they spend about {money(spend, currency)} a month today")
    break_fix = plan["comparison"]["break_fix"]["total"]["value"]
    if break_fix is not None:
        parts.append(f"a year of break/fix is estimated at {money(break_fix, currency)} "
                     "with downtime")
    return Criterion("able_to_pay", name, "means", fit.monthly_min <= total <= fit.monthly_max,
                     joined(*parts))
