"""Protection signals and AV status, and the UPS record from SNMP."""

from __future__ import annotations

from dataclasses import replace

from scanner.host_probes import add_protection
from scanner.model import Host, Service, SnmpInfo, WebInterface
from scanner.ups import ups_from_snmp

SNMP = SnmpInfo("v2c", "public", True)


def _signals(host: Host) -> dict[str, tuple[str, float]]:
    return {s.product: (s.kind, s.confidence) for s in add_protection(host).signals}


def test_installed_software_is_stronger_evidence_than_a_port() -> None:
    host = Host(ip="10.0.0.5", device_class="server",
                services=(Service(9102, "tcp", "bacula-fd"),),
                snmp=replace(SNMP, installed_software=("Sophos Endpoint Agent", "Veeam Agent")))
    signals = _signals(host)
    assert signals["Sophos"] == ("av_agent", 0.9)
    assert signals["Veeam"] == ("backup_agent", 0.9)
    assert signals["Bacula/Bareos file daemon"] == ("backup_agent", 0.5)
    assert add_protection(host).av_status == "protected"


def test_av_status_is_honest_about_what_could_be_seen() -> None:
    pc = Host(ip="10.0.0.9", device_class="workstation")
    assert add_protection(pc).av_status == "unknown"
    looked = replace(pc, snmp=replace(SNMP, running_software=("explorer.exe", "svchost.exe")))
    assert add_protection(looked).av_status == "not_seen"
    defender = replace(pc, snmp=replace(SNMP, running_software=("MsMpEng.exe",)))
    assert add_protection(defender).av_status == "protected"


def test_nas_class_and_appliance_titles() -> None:
    nas = Host(ip="10.0.0.20", device_class="nas", confidence=0.9)
    assert _signals(nas)["NAS (a common backup target)"] == ("backup_target", 0.4)
    datto = Host(ip="10.0.0.21", web=(WebInterface(443, "https", title="Datto SIRIS"),))
    assert _signals(datto)["Datto"] == ("backup_appliance", 0.7)


def test_ups_from_snmp_fields() -> None:
    snmp = replace(SNMP, sys_name="ups01", ups_output_source="battery",
                   ups_battery_status="low", ups_charge_percent=20, ups_runtime_minutes=4)
    ups = ups_from_snmp(snmp, "APC", "Smart-UPS 750")
    assert ups is not None
    assert (ups.source, ups.status, ups.on_battery, ups.charge_percent, ups.model) == \
        ("snmp", "OB LB", True, 20, "Smart-UPS 750")
    assert ups_from_snmp(SNMP) is None
