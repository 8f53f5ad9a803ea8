"""Every check against its pass/fail fixtures, and the metadata contract of the catalogue."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from checks.context import Context
from checks.model import FAMILY_AREA, Severity, Status
from checks.registry import all_checks
from scanner.directory.model import directory_from_dict
from scanner.model import inventory_from_dict

FIXTURES = Path(__file__).parent / "fixtures"
CHECKS = {c.meta.id: c for c in all_checks()}
CASES = sorted(FIXTURES.glob("*/*.json"))


def _context(case: dict) -> Context:
    inventory = inventory_from_dict({"schema_version": "1.1", "client": "Fixture",
                                     "targets": ["192.168.1.0/24"], "complete": True,
                                     "finished_at": case.get("finished_at",
                                                             "2026-11-20T10:00:00+00:00"),
                                     "gateway": case["gateway"], "hosts": case["hosts"],
                                     "wan_view": case.get("wan_view"),
                                     "segment": case.get("segment")})
    directory = directory_from_dict(case["directory"]) if case.get("directory") else None
    params = {"now": datetime.fromisoformat(case["now"])} if case.get("now") else {}
    return Context(inventory=inventory, interview=case.get("interview", {}),
                   directory=directory, params=params)


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_check_fixture(path: Path) -> None:
    case = json.loads(path.read_text())
    registered = CHECKS[path.parent.name]
    results = list(registered.run(_context(case)))
    got = sorted((r.status.value, r.ip or "") for r in results)
    want = sorted((e["status"], e["ip"] or "") for e in case["expected"])
    assert got == want, case["description"]
    for result in results:
        if result.status is Status.UNKNOWN:
            assert result.reason, "UNKNOWN must say why"
        if result.status is Status.FAIL:
            assert result.evidence, "a FAIL must carry evidence"


@pytest.mark.parametrize("check_id", sorted(CHECKS))
def test_every_check_has_pass_and_fail_fixtures(check_id: str) -> None:
    outcomes = {p.stem.split("-")[0] for p in (FIXTURES / check_id).glob("*.json")}
    assert {"pass", "fail"} <= outcomes, f"{check_id} needs pass and fail fixtures"


def test_fixture_folders_name_real_checks() -> None:
    assert {p.name for p in FIXTURES.iterdir() if p.is_dir()} <= set(CHECKS)


@pytest.mark.parametrize("check_id", sorted(CHECKS))
def test_metadata_contract(check_id: str) -> None:
    meta = CHECKS[check_id].meta
    family, number = meta.id.split("-")
    assert family in FAMILY_AREA and re.fullmatch(r"\d{3}", number)
    assert meta.title and not meta.title.lower().startswith("ensure")
    assert isinstance(meta.severity, Severity)
    assert len(meta.risk) >= 60, "risk is written for the business owner, in sentences"
    assert meta.remediation and all(step.strip() for step in meta.remediation)
    assert meta.service
    assert meta.references and all(r.startswith("https://") for r in meta.references)
    assert CHECKS[check_id].run.__doc__, "the docstring documents what the check looks at"


def test_the_published_catalogue_is_generated_from_the_metadata() -> None:
    from checks.catalogue import catalogue_markdown

    published = Path(__file__).parents[2] / "docs" / "checks.md"
    assert published.read_text() == catalogue_markdown(all_checks()), \
        "regenerate: sitewalk checks list --markdown > docs/checks.md"
    assert len(CHECKS) >= 40


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("AD-*/*.json")),
                         ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_ad_fixtures_are_valid_directory_documents(path: Path) -> None:
    from scanner.folder import validate

    case = json.loads(path.read_text())
    if case.get("directory"):
        validate(case["directory"], "scanner", "directory.schema.json", path)
