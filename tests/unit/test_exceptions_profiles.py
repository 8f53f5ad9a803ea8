"""Accepted risks (exceptions file) and check profiles, through assess()."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from checks.assess import assess
from checks.exceptions import ExceptionsError, load_exceptions
from checks.profiles import ProfileError, load_profile
from checks.registry import all_checks
from scanner.folder import validate
from scanner.model import Host, Inventory, Service

KNOWN = {c.meta.id for c in all_checks()}
TODAY = date(2026, 11, 22)


def _office() -> Inventory:
    def pc(ip: str, *ports: int) -> Host:
        return Host(ip=ip, mac=f"00:11:22:33:44:{ip.split('.')[-1].zfill(2)[-2:]}",
                    hostnames=(f"pc{ip.split('.')[-1]}.office.lan",), device_class="workstation",
                    services=tuple(Service(p, "tcp") for p in ports))
    return Inventory(client="Acme", targets=("192.168.1.0/24",), complete=True,
                     finished_at="2026-11-20T10:00:00+00:00",
                     hosts=(pc("192.168.1.50", 3389), pc("192.168.1.51", 3389, 23)))


def _write(tmp_path: Path, text: str, name: str = "x.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


ACCEPT_RDP = """
[[exception]]
check = "SEC-004"
asset = "pc50.office.lan"
reason = "The practice software vendor connects over RDP"
accepted_by = "Dr. Ana Harbor, owner"
until = 2027-03-31
"""


def test_an_accepted_risk_is_kept_flagged_and_left_out_of_the_score(tmp_path: Path) -> None:
    acceptances = load_exceptions(_write(tmp_path, ACCEPT_RDP), KNOWN)
    plain = assess(_office(), today=TODAY)
    accepted = assess(_office(), acceptances=acceptances, today=TODAY)
    validate(accepted, "checks", "findings.schema.json", tmp_path / "findings.json")
    rdp = {f["ip"]: f for f in accepted["findings"] if f["check_id"] == "SEC-004"}
    assert rdp["192.168.1.50"]["status"] == "FAIL", "kept, not deleted"
    assert rdp["192.168.1.50"]["accepted"] == {
        "by": "Dr. Ana Harbor, owner", "reason": "The practice software vendor connects over RDP",
        "until": "2027-03-31", "in_force": True}
    assert rdp["192.168.1.51"]["accepted"] is None, "only the named asset is accepted"
    # one RDP host is still failing, so the check still counts; accept both and it leaves
    both = load_exceptions(_write(tmp_path, ACCEPT_RDP + ACCEPT_RDP.replace("pc50", "pc51"),
                                  "both.toml"), KNOWN)
    cleared = assess(_office(), acceptances=both, today=TODAY)
    assert cleared["scores"]["overall"]["score"] < plain["scores"]["overall"]["score"]
    assert "SEC-004" not in {p["check_id"] for p in cleared["plan"]["projects"]["items"]}


def test_an_expired_acceptance_counts_again(tmp_path: Path) -> None:
    acceptances = load_exceptions(_write(tmp_path, ACCEPT_RDP.replace("2027-03-31",
                                                                      "2026-01-31")), KNOWN)
    both = load_exceptions(_write(tmp_path, ACCEPT_RDP.replace("2027-03-31", "2026-01-31") +
                                  ACCEPT_RDP.replace("pc50", "pc51").replace("2027-03-31",
                                                                             "2026-01-31"),
                                  "y.toml"), KNOWN)
    result = assess(_office(), acceptances=both, today=TODAY)
    plain = assess(_office(), today=TODAY)
    assert result["scores"] == plain["scores"]
    flagged = [f for f in result["findings"] if f["accepted"]]
    assert flagged and all(f["accepted"]["in_force"] is False for f in flagged)
    assert acceptances[0].until == date(2026, 1, 31)


@pytest.mark.parametrize(("text", "message"), [
    ("[[exception]]\ncheck = 'XYZ-001'\nasset='a'\nreason='r'\naccepted_by='b'\nuntil=2027-01-01",
     "exception 1: field 'check': 'XYZ-001' is not a known check"),
    ("[[exception]]\ncheck = 'SEC-004'\nasset='a'\nreason='r'\nuntil=2027-01-01",
     "exception 1: field 'accepted_by' is missing"),
    ("[[exception]]\ncheck = 'SEC-004'\nasset='a'\nreason='r'\naccepted_by='b'\nuntil='soon'",
     "field 'until' must be a date"),
    ("[[exception]]\ncheck = 'SEC-004'\nasset=''\nreason='r'\naccepted_by='b'\nuntil=2027-01-01",
     "field 'asset' must be non-empty text"),
    ("check = 'SEC-004'", "unknown key 'check'"),
    ("[[exception]\n", "not valid TOML"),
])
def test_bad_exceptions_files(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ExceptionsError) as error:
        load_exceptions(_write(tmp_path, text), KNOWN)
    assert message in str(error.value) and "\n" not in str(error.value)


def test_a_profile_disables_checks_and_changes_severity(tmp_path: Path) -> None:
    profile = load_profile(_write(tmp_path, 'name = "Dental"\ndisable = ["SEC-002"]\n'
                                            '[severity]\n"SEC-004" = "critical"\n'), KNOWN)
    result = assess(_office(), profile=profile, today=TODAY)
    assert result["profile"] == "Dental"
    assert "SEC-002" not in {f["check_id"] for f in result["findings"]}
    assert "SEC-002" not in {c["id"] for c in result["checks"]}
    assert {c["id"]: c["severity"] for c in result["checks"]}["SEC-004"] == "critical"
    assert {f["check_id"]: f["severity"] for f in result["findings"]}["SEC-004"] == "critical"


@pytest.mark.parametrize(("text", "message"), [
    ('disable = ["NOPE-001"]', "'NOPE-001' is not a known check"),
    ('[severity]\n"SEC-004" = "urgent"', "severity.SEC-004: 'urgent' is not one of"),
    ("enable = []", "unknown key 'enable'"),
    ("disable = 'SEC-004'", "key 'disable' must be a list"),
])
def test_bad_profiles(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ProfileError) as error:
        load_profile(_write(tmp_path, text), KNOWN)
    assert message in str(error.value)
