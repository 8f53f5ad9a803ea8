"""The site's own SNMP community is masked before anything is saved; defaults stay visible."""

from __future__ import annotations

import json
from pathlib import Path

from scanner.lan_stages import apply_side_results
from scanner.model import Host, SnmpInfo
from scanner.secrets import MASK, shown_community


def test_shown_community() -> None:
    assert shown_community("public") == "public"
    assert shown_community("PRIVATE") == "PRIVATE"
    assert shown_community("") == ""
    assert shown_community("Harb0r-ups-RO") == MASK


def test_snmp_answers_are_saved_without_the_site_community(tmp_path: Path) -> None:
    hosts = {"192.168.1.5": Host(ip="192.168.1.5"), "192.168.1.6": Host(ip="192.168.1.6")}
    answers = {
        "192.168.1.5": SnmpInfo(version="v2c", community="Sekret-Community-9",
                                default_community=False, sys_name="ups01"),
        "192.168.1.6": SnmpInfo(version="v2c", community="public", default_community=True),
    }
    errors: list[tuple[str, str]] = []
    apply_side_results(hosts, {"snmp": (answers, {})}, tmp_path,
                       lambda source, message: errors.append((source, message)))
    snmp5, snmp6 = hosts["192.168.1.5"].snmp, hosts["192.168.1.6"].snmp
    assert snmp5 is not None and snmp6 is not None
    assert (snmp5.community, snmp5.default_community, snmp5.sys_name) == (MASK, False, "ups01")
    assert snmp6.community == "public"
    evidence = (tmp_path / "snmp.json").read_text()
    assert "Sekret-Community-9" not in evidence
    assert json.loads(evidence)["192.168.1.5"]["system"]["community"] == MASK
    assert errors == []
