"""The sweet-spot verdict, table-driven: size, server, needs, price band and missing answers."""

from __future__ import annotations

from typing import Any

import pytest

from checks.model import CheckMeta, Finding, Result, Severity, Status
from checks.pricebook import FitSettings
from checks.verdict import decide
from scanner.model import Inventory
from tests.unit.test_plan import assessed, office

CRITERIA_KEYS = ["size", "server", "firewall", "backup", "security", "power", "complexity",
                 "downtime", "able_to_pay"]


def _finding(check_id: str, status: Status, reason: str = "") -> Finding:
    meta = CheckMeta(id=check_id, title="t", severity=Severity.INFO, risk="r",
                     remediation=("x",), service="s")
    return Finding(check=meta, result=Result(status, "m", reason=reason))


SERVER = _finding("FIT-001", Status.PASS)
NO_SERVER = _finding("FIT-001", Status.FAIL)


@pytest.mark.parametrize(("findings", "interview", "pcs", "verdict"), [
    ([NO_SERVER], {}, 4, "too_small"),                         # peer-to-peer office
    ([NO_SERVER], {"computer_users": 14}, 14, "too_small"),    # peer-to-peer, in the band
    ([NO_SERVER], {"computer_users": 25}, 20, "sweet_spot"),   # too big for peer-to-peer
    ([SERVER], {"computer_users": 6}, 6, "too_small"),         # a server, but six users
    ([SERVER], {"employees": 35}, 20, "sweet_spot"),           # no plan: price does not decide
    ([SERVER], {"computer_users": 250}, 180, "too_large"),
    ([SERVER], {}, 3, "need_more_information"),                # scan alone undercounts
    ([SERVER], {}, 40, "need_more_information"),               # a lower bound is no headcount
    ([SERVER], {}, 140, "too_large"),                          # undercount and still too many
    ([_finding("FIT-001", Status.UNKNOWN, "scan timed out")], {"computer_users": 20}, 20,
     "need_more_information"),
    ([], {}, 0, "need_more_information"),                      # nothing scanned, nothing asked
])
def test_verdict_without_a_plan(findings: list[Finding], interview: dict, pcs: int,
                                verdict: str) -> None:
    inventory = office(pcs, servers=0, nas=False, ups=False) if pcs else \
        Inventory(client="x", targets=("192.168.1.0/24",))
    decided = decide(findings, interview, inventory)
    assert decided["verdict"] == verdict, decided["reasons"]
    assert decided["reasons"] and decided["would_change"]
    assert [c["key"] for c in decided["criteria"]] == CRITERIA_KEYS


DENTAL = {"computer_users": 18, "regulation": ["hipaa"], "downtime_cost_per_hour": 1800,
          "sites": 1, "remote_workers": 2, "current_support": "break_fix",
          "offsite_backup": "no", "last_restore_test": "never"}


@pytest.mark.parametrize(("inventory", "interview", "verdict", "reason"), [
    # peer-to-peer: six PCs behind a consumer router
    (office(6, servers=0, gateway="router", nas=False, ups=False), {"computer_users": 6},
     "too_small", "below the 10-user band"),
    (office(12, servers=0, gateway="router", nas=False, ups=False), {"computer_users": 12},
     "too_small", "peer-to-peer"),
    # the dental practice: Professional at 18 × 90 + 150 + 3 × 15 = 1,815 a month
    (office(16), DENTAL, "sweet_spot", "inside the $1,000–$2,000 target"),
    # ten users, nothing wrong: Essentials at 10 × 60 + 125 + 3 × 10 = 755, below the band
    (office(10), {"computer_users": 10, "regulation": ["none"], "offsite_backup": "yes",
                  "last_restore_test": "2026-10-10"}, "too_small", "below the $1,000"),
    # 30 users: Professional at 30 × 90 + … is above the $2,000 band
    (office(30), {**DENTAL, "computer_users": 30}, "too_large", "above the $1,000–$2,000"),
    (office(60, servers=4), {"computer_users": 140}, "too_large", "above the 100-user band"),
    # no interview: the scan saw eight PCs
    (office(8), {}, "need_more_information", "laptops that are away"),
])
def test_verdict_table(inventory: Inventory, interview: dict[str, Any], verdict: str,
                       reason: str) -> None:
    _findings, plan, decided = assessed(inventory, interview)
    assert decided["verdict"] == verdict, decided["reasons"]
    assert reason in " ".join(decided["reasons"])
    assert decided["label"] and decided["would_change"]
    for criterion in decided["criteria"]:
        assert criterion["name"] and criterion["evidence"] and criterion["kind"]
        assert criterion["met"] in (True, False, None)


def test_a_missing_firewall_or_backup_is_a_need_the_plan_meets_not_a_strike() -> None:
    with_gear = assessed(office(16), DENTAL)[2]
    without = assessed(office(16, gateway="router", nas=False, ups=False), DENTAL)[2]
    criteria = {c["key"]: c for c in without["criteria"]}
    for key in ("firewall", "backup", "power"):
        assert criteria[key]["met"] is True and criteria[key]["gap"] is True, key
    assert {c["key"]: c["gap"] for c in with_gear["criteria"]}["firewall"] is False
    assert without["verdict"] == with_gear["verdict"] == "sweet_spot"
    assert "Gaps the plan closes: a business firewall; a verified offsite backup" in \
        " ".join(without["reasons"])


def test_downtime_and_complexity_criteria() -> None:
    decided = assessed(office(16), {**DENTAL, "downtime_cost_per_hour": 100,
                                    "remote_workers": 0})[2]
    criteria = {c["key"]: c for c in decided["criteria"]}
    assert criteria["downtime"]["met"] is False
    assert criteria["complexity"]["met"] is False
    assert "Weak points of the case" in " ".join(decided["reasons"])
    assert decided["verdict"] == "sweet_spot", "weak points inform, they do not overturn"
    unknown = {c["key"]: c for c in assessed(office(16), {"computer_users": 18})[2]["criteria"]}
    assert unknown["downtime"]["met"] is None and unknown["complexity"]["met"] is None


def test_missing_answers_are_listed_to_confirm() -> None:
    decided = assessed(office(16), {"computer_users": 18, "offsite_backup": "dont_know"})[2]
    confirm = " ".join(decided["to_confirm"])
    assert "(offsite_backup: not known)" in confirm and "(regulation: not asked)" in confirm
    assert "computer_users" not in confirm


def test_the_bands_are_configurable() -> None:
    inventory, interview = office(30), {**DENTAL, "computer_users": 30}
    _f, plan, _v = assessed(inventory, interview)
    wide = FitSettings(monthly_max=5000)
    findings = assessed(inventory, interview)[0]
    decided = decide(findings, interview, inventory, plan, wide)
    assert decided["verdict"] == "sweet_spot"
    assert decided["settings"]["monthly_max"] == 5000
    narrow = decide(findings, interview, inventory, plan, FitSettings(max_users=25))
    assert narrow["verdict"] == "too_large"
