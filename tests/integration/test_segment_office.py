"""The wire under the laptop, in the virtual office: a real scan hears the switch, both DHCP
servers, the PC's IPv6 router advertisements and the name responders; with the rogue DHCP
server and radvd paused (the negative control), the same checks stay silent.

Both scans are real ``sitewalk scan`` runs inside the laptop's namespace; nothing is recorded.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.lab import segment_lab

SITEWALK = str(Path(sys.executable).with_name("sitewalk"))
ANSWERS = Path(__file__).parents[1] / "lab" / "interview.toml"


def _scan_and_assess(office, folder: Path, profile: str) -> dict:
    truth = office.load_ground_truth()
    scan = subprocess.run(
        ["ip", "netns", "exec", office.LAPTOP_NS, SITEWALK, "scan", truth["lan"],
         "--client", "Virtual Office", "--out", str(folder), "--profile", profile],
        capture_output=True, text=True, timeout=600)
    assert scan.returncode == 0, scan.stderr[-2000:]
    assess = subprocess.run([SITEWALK, "assess", str(folder), "--answers", str(ANSWERS)],
                            capture_output=True, text=True, timeout=120)
    assert assess.returncode == 0, assess.stderr[-2000:]
    findings = json.loads((folder / "findings.json").read_text())["findings"]
    return {"inventory": json.loads((folder / "inventory.json").read_text()),
            "findings": {(f["check_id"], f["status"], f["ip"] or "") for f in findings},
            "truth": truth}


@pytest.fixture(scope="module")
def heard(office, tmp_path_factory: pytest.TempPathFactory) -> dict:
    return _scan_and_assess(office, tmp_path_factory.mktemp("segment") / "a", "standard")


@pytest.fixture(scope="module")
def quiet(office, tmp_path_factory: pytest.TempPathFactory) -> dict:
    with segment_lab.rogue_paused(office.state()):
        return _scan_and_assess(office, tmp_path_factory.mktemp("quiet") / "a", "quick")


def test_the_switch_is_a_device_with_the_laptop_s_port(heard: dict) -> None:
    want = heard["truth"]["segment"]["switch"]
    (switch,) = [h for h in heard["inventory"]["hosts"] if h["device_class"] == "switch"]
    assert switch["hostnames"] == [want["system_name"]]
    assert switch["ip"] == want["management_address"]  # announced, not reachable
    assert switch["model"] == want["platform"]
    assert switch["vendor"] == "Cisco Systems, Inc"
    assert switch["switch_port"] == f"{want['laptop_port']} ({want['laptop_port_description']})"
    assert set(switch["discovered_by"]) == {"lldp"}
    lldp = [n for n in heard["inventory"]["segment"]["lldp"] if n["protocol"] == "lldp"]
    assert lldp and lldp[0]["voice_vlan"] == want["voice_vlan"]


def test_the_segment_record_matches_the_office(heard: dict) -> None:
    segment, want = heard["inventory"]["segment"], heard["truth"]["segment"]
    assert "lldp-med" in segment["asked"]  # the switch's fast start answered it: no 30 s wait
    assert 0 < segment["listened_s"]
    assert sorted(s["server_ip"] for s in segment["dhcp_servers"]) == want["dhcp_servers"]
    assert {r["source_mac"] for r in segment["ipv6_routers"]} == {want["ipv6_router_mac"]}
    ra = next(r for r in segment["ipv6_routers"] if r["kind"] == "ra")
    assert ra["prefixes"] == [want["ipv6_prefix"]]
    assert segment["stp"]["root_mac"].startswith("00:1b:54")
    responders: dict[str, list[str]] = {}
    for r in segment["name_responders"]:
        responders.setdefault(r["ip"], []).append(r["protocol"])
    assert {ip: sorted(p) for ip, p in responders.items()} == want["name_responders"]


def test_the_checks_fire_on_the_rogue_pieces(heard: dict) -> None:
    rogue = heard["truth"]["segment"]["rogue_dhcp_server"]
    assert {("NET-006", "FAIL", rogue), ("NET-007", "FAIL", rogue), ("NET-003", "PASS", ""),
            ("NET-009", "PASS", ""), ("NET-010", "PASS", "")} <= heard["findings"]


def test_the_negative_control_stays_silent(quiet: dict) -> None:
    segment = quiet["inventory"]["segment"]
    assert [s["server_ip"] for s in segment["dhcp_servers"]] == [quiet["truth"]["gateway"]]
    assert segment["ipv6_routers"] == []
    assert any("quick profile" in note for note in segment["notes"])
    assert {("NET-006", "PASS", ""), ("NET-007", "PASS", "")} <= quiet["findings"]
    assert not {f for f in quiet["findings"] if f[0] in ("NET-006", "NET-007")
                and f[1] == "FAIL"}
