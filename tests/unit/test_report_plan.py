"""The recommendation chapter: the priced plan of the sample, its chart, workings and signature.

The sample's ``findings.json`` is made by the real ``checks.assess.assess`` (see the fixture's
README and ``regenerate.py``), so expected amounts are read from its ``plan`` rather than
written down here: the tests keep working when the checks or the price book change and the
sample is regenerated.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import math
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from reports.branding import load_branding
from reports.money import evaluate
from reports.render import render_html, render_pdf
from reports.viewmodel import build_view_model

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "fixtures" / "report-sample"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=http://192.0.2.1/x.png>"
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler-utils (pdftotext) is not installed")


def load(name: str) -> dict[str, Any]:
    return json.loads((SAMPLE / name).read_text(encoding="utf-8"))


def dollars(value: float) -> str:
    """How the body of the report prints a USD amount."""
    return f"−${abs(value):,.0f}" if value < 0 else f"${value:,.0f}"


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def view_of(findings: dict[str, Any], branding: dict[str, Any] | None = None):
    return build_view_model(load("inventory.json"), findings, branding)


@pytest.fixture(scope="module")
def findings() -> dict[str, Any]:
    return load("findings.json")


@pytest.fixture(scope="module")
def plan(findings) -> dict[str, Any]:
    return findings["plan"]


@pytest.fixture(scope="module")
def view(findings):
    return view_of(findings, load_branding(SAMPLE / "branding.toml"))


@pytest.fixture(scope="module")
def pdf_text(view, tmp_path_factory) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    output = tmp_path_factory.mktemp("plan") / "report.pdf"
    render_pdf(view, output)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(output), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_sample_findings_are_what_the_real_assessment_makes() -> None:
    """The sample is consistent: re-assessing its inventory and interview gives the same file.

    When this fails after a change to the checks, the plan or the price book, regenerate it:
    ``.venv/bin/python tests/fixtures/report-sample/regenerate.py``.
    """
    spec = importlib.util.spec_from_file_location("regenerate", SAMPLE / "regenerate.py")
    regenerate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(regenerate)
    fresh = regenerate.serialise(regenerate.assessment())
    assert fresh == (SAMPLE / "findings.json").read_text(encoding="utf-8"), (
        "tests/fixtures/report-sample/findings.json is out of date: run "
        ".venv/bin/python tests/fixtures/report-sample/regenerate.py")


def test_plan_view_prices_the_sample(view, plan) -> None:
    offer = view.plan
    assert offer.priced and offer.tier_name == plan["tier"]["name"]
    assert offer.monthly == dollars(plan["monthly"]["total"]["value"])
    assert [line.item for line in offer.line_items] == [
        item["item"] for item in plan["monthly"]["line_items"]]
    users = plan["monthly"]["line_items"][0]["amount"]["inputs"]
    assert offer.line_items[0].working == (
        f"{users['users']['value']} × {dollars(users['per_user']['value'])}")
    assert offer.services == tuple(plan["tier"]["services"])
    assert offer.onboarding_cost == dollars(plan["onboarding"]["cost"]["value"])
    assert offer.projects_cost == dollars(plan["projects"]["cost"]["value"])
    estimated = [line for line in offer.projects if line.estimated]
    assert [line.check_id for line in estimated] == [
        item["check_id"] for item in plan["projects"]["items"]]
    assert all(line.anchor == f"issue-{line.check_id.lower()}" for line in estimated)
    assert not any("price book:" in reason for reason in offer.reasons)  # appendix only
    years = offer.comparison
    assert years.break_fix_total == dollars(plan["comparison"]["break_fix"]["total"]["value"])
    assert years.flat_rate_total == dollars(plan["comparison"]["flat_rate"]["total"]["value"])


def test_fit_criteria_are_not_one_time_work(view, plan, findings) -> None:
    """A failed fit criterion (support bought by the hour) describes the business: no fix."""
    areas = {check["id"]: check["area"] for check in findings["checks"]}
    listed = {line.check_id for line in view.plan.projects}
    for item in plan["projects"]["not_estimated"]:
        assert (item["check_id"] in listed) == (areas[item["check_id"]] != "fit")


def test_chart_bars_are_drawn_to_scale(view, plan) -> None:
    chart = view.plan.comparison.chart
    comparison = plan["comparison"]
    totals = [comparison["break_fix"]["total"]["value"], comparison["flat_rate"]["total"]["value"],
              comparison["flat_rate"]["total_later_years"]["value"]]
    widths = [sum(segment.width for segment in bar.segments) for bar in chart.bars]
    for total, width in zip(totals, widths, strict=True):
        assert width / widths[0] == pytest.approx(total / totals[0], rel=1e-3)
    assert [bar.total for bar in chart.bars] == [dollars(total) for total in totals]
    assert all(bar.total_x < chart.width - 60 for bar in chart.bars)
    assert chart.ticks[0].label == "$0" and chart.ticks[-1].x == pytest.approx(chart.plot_right)
    assert [bar.emphasis for bar in chart.bars] == [False, True, False]


def _as_arithmetic(worked: str) -> str:
    """A printed working back to arithmetic: "the larger of a and b" is max(a, b)."""
    return re.sub(r"the (larger|smaller) of (.+?) and (.+?)$",
                  lambda m: f"{'max' if m.group(1) == 'larger' else 'min'}({m.group(2)}, "
                            f"{m.group(3)})", worked)


def test_every_printed_working_adds_up_to_its_result(view) -> None:
    shown = 0
    for group in view.plan.workings:
        for row in group.rows:
            if not row.worked:
                continue
            shown += 1
            value = evaluate(_as_arithmetic(row.worked))
            result = float(re.sub(r"[^\d.−-]", "", row.result.split(" ")[0]).replace("−", "-"))
            assert value == pytest.approx(result, abs=0.011), (group.title, row.label)
    assert shown >= 20


def test_a_working_that_does_not_add_up_is_not_printed(findings) -> None:
    tampered = copy.deepcopy(findings)
    tampered["plan"]["monthly"]["total"]["value"] = 9999
    rows = {row.label: row for group in view_of(tampered).plan.workings for row in group.rows}
    assert rows["Monthly price"].worked == "" and rows["Monthly price"].result == "$9,999"
    assert rows["Subtotal"].worked != ""


def test_html_has_the_chapter_an_inline_chart_and_no_script(view, plan) -> None:
    html = render_html(view)
    assert "<script" not in html.lower()
    chart = re.search(r'<svg class="year-chart".*?</svg>', html, re.S).group()
    assert chart.count("<rect") >= 8 and "Break/fix, as today" in chart
    assert 'id="offer"' in html and 'id="pricing"' in html and 'href="#pricing"' in html
    assert f"The {plan['tier']['name']} plan" in html


@needs_poppler
def test_pdf_shows_tier_price_year_totals_and_signature(pdf_text, plan) -> None:
    text = squash(pdf_text)
    comparison = plan["comparison"]
    assert "Our recommendation" in text
    assert f"{plan['tier']['name']} plan" in text
    assert f"{dollars(plan['monthly']['total']['value'])} a month" in text
    assert dollars(comparison["break_fix"]["total"]["value"]) in text
    assert dollars(comparison["flat_rate"]["total"]["value"]) in text
    assert "Break/fix, as today" in text and "Flat rate, first year" in text
    assert "How we estimated this" in text
    assert "Dana Reyes" in text and "Name and title" in text
    assert "How the recommendation was priced" in text
    users = plan["inputs"]["users"]["value"]
    per_user = plan["monthly"]["line_items"][0]["amount"]["inputs"]["per_user"]["value"]
    assert f"users × per user = {users} × {per_user}" in text  # a working, in the appendix


@needs_poppler
def test_executive_summary_names_the_proposal(pdf_text, view) -> None:
    summary = squash(pdf_text.split("\f")[2])
    assert summary.startswith("Executive summary")
    assert f"{view.plan.summary} (section 3)" in summary


def test_projects_without_an_estimate_are_shown_as_not_estimated(findings) -> None:
    changed = copy.deepcopy(findings)
    projects = changed["plan"]["projects"]
    moved = projects["items"].pop(0)
    projects["not_estimated"].append({"check_id": moved["check_id"], "finding": moved["finding"],
                                      "service": moved["service"], "reason": "no entry"})
    view = view_of(changed)
    line = next(line for line in view.plan.projects if line.check_id == moved["check_id"])
    assert not line.estimated and line.cost == "" and "Not estimated" in line.note
    html = render_html(view)
    assert "not estimated yet)" in html and "Not estimated yet: we quote it" in html


def test_unknown_downtime_compares_the_fees_only(findings) -> None:
    changed = copy.deepcopy(findings)
    comparison = changed["plan"]["comparison"]
    for model in ("break_fix", "flat_rate"):
        for key, figure in comparison[model].items():
            if "downtime" in key or key.startswith("total") or key == "person_hour_cost":
                figure["value"] = None
    for key in ("savings", "savings_later_years"):
        comparison[key]["value"] = None
    changed["plan"]["inputs"]["downtime_cost_per_hour"] = {
        "value": None, "unit": "per hour", "source": "interview: downtime_cost_per_hour"}
    offer = view_of(changed).plan
    assert not offer.comparison.downtime_known
    assert offer.comparison.headline.startswith("We could not put a price on downtime")
    colors = {segment.color for bar in offer.comparison.chart.bars for segment in bar.segments}
    assert "#e58a2e" not in colors and "#b8322a" not in colors
    assert any("not known" in line for line in offer.comparison.assumptions)


def test_a_plan_that_costs_more_says_so(findings) -> None:
    changed = copy.deepcopy(findings)
    changed["plan"]["comparison"]["savings"]["value"] = -2917.5
    changed["plan"]["comparison"]["savings_later_years"]["value"] = -420
    headline = view_of(changed).plan.comparison.headline
    assert "$2,918 more a year" in headline and "$420 more in later years" in headline
    assert "predictable costs" in headline


@pytest.mark.parametrize("plan_value", [None, "plan", [], {}, {"tier": "gold"}])
def test_a_missing_or_unreadable_plan_says_none_was_priced(findings, plan_value) -> None:
    changed = copy.deepcopy(findings)
    if plan_value is None:
        changed.pop("plan")
    else:
        changed["plan"] = plan_value
    view = view_of(changed)
    assert not view.plan.priced and view.plan.heading == "No plan was priced"
    html = render_html(view)
    assert "No plan was priced for this assessment" in html and 'id="pricing"' not in html


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), 1e300, -5e15, "1695", True])
def test_damaged_amounts_are_unknown_never_drawn_wild(findings, bad) -> None:
    changed = copy.deepcopy(findings)
    changed["plan"]["monthly"]["total"]["value"] = bad
    changed["plan"]["comparison"]["break_fix"]["labour"]["value"] = bad
    changed["plan"]["comparison"]["flat_rate"]["fees"]["value"] = bad
    offer = view_of(changed).plan
    assert offer.monthly == "not known"
    chart = offer.comparison.chart
    numbers = [value for bar in chart.bars for segment in bar.segments
               for value in (segment.x, segment.width)] + [bar.total_x for bar in chart.bars]
    assert all(math.isfinite(n) and 0 <= n <= chart.width for n in numbers)
    render_html(view_of(changed))


def test_hostile_plan_strings_stay_text(findings) -> None:
    changed = copy.deepcopy(findings)
    plan = changed["plan"]
    plan["tier"]["name"] = SCRIPT
    plan["tier"]["services"][0] = IMG
    plan["tier"]["reasons"].append(IMG + "{client}")
    plan["monthly"]["line_items"][0]["item"] = IMG
    plan["price_book"]["currency"] = "<b>EUR</b>"
    if plan["projects"]["items"]:
        plan["projects"]["items"][0]["title"] = "A" * 5000
    html = render_html(view_of(changed))
    assert SCRIPT not in html and "<img src=http" not in html and "<b>EUR" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; plan" in html
    assert "{client}" in html  # a brace from the file is text, never a format field
    assert "A" * 300 not in html
