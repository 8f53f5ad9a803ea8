"""What the scanner sees beyond ports in the virtual office: SMB, AD, web/TLS, UPS, names,
UPnP, SNMP write access, protection signals, and the office seen from the internet.

One real ``sitewalk scan`` from the laptop namespace (with an SNMPv3 user whose keys must
never reach a file), then ``sitewalk wan-scan`` from the ISP namespace, once with the
firewall's default-deny and once with a port forward opened for the test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SITEWALK = str(Path(sys.executable).with_name("sitewalk"))
V3_SECRET = "lab-only-v3-secret"


@pytest.fixture(scope="module")
def scanned(office, tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("scanner") / "assessment"
    truth = office.load_ground_truth()
    done = subprocess.run(
        ["ip", "netns", "exec", office.LAPTOP_NS, SITEWALK, "scan", truth["lan"],
         "--client", "Virtual Office", "--out", str(folder),
         "--snmp-v3", f"monitor:SHA:{V3_SECRET}-auth:AES:{V3_SECRET}-priv"],
        capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    inventory = json.loads((folder / "inventory.json").read_text())
    return {"folder": folder, "truth": truth, "output": done.stdout + done.stderr,
            "hosts": {h["ip"]: h for h in inventory["hosts"]}, "inventory": inventory}


def _host(scanned: dict, name: str) -> dict:
    ip = next(h["ip"] for h in scanned["truth"]["hosts"] if h["name"] == name)
    return scanned["hosts"][ip]


def test_domain_controller_smb_and_directory(scanned: dict) -> None:
    dc = _host(scanned, "dc")
    assert dc["device_class"] == "domain_controller"
    assert any("root DSE" in line for line in dc["evidence"])
    assert dc["netbios_name"] == "DC01"
    smb = dc["smb"]
    assert (smb["smb1_enabled"], smb["signing_required"], smb["domain"], smb["anonymous_shares"]) \
        == (False, True, "OFFICE", [])
    assert "3.1.1" in smb["dialects"]
    assert dc["directory"] == {"dns_domain": "ad.office.lan",
                               "naming_context": "DC=ad,DC=office,DC=lan",
                               "dc_hostname": "DC01.ad.office.lan",
                               "domain_functional_level": "2008 R2",
                               "forest_functional_level": "2008 R2", "global_catalog": True}


def test_nas_smbv1_unsigned_guest_share_and_backup_signals(scanned: dict) -> None:
    nas = _host(scanned, "nas")
    smb = nas["smb"]
    assert (smb["smb1_enabled"], smb["signing_required"], smb["netbios_name"],
            smb["anonymous_shares"]) == (True, False, "NAS01", ["backup", "scans"])
    assert "NT LM 0.12" in smb["dialects"] and "Samba" in smb["os"]
    kinds = {(s["kind"], s["product"]) for s in nas["signals"]}
    assert ("backup_agent", "Bacula/Bareos file daemon") in kinds
    assert ("backup_target", "NAS (a common backup target)") in kinds
    assert all(0 < s["confidence"] <= 0.5 and s["evidence"] for s in nas["signals"])


def test_firewall_web_admin_certificate_and_upnp(scanned: dict) -> None:
    fw = _host(scanned, "fw")
    web = {w["port"]: w for w in fw["web"]}
    assert (web[80]["scheme"], web[80]["title"], web[80]["redirects_to_https"]) == \
        ("http", "Sophos Firewall - Login", False)
    assert web[443]["scheme"] == "https" and web[443]["server"] == "nginx"
    cert = web[443]["certificate"]
    assert (cert["subject"], cert["self_signed"], cert["key_type"], cert["key_bits"],
            cert["signature_algorithm"]) == ("commonName=fw.office.lan", True, "rsa", 2048,
                                             "sha256WithRSAEncryption")
    assert cert["not_before"] < cert["not_after"]
    assert fw["upnp_igd"] is True
    # A switch heard only by LLDP was never asked: its UPnP answer is unknown (None).
    others = [h for h in scanned["hosts"].values()
              if h["ip"] != fw["ip"] and h["discovered_by"] != ["lldp"]]
    assert all(h["upnp_igd"] is False for h in others)


def test_ups_state_from_nut(scanned: dict) -> None:
    ups = _host(scanned, "ups")["ups"]
    assert (ups["source"], ups["name"], ups["status"], ups["on_battery"], ups["charge_percent"],
            ups["runtime_minutes"], ups["load_percent"], ups["manufacturer"], ups["model"]) == \
        ("nut", "ups", "OL", False, 100, 30, 23, "APC", "Smart-UPS 750")


def test_printer_names_by_mdns_and_plain_http_admin(scanned: dict) -> None:
    printer = _host(scanned, "prn")
    assert {"printer01.local", "_ipp._tcp.local"} <= set(printer["mdns_names"])
    web = printer["web"][0]
    assert (web["port"], web["scheme"], web["server"]) == (631, "http", "CUPS/2.4 IPP/2.1")


def test_snmp_write_is_tested_harmlessly_and_refused(scanned: dict) -> None:
    for name in ("fw", "ups", "prn"):
        host = _host(scanned, name)
        assert host["snmp_writable"] is False, name
        assert "to its current value" in host["snmp"]["write_test"]
        assert "nothing was changed" in host["snmp"]["write_test"]
    assert _host(scanned, "ws1")["snmp_writable"] is None


def test_av_status_says_what_could_not_be_seen(scanned: dict) -> None:
    assert {h["av_status"] for h in scanned["hosts"].values()} == {"unknown"}


def test_snmp_v3_keys_never_reach_a_file(scanned: dict) -> None:
    assert V3_SECRET not in scanned["output"]
    for path in scanned["folder"].rglob("*"):
        if path.is_file():
            assert V3_SECRET.encode() not in path.read_bytes(), path


def _wan_scan(office, folder: Path) -> dict:
    wan_ip = office.load_ground_truth()["wan"]["fw_wan_ip"]
    done = subprocess.run(["ip", "netns", "exec", "swlab-isp", SITEWALK, "wan-scan", str(folder),
                           wan_ip], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads((folder / "inventory.json").read_text())["wan_view"]


def test_wan_view_default_deny_then_a_forwarded_port(office, scanned: dict) -> None:
    view = _wan_scan(office, scanned["folder"])
    assert (view["target"], view["services"], view["filtered"], view["errors"]) == \
        ("198.51.100.2", [], True, [])
    assert view["ports_scanned"].startswith("tcp 1-65535")
    ws1 = next(h["ip"] for h in scanned["truth"]["hosts"] if h["name"] == "ws1")
    with office.wan_port_forward(3389, ws1):
        view = _wan_scan(office, scanned["folder"])
    assert [(s["port"], s["protocol"], s["name"]) for s in view["services"]] == \
        [(3389, "tcp", "ms-wbt-server")]
    assert view["filtered"] is False
    public = subprocess.run([SITEWALK, "wan-scan", str(scanned["folder"]), "198.51.100.0/30"],
                            capture_output=True, text=True, timeout=60)
    assert public.returncode == 2 and "one IPv4 address" in public.stderr
