"""The price book, the recommended plan, its arithmetic and the traceability of every figure."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from checks.assess import run_checks
from checks.context import Context
from checks.figures import compute, evaluate, tidy
from checks.model import Finding, Severity
from checks.plan import INTERVIEW_NEEDS, recommend
from checks.pricebook import (
    DEFAULT_SOURCE,
    Counting,
    FitSettings,
    PriceBookError,
    load_price_book,
    parse_price_book,
)
from checks.registry import all_checks
from checks.verdict import decide
from scanner.folder import validate
from scanner.model import Inventory, inventory_from_dict

DEFAULT_TOML = (Path(__file__).parents[2] / "checks" / "data" / "pricebook.toml").read_text()


def _host(ip: str, device_class: str, ports: tuple[int, ...] = (), name: str = "",
          gateway: bool = False, default_snmp: bool = False) -> dict[str, Any]:
    third, fourth = (int(part) for part in ip.split(".")[2:])
    return {"ip": ip, "mac": f"02:00:00:00:{third:02x}:{fourth:02x}",
            "hostnames": [name] if name else [], "device_class": device_class,
            "is_gateway": gateway,
            "services": [{"port": port, "protocol": "tcp"} for port in ports],
            "snmp": {"version": "v2c", "community": "public", "default_community": True}
            if default_snmp else None}


def office(pcs: int, *, servers: int = 1, gateway: str = "firewall", nas: bool = True,
           ups: bool = True, rdp_pcs: int = 0, extra: tuple[dict[str, Any], ...] = ()
           ) -> Inventory:
    """A small office LAN: gateway .1, servers .10+, NAS .20, UPS .30, PCs from .100."""
    hosts = [_host("192.168.1.1", gateway, (443,), "gw", gateway=True)]
    hosts += [_host(f"192.168.1.{10 + i}", "server", (445,), f"srv{i}") for i in range(servers)]
    hosts += [_host("192.168.1.20", "nas", (445,), "nas")] if nas else []
    hosts += [_host("192.168.1.30", "ups", (3493,), "ups")] if ups else []
    for i in range(pcs):
        ip = f"192.168.{1 + (100 + i) // 250}.{(100 + i) % 250 + 1}"
        hosts.append(_host(ip, "workstation", (3389,) if i < rdp_pcs else (445,), f"pc{i}"))
    return inventory_from_dict({"schema_version": "1.0", "client": "Test office",
                                "targets": ["192.168.1.0/24"], "gateway": "192.168.1.1",
                                "complete": True, "hosts": hosts + list(extra)})


def assessed(inventory: Inventory, interview: dict[str, Any], book=None
             ) -> tuple[list[Finding], dict[str, Any], dict[str, Any]]:
    """Findings, plan and verdict, as assess() builds them."""
    book = book or load_price_book()
    findings = run_checks(Context(inventory=inventory, interview=interview))
    plan = recommend(inventory, findings, interview, book)
    return findings, plan, decide(findings, interview, inventory, plan, book.fit)


def traced_nodes(node: Any, path: str = "plan") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every traced number (a dict with a "value") in the plan, with its path."""
    if isinstance(node, dict):
        if "value" in node:
            yield path, node
        for key, value in node.items():
            yield from traced_nodes(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from traced_nodes(value, f"{path}[{index}]")


def loose_numbers(node: Any, path: str = "plan") -> Iterator[str]:
    """Paths of numbers that are not the value of a traced dict."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "value" and ("source" in node or "formula" in node):
                continue
            yield from loose_numbers(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from loose_numbers(value, f"{path}[{index}]")
    elif isinstance(node, int | float) and not isinstance(node, bool):
        yield path


# --- the price book ---------------------------------------------------------------------------

def test_the_default_price_book_loads_with_three_tiers_lowest_first() -> None:
    book = load_price_book()
    assert book.source == DEFAULT_SOURCE and book.currency == "USD"
    assert [t.id for t in book.tiers] == ["essentials", "professional", "premium"]
    assert [t.per_user for t in book.tiers] == sorted(t.per_user for t in book.tiers)
    needed = {c.meta.service for c in all_checks()} | {n.service for n in INTERVIEW_NEEDS}
    for lower, higher in zip(book.tiers, book.tiers[1:], strict=False):
        assert set(lower.services) & needed <= set(higher.services), \
            "a higher tier includes every need the lower one meets"
        assert len(higher.services) > len(lower.services)
    assert book.fit == FitSettings() and book.counting == Counting(), \
        "the defaults in code and in the shipped file agree"
    assert book.regulated_minimum_tier == {"hipaa": "professional", "pci": "professional",
                                           "legal": "professional"}


def test_every_check_service_is_sold_and_every_check_has_an_estimate() -> None:
    book = load_price_book()
    sold = {service for tier in book.tiers for service in tier.services}
    for registered in all_checks():
        meta = registered.meta
        assert meta.service in sold, f"{meta.id}: {meta.service!r} is in no tier"
        if meta.severity is not Severity.INFO:  # FIT facts are not fixed by a project
            assert book.project_for(meta.id, meta.service), f"{meta.id} has no project estimate"


def test_a_custom_price_book_by_path(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(DEFAULT_TOML.replace("per_user = 90", "per_user = 95")
                    .replace("monthly_max = 2000", "monthly_max = 5000.5"))
    book = load_price_book(path)
    assert book.source == str(path)
    assert book.tier("professional").per_user == 95 and book.fit.monthly_max == 5000.5


MINIMAL = """
name = "Solo"
currency = "EUR"
[tiers.only]
name = "Only"
per_user = 50
per_server = 100
per_network_device = 5
site_minimum = 0
onsite_hours_per_month = 1
services = ["Patch management"]
[projects]
hourly_rate = 100
[onboarding]
title = "Onboarding"
base_hours = 0
hours_per_user = 0
hours_per_server = 0
hours_per_network_device = 0
[break_fix]
hourly_rate = 120
incidents_per_user_per_year = 1
hours_per_incident = 1
downtime_hours_per_incident = 1
site_outages_per_year = 0
downtime_hours_per_site_outage = 0
[flat_rate]
downtime_hours_per_incident = 0
downtime_hours_per_site_outage = 0
"""


def test_a_minimal_price_book_takes_the_documented_defaults() -> None:
    book = parse_price_book(MINIMAL, "solo.toml")
    assert book.fit == FitSettings() and book.counting == Counting()
    assert book.regulated_minimum_tier == {} and dict(book.check_projects) == {}


@pytest.mark.parametrize(("change", "expected"), [
    (("per_user = 50\n", ""), "key tiers.only.per_user: missing"),
    (("per_user = 50", "per_user = -5"), "key tiers.only.per_user: expected a number, 0 or more"),
    (("per_user = 50", 'per_user = "fifty"'), "key tiers.only.per_user: expected a number"),
    (("per_user = 50", "per_user = 50\ncolour = 'blue'"), "key tiers.only.colour: unknown key"),
    (('currency = "EUR"', 'currency = "EUR"\nvat = 20'), "key vat: unknown key"),
    (('services = ["Patch management"]', "services = []"),
     "key tiers.only.services: expected a non-empty list"),
    (("[tiers.only]", "[tiers.only]\n[tiers.other]\nname = 'x'\n[tiers.only]"),
     "not valid TOML"),
    (("[projects]\nhourly_rate = 100", "[projects]\nhourly_rate = 100\n[projects.checks.FW-001]"
      "\ntitle = 'x'\nhours = 1\nper = 'office'"),
     "key projects.checks.FW-001.per: expected one of: site, device"),
    (("[projects]\nhourly_rate = 100", "[projects]\nhourly_rate = 100\n[projects.checks.FW001]"
      "\ntitle = 'x'\nhours = 1\nper = 'site'"),
     "key projects.checks.FW001: not a check ID"),
    (("[flat_rate]", "[rules.regulated_minimum_tier]\nhipaa = 'gold'\n[flat_rate]"),
     "key rules.regulated_minimum_tier.hipaa: no tier 'gold'"),
    (("[flat_rate]", "[rules.regulated_minimum_tier]\nsox = 'only'\n[flat_rate]"),
     "key rules.regulated_minimum_tier.sox: unknown regulation"),
    (("[flat_rate]", "[fit]\nmin_users = 50\nmax_users = 20\n[flat_rate]"),
     "key fit.min_users: must not be above max_users"),
    (("[flat_rate]", "[fit]\nmin_users = 10.5\n[flat_rate]"),
     "key fit.min_users: expected a whole number"),
    (("[flat_rate]", "[counting]\nserver_classes = ['mainframe']\n[flat_rate]"),
     "key counting.server_classes: unknown device class 'mainframe'"),
    (("[break_fix]", "[breakfix]"), "key break_fix: missing"),
    (("hourly_rate = 120\n", "hourly_rate = inf\n"), "key break_fix.hourly_rate: expected a "),
])
def test_a_bad_price_book_gets_one_line_naming_file_and_key(change: tuple[str, str],
                                                            expected: str) -> None:
    old, new = change
    assert old in MINIMAL
    with pytest.raises(PriceBookError) as error:
        parse_price_book(MINIMAL.replace(old, new, 1), "solo.toml")
    message = str(error.value)
    assert message.startswith("solo.toml: ") and "\n" not in message
    assert expected in message


def test_a_missing_price_book_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(PriceBookError, match="nope.toml: file not found"):
        load_price_book(tmp_path / "nope.toml")


# --- the tier and the price for three office sizes -------------------------------------------

PEER_TO_PEER = (office(5, servers=0, gateway="router", nas=False, ups=False),
                {"computer_users": 6, "regulation": ["none"]})
SWEET_SPOT = (office(15, rdp_pcs=1), {"computer_users": 15, "regulation": ["none"],
                                      "offsite_backup": "yes", "last_restore_test": "2026-09-01",
                                      "downtime_cost_per_hour": 900})
LARGE = (office(120, servers=3), {"computer_users": 150, "regulation": ["legal"]})


@pytest.mark.parametrize(("case", "tier", "total", "needs"), [
    # router at the gateway, no backup, no UPS: firewall and backup need Professional; the
    # price is the site minimum (6 × 90 + 1 × 15 = 555 < 1,000).
    (PEER_TO_PEER, "professional", 1000, {"Managed firewall", "Backup with offsite copy",
                                          "Power protection monitoring",
                                          "Server and domain management"}),
    # RDP open on one PC, and one flat network with no managed switch seen: Essentials.
    # 15 × 60 + 1 × 125 + 3 × 10 = 1,055.
    (SWEET_SPOT, "essentials", 1055, {"Security hardening", "Network device management"}),
    # only the flat network failed, but a law firm: the regulated rule lifts it to
    # Professional. 150 × 90 + 3 × 150 + 3 × 15 = 13,995.
    (LARGE, "professional", 13995, {"Network device management"}),
])
def test_tier_and_price_for_three_office_sizes(case: tuple[Inventory, dict[str, Any]],
                                               tier: str, total: float, needs: set[str]) -> None:
    inventory, interview = case
    _findings, plan, _verdict = assessed(inventory, interview)
    assert plan["tier"]["id"] == tier
    assert plan["monthly"]["total"]["value"] == total
    assert {need["service"] for need in plan["needs"]} == needs
    assert plan["monthly"]["minimum_applied"] is (case is PEER_TO_PEER)


def test_the_regulated_rule_is_a_stated_reason() -> None:
    _findings, plan, _verdict = assessed(*LARGE)
    considered = {c["tier"]: c for c in plan["tier"]["considered"]}
    assert considered["essentials"] == {"tier": "essentials", "includes_needs": True,
                                        "missing": [], "meets_rules": False}
    assert any("LEGAL: at least Professional" in r for r in plan["tier"]["reasons"])


def test_interview_answers_are_needs_too() -> None:
    inventory, interview = SWEET_SPOT
    _f, plan, _v = assessed(inventory, {**interview, "offsite_backup": "dont_know",
                                        "email_platform": "google", "cloud_backup": "no"})
    assert plan["tier"]["id"] == "professional"
    because = {need["service"]: need["because"] for need in plan["needs"]}
    assert because["Backup with offsite copy"] == [
        "BAK-002: No offsite copy of the backups is confirmed",
        "interview: offsite_backup = dont_know (no offsite copy anyone can vouch for)"]
    assert "Cloud data backup (Microsoft 365 / Google)" in because


def test_a_service_no_tier_sells_is_listed_not_hidden() -> None:
    book = parse_price_book(MINIMAL, "solo.toml")
    _f, plan, _v = assessed(*PEER_TO_PEER, book=book)
    assert plan["tier"]["id"] == "only"
    assert {u["service"] for u in plan["uncovered_services"]} >= {"Managed firewall"}
    assert {n["check_id"] for n in plan["projects"]["not_estimated"]} >= {"FW-001", "BAK-001"}


# --- the arithmetic, exactly --------------------------------------------------------------------

ARITHMETIC = MINIMAL.replace("site_outages_per_year = 0", "site_outages_per_year = 2").replace(
    "[flat_rate]\ndowntime_hours_per_incident = 0\ndowntime_hours_per_site_outage = 0",
    "[flat_rate]\ndowntime_hours_per_incident = 0.5\ndowntime_hours_per_site_outage = 2").replace(
    "downtime_hours_per_site_outage = 0\n[flat", "downtime_hours_per_site_outage = 6\n[flat"
).replace("base_hours = 0", "base_hours = 4").replace("hours_per_user = 0",
                                                      "hours_per_user = 0.5").replace(
    "[projects]\nhourly_rate = 100", "[projects]\nhourly_rate = 100\n"
    "[projects.checks.SEC-004]\ntitle = 'Close RDP'\nhours = 0.75\nper = 'device'\n"
    "[projects.checks.FW-001]\ntitle = 'Firewall'\nhours = 5\nper = 'site'\nhardware = 800")


def test_the_arithmetic_exactly() -> None:
    book = parse_price_book(ARITHMETIC, "arith.toml")
    inventory = office(12, servers=2, gateway="router", rdp_pcs=2)
    interview = {"computer_users": 12, "downtime_cost_per_hour": 600, "monthly_it_spend": 400}
    _f, plan, _v = assessed(inventory, interview, book)
    value = {path: node["value"] for path, node in traced_nodes(plan)}
    # 12 users × 50 + 2 servers × 100 + 3 devices (router, nas, ups) × 5 = 815
    assert [item["amount"]["value"] for item in plan["monthly"]["line_items"]] == [600, 200, 15]
    assert plan["monthly"]["total"]["value"] == 815
    # FW-001: 5 h × 100 + 800 hardware; SEC-004 on 2 PCs: 2 × 0.75 h × 100
    items = {item["check_id"]: item for item in plan["projects"]["items"]}
    assert (items["FW-001"]["hours"]["value"], items["FW-001"]["cost"]["value"]) == (5, 1300)
    assert (items["SEC-004"]["hours"]["value"], items["SEC-004"]["cost"]["value"]) == (1.5, 150)
    assert plan["projects"]["hours"]["value"] == 6.5 and plan["projects"]["cost"]["value"] == 1450
    # the minimal book prices no network projects: listed, never priced at zero
    assert {n["check_id"] for n in plan["projects"]["not_estimated"]} == {"NET-001", "NET-003"}
    # onboarding: (4 + 12 × 0.5) h × 100 = 1,000
    assert plan["onboarding"]["hours"]["value"] == 10
    assert plan["onboarding"]["cost"]["value"] == 1000
    c = plan["comparison"]
    # break/fix: 12 incidents × 1 h × 120 = 1,440; 12 × 1 h × (600 ÷ 12) = 600; 2 × 6 × 600
    assert c["break_fix"]["incidents"]["value"] == 12
    assert c["break_fix"]["labour"]["value"] == 1440
    assert c["break_fix"]["person_hour_cost"]["value"] == 50
    assert c["break_fix"]["incident_downtime"]["value"] == 600
    assert c["break_fix"]["outage_downtime"]["value"] == 7200
    assert c["break_fix"]["total"]["value"] == 9240
    # flat rate: 815 × 12 + 1,000 onboarding + 12 × 0.5 × 50 + 2 × 2 × 600
    assert c["flat_rate"]["fees"]["value"] == 9780
    assert c["flat_rate"]["incident_downtime"]["value"] == 300
    assert c["flat_rate"]["outage_downtime"]["value"] == 2400
    assert c["flat_rate"]["total"]["value"] == 13480
    assert c["savings"]["value"] == 9240 - 13480
    assert c["flat_rate"]["total_later_years"]["value"] == 13480 - 1000
    assert c["savings_later_years"]["value"] == 9240 - 12480
    assert c["fees_over_labour"]["value"] == 9780 + 1000 - 1440
    assert c["current_spend_per_year"]["value"] == 4800
    assert value["plan.comparison.savings"] == -4240


def test_the_interview_hourly_rate_replaces_the_price_book_rate() -> None:
    book = parse_price_book(ARITHMETIC, "arith.toml")
    _f, plan, _v = assessed(office(12), {"computer_users": 12, "hourly_rate_paid": 90}, book)
    labour = plan["comparison"]["break_fix"]["labour"]
    assert labour["value"] == 12 * 1 * 90
    assert labour["inputs"]["hourly_rate"]["source"] == "interview: hourly_rate_paid"


def test_downtime_from_revenue_and_unknown_downtime() -> None:
    _f, plan, _v = assessed(office(12), {"computer_users": 12, "annual_revenue": 2_080_000})
    downtime = plan["inputs"]["downtime_cost_per_hour"]
    assert downtime["value"] == 1000 and downtime["worked"] == "2080000 ÷ 2080"
    _f, plan, _v = assessed(office(12), {"computer_users": 12,
                                         "downtime_cost_per_hour": "dont_know"})
    c = plan["comparison"]
    assert c["break_fix"]["total"]["value"] is None and c["savings"]["value"] is None
    assert c["break_fix"]["person_hour_cost"]["note"] == \
        "unknown: downtime_cost_per_hour not known"
    assert c["fees_over_labour"]["value"] is not None, "fees still compare"


# --- traceability -------------------------------------------------------------------------------

@pytest.mark.parametrize("case", [PEER_TO_PEER, SWEET_SPOT, LARGE], ids=["small", "sweet", "large"])
def test_every_figure_has_its_inputs_and_recomputes(case: tuple[Inventory, dict]) -> None:
    _f, plan, _v = assessed(*case)
    assert list(loose_numbers(plan)) == [], "every number in the plan is traced"
    nodes = list(traced_nodes(plan))
    assert len(nodes) > 50
    for path, node in nodes:
        if "source" in node:
            assert node["source"].strip(), path
            assert re.match(r"(interview|scan|price book|findings|sitewalk|tiers|projects)\b",
                            node["source"]) or node["source"].startswith("projects."), path
            continue
        assert "formula" in node and "inputs" in node, path
        values = {name: item["value"] for name, item in node["inputs"].items()}
        assert set(re.findall(r"[A-Za-z_]\w*", node["formula"])) - {"max", "min"} <= set(values)
        if node["value"] is not None:
            assert tidy(evaluate(node["formula"], values)) == node["value"], path


def test_the_plan_and_verdict_validate_against_the_findings_schema() -> None:
    for case in (PEER_TO_PEER, SWEET_SPOT, LARGE):
        _f, plan, verdict = assessed(*case)
        document = {"schema_version": "1.0", "client": "x", "findings": [], "checks": [],
                    "scores": {"overall": {"score": None, "band": "", "assessed": 0,
                                           "failed": 0}, "areas": {}, "weights": {},
                               "bands": []},
                    "verdict": verdict, "plan": plan}
        validate(json.loads(json.dumps(document)), "checks", "findings.schema.json",
                 Path("findings.json"))


def test_compute_refuses_anything_but_arithmetic() -> None:
    with pytest.raises(ValueError):
        evaluate("__import__('os')", {})
    assert compute("a / b", a=compute("0"), b=compute("0")).value is None
