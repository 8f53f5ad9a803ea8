"""The lifecycle table and the Windows support API (checks/lifecycle)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from checks.lifecycle.model import SupportVerdict, add_months, status_for
from checks.lifecycle.table import (
    BUNDLED_TABLE,
    data_date,
    find_cycle,
    load_table,
    stale_warning,
    support,
    support_of_cycle,
)
from checks.lifecycle.windows import edition_class, parse_build, windows_support

DAY = datetime.date(2026, 12, 4)
STATUSES = {"supported", "ending_soon", "ended", "unknown"}


def test_bundled_table_carries_provenance_and_licence() -> None:
    raw = json.loads(BUNDLED_TABLE.read_text())
    provenance = raw["provenance"]
    assert provenance["commit"] == "a70eca337600e7d721dc48112c271f98661d208b"
    assert provenance["taken"] == "2026-08-22"
    assert "endoflife.date" in provenance["repository"]
    assert "MIT" in (BUNDLED_TABLE.parent / "LICENSE").read_text() or \
        "Permission is hereby granted" in (BUNDLED_TABLE.parent / "LICENSE").read_text()
    assert data_date() == datetime.date(2026, 8, 22)
    assert load_table().source == "endoflife.date snapshot 2026-08-22"


def test_bundled_table_is_what_the_build_script_makes_of_the_snapshot() -> None:
    from checks.lifecycle.build_table import build_table

    snapshot = Path("/work/shared/data/endoflife/products.json")
    if not snapshot.is_file():
        pytest.skip("the endoflife.date snapshot is not on this machine")
    assert build_table(json.loads(snapshot.read_text())) == json.loads(BUNDLED_TABLE.read_text())


@pytest.mark.parametrize(("eol", "status"), [
    (datetime.date(2026, 12, 3), "ended"), (DAY, "ended"),
    (datetime.date(2026, 12, 5), "ending_soon"), (datetime.date(2027, 6, 4), "ending_soon"),
    (datetime.date(2027, 6, 5), "supported"), (True, "ended"), (False, "supported")])
def test_status_for_end_dates(eol: datetime.date | bool, status: str) -> None:
    assert status_for(eol, DAY) == status


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2026, 12, 4), 6) == datetime.date(2027, 6, 4)


@pytest.mark.parametrize(("name", "version", "status", "cycle", "eol"), [
    ("Windows 10 Pro", "10.0 (19045)", "ended", "10-22h2", "2025-10-14"),
    ("Windows 10 Enterprise", "10.0.19045", "ended", "10-22h2", "2025-10-14"),
    ("Windows 11 Pro", "10.0.26100", "ended", "11-24h2-w", "2026-10-13"),
    ("Windows 11 Home", "10.0 (26100)", "ended", "11-24h2-w", "2026-10-13"),
    ("Windows 11 Enterprise", "10.0.26100", "supported", "11-24h2-e", "2027-10-12"),
    ("Windows 11 Education", "10.0 (26100)", "supported", "11-24h2-e", "2027-10-12"),
    ("Windows 11 Pro", "10.0 (26200)", "supported", "11-25h2-w", "2027-10-12"),
    ("Windows 11 Enterprise", "10.0 (22631)", "ended", "11-23h2-e", "2026-11-10"),
    ("Windows 10 Enterprise LTSC", "10.0 (19044)", "ending_soon", "10-21h2-e-lts",
     "2027-01-12"),
    ("Windows 10 IoT Enterprise LTSC", "10.0 (19044)", "supported", "10-21h2-iot-lts",
     "2032-01-13"),
    ("Windows Server 2012 R2 Standard", "6.3 (9600)", "ended", "2012-r2", "2023-10-10"),
    ("Windows Server 2019 Datacenter", "10.0 (17763)", "supported", "2019", "2029-01-09"),
    ("Windows Server 2022 Standard", "10.0.20348", "supported", "2022", "2031-10-14"),
    ("Windows Server 2025 Datacenter", "", "supported", "2025", "2034-11-14"),
    ("Windows Server 2016 Standard", "10.0 (14393)", "ending_soon", "2016", "2027-01-12"),
    ("Windows Server 2008 R2 Standard 7601 Service Pack 1", "", "ended", "2008-r2-sp1",
     "2020-01-14"),
    ("Windows 7 Professional", "6.1 (7601)", "ended", "7-sp1", "2020-01-14"),
    ("Windows XP Professional", "", "ended", "5-sp3", "2014-04-08"),
    ("Windows Server® 2008 Standard", "6.0 (6002)", "ended", "2008-sp2", "2020-01-14"),
    ("Windows Vista™ Business", "6.0 (6002)", "ended", "6-sp2", "2017-04-11"),
    ("Windows 10 Enterprise 2016 LTSB", "10.0 (14393)", "ended", "10-1607-e-lts",
     "2026-10-13"),
    ("Windows 10 Pro N", "10.0 (19045)", "ended", "10-22h2", "2025-10-14"),
    ("Windows 11 IoT Enterprise", "10.0 (26100)", "supported", "11-24h2-e", "2027-10-12"),
])
def test_windows_support(name: str, version: str, status: str, cycle: str, eol: str) -> None:
    verdict = windows_support(name, version, DAY)
    assert isinstance(verdict, SupportVerdict)
    assert (verdict.status, verdict.cycle, verdict.eol) == (
        status, cycle, datetime.date.fromisoformat(eol)), verdict.reason
    assert verdict.source == "endoflife.date snapshot 2026-08-22"
    assert eol in verdict.reason


def test_windows_11_24h2_pro_was_supported_before_october_2026() -> None:
    """Negative control: the same machine judged in spring 2026 is not out of support."""
    verdict = windows_support("Windows 11 Pro", "10.0.26100", datetime.date(2026, 3, 1))
    assert verdict.status == "supported"
    early = windows_support("Windows 11 Pro", "10.0.26100", datetime.date(2026, 6, 1))
    assert early.status == "ending_soon"


@pytest.mark.parametrize(("name", "version", "why"), [
    ("Windows 10", "10.0 (19044)", "edition is not named"),
    ("Windows 11", "10.0 (26100)", "edition is not named"),
    ("Windows 10 Pro", "", "build is not known"),
    ("Windows 11 Pro", "10.0 (27999)", "no release cycle"),
    ("Windows Server 2019 Datacenter", "10.0 (20348)", "belongs to another release"),
    ("Windows Server Datacenter", "10.0 (17763)", "fits several cycles"),
    ("Windows Server Standard", "", "neither the release year nor the build"),
    ("Windows 7 Professional", "10.0 (19045)", "is Windows 10 or later"),
    ("Linux 6.1.0-18-amd64", "", "does not name a Windows release"),
    ("", "", "does not name a Windows release"),
    ("Windows Embedded Standard 7", "", "Embedded"),
    ("Hardware: Intel64 - Software: Windows Version 6.3 (Build 17763 Multiprocessor Free)", "",
     "disagree"),
])
def test_thin_evidence_is_unknown_with_a_reason(name: str, version: str, why: str) -> None:
    verdict = windows_support(name, version, DAY)
    assert verdict.status == "unknown"
    assert verdict.eol is None
    assert why in verdict.reason


SUPPORTED_MACHINES = [
    ("Windows 11 Enterprise", "10.0 (26100)"), ("Windows 11 Pro", "10.0 (26200)"),
    ("Windows 11 Enterprise", "10.0 (26200)"), ("Windows 11 Pro", "10.0.28000"),
    ("Windows Server 2019 Standard", "10.0 (17763)"), ("Windows Server 2022 Datacenter", ""),
    ("Windows Server 2025 Standard", "10.0.26100"),
    ("Windows 10 IoT Enterprise LTSC", "10.0 (19044)"),
    ("Windows 10 Enterprise LTSC", "10.0 (17763)"),
]


@pytest.mark.parametrize(("name", "version"), SUPPORTED_MACHINES)
def test_a_supported_machine_is_never_called_out_of_support(name: str, version: str) -> None:
    verdict = windows_support(name, version, DAY)
    assert verdict.status in ("supported", "ending_soon"), verdict.reason
    assert verdict.eol is not None and verdict.eol > DAY


def test_snmp_windows_7_and_2008_r2_agree_they_ended() -> None:
    verdict = windows_support(
        "Hardware: Intel64 - Software: Windows Version 6.1 (Build 7601 Multiprocessor Free)",
        "", DAY)
    assert verdict.status == "ended"
    assert verdict.eol == datetime.date(2020, 1, 14)


def test_hostile_text_is_bounded_and_never_crashes() -> None:
    verdict = windows_support("Windows\x00 11\x1b[31m Pro" + "A" * 10_000, "10.0.26100\n", DAY)
    assert verdict.status in STATUSES
    assert "\x1b" not in verdict.reason and len(verdict.reason) < 1000


@pytest.mark.parametrize(("text", "build"), [
    ("10.0 (19045)", (10, 0, 19045)), ("10.0.22631", (10, 0, 22631)),
    ("Windows Version 6.3 (Build 9600 Multiprocessor Free)", (6, 3, 9600)),
    ("Windows Version 6.3 (Build 20348 Multiprocessor Free)", (10, 0, 20348)),
])
def test_parse_build(text: str, build: tuple[int, int, int]) -> None:
    assert parse_build(text, "") == build


def test_edition_classes() -> None:
    assert edition_class("Windows 10 Pro") == "w"
    assert edition_class("Windows 10 Pro Education") == "w"
    assert edition_class("Windows 10 Pro for Workstations") == "w"
    assert edition_class("Windows 11 Education") == "e"
    assert edition_class("Windows 10 Enterprise LTSC") == "e-lts"
    assert edition_class("Windows 10 IoT Enterprise LTSC") == "iot-lts"
    assert edition_class("Windows 10") is None


@pytest.mark.parametrize(("product", "version", "status", "cycle"), [
    ("debian", "12", "supported", "12"), ("debian", "10.13", "ended", "10"),
    ("debian", "11.9", "ended", "11"), ("debian", "13.1", "supported", "13"),
    ("fortios", "7.2.5", "ended", "7.2"), ("fortios", "7.4.3", "supported", "7.4"),
    ("fortios", "6.4.15", "ended", "6.4"),
    ("ubuntu", "20.04.6", "ended", "20.04"), ("ubuntu", "24.04", "supported", "24.04"),
    ("esxi", "6.7.0", "ended", "6.7"), ("routeros", "6.48.6", "ended", "6.48"),
])
def test_support_of_other_products(product: str, version: str, status: str,
                                   cycle: str) -> None:
    verdict = support(product, version, DAY)
    assert (verdict.status, verdict.cycle) == (status, cycle), verdict.reason


@pytest.mark.parametrize(("product", "version", "why"), [
    ("fortios", "7", "not precise enough"), ("fortios", "9.9.1", "no FortiOS cycle"),
    ("synology-dsm", "7.2", "no product"), ("debian", "bookworm", "not a dotted version"),
])
def test_unplaceable_versions_are_unknown(product: str, version: str, why: str) -> None:
    verdict = support(product, version, DAY)
    assert verdict.status == "unknown" and why in verdict.reason


def test_debian_is_judged_by_its_free_lts_phase() -> None:
    verdict = support("debian", "12.5", DAY)
    assert verdict.eol == datetime.date(2028, 6, 30)
    assert "regular security support ended on 2026-07-11" in verdict.reason
    assert "Debian LTS" in verdict.reason


def test_paid_extended_support_is_named_but_never_assumed() -> None:
    verdict = windows_support("Windows 10 Pro", "10.0 (19045)", DAY)
    assert verdict.status == "ended"
    assert "Extended Security Updates" in verdict.reason and "not assumed" in verdict.reason


def test_find_cycle_prefers_the_longest_match() -> None:
    freebsd = load_table().products["freebsd"]
    release, _ = find_cycle(freebsd, "14.2")
    assert release is not None and release.cycle == "14.2"


def test_support_of_cycle() -> None:
    assert support_of_cycle("windows-server", "2012-r2", DAY).status == "ended"
    assert support_of_cycle("windows-server", "nope", DAY).status == "unknown"


def test_user_copy_takes_precedence_and_a_damaged_one_is_ignored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITEWALK_DATA_DIR", str(tmp_path))
    raw = json.loads(BUNDLED_TABLE.read_text())
    raw["provenance"]["taken"] = "2026-12-01"
    raw["provenance"]["source"] = "endoflife.date API"
    (tmp_path / "lifecycle.json").write_text(json.dumps(raw))
    assert data_date() == datetime.date(2026, 12, 1)
    assert support("debian", "12", DAY).source == "endoflife.date API 2026-12-01"
    (tmp_path / "lifecycle.json").write_text("{not json")
    assert data_date() == datetime.date(2026, 8, 22)
    assert "ignored" in load_table().problem


def test_stale_warning_after_six_months() -> None:
    assert stale_warning(datetime.date(2027, 2, 22)) == ""
    assert "2026-08-22" in stale_warning(datetime.date(2027, 2, 23))
