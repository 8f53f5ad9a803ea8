"""The inventory's JSON form: round trip, schema validation, identity and string bounds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.folder import FolderError, load_inventory, save_inventory, validate
from scanner.macvendor import PRIVATE_VENDOR, normalise_mac, vendor_for
from scanner.model import Host, Inventory, Service, SnmpInfo, inventory_from_dict, inventory_to_dict
from scanner.textsafe import bounded, bounded_name


def _inventory() -> Inventory:
    host = Host(ip="192.168.1.10", mac="f8:bc:12:00:00:10", vendor="Dell Inc.",
                hostnames=("dc01.office.lan",), device_class="domain_controller",
                services=(Service(445, "tcp", "microsoft-ds", "Samba smbd", "4"),),
                snmp=SnmpInfo("v2c", "public", True, sys_descr="Linux dc01"),
                evidence=("open ports",), confidence=0.8)
    return Inventory(client="Acme", targets=("192.168.1.0/24",), hosts=(host,), complete=True)


def test_round_trip_and_schema(tmp_path: Path) -> None:
    inventory = _inventory()
    data = inventory_to_dict(inventory)
    validate(data, "scanner", "inventory.schema.json", tmp_path / "x.json")
    assert inventory_from_dict(json.loads(json.dumps(data))) == inventory
    save_inventory(tmp_path, inventory)
    assert load_inventory(tmp_path) == inventory
    assert not list(tmp_path.glob(".inventory.json.*")), "no temp file left behind"


def test_asset_key_prefers_mac_then_name_then_ip() -> None:
    assert Host(ip="10.0.0.1", mac="00:11:22:33:44:55").asset_key == "00:11:22:33:44:55"
    assert Host(ip="10.0.0.1", hostnames=("pc",)).asset_key == "pc"
    assert Host(ip="10.0.0.1").asset_key == "10.0.0.1"


def test_bad_inventory_files_give_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(FolderError, match="file not found"):
        load_inventory(tmp_path)
    (tmp_path / "inventory.json").write_text("{not json")
    with pytest.raises(FolderError, match="not valid JSON"):
        load_inventory(tmp_path)
    (tmp_path / "inventory.json").write_text('{"schema_version": "9.0"}')
    with pytest.raises(FolderError, match="not supported"):
        load_inventory(tmp_path)
    data = inventory_to_dict(_inventory())
    data["hosts"][0]["device_class"] = "toaster"
    (tmp_path / "inventory.json").write_text(json.dumps(data))
    with pytest.raises(FolderError, match="hosts/0/device_class"):
        load_inventory(tmp_path)


def test_mac_vendor_offline() -> None:
    assert normalise_mac("F8-BC-12-00-00-10") == "f8:bc:12:00:00:10"
    assert normalise_mac("nonsense") is None
    assert vendor_for("f8:bc:12:00:00:10") == "Dell Inc."
    assert vendor_for("02:42:ac:1c:01:03") == PRIVATE_VENDOR


def test_hostile_strings_are_bounded() -> None:
    assert bounded("a\x00b\x1b[31mc") == "ab[31mc"
    assert len(bounded("x" * 10_000)) == 2048
    assert bounded_name("</td><script>\n" * 100).count("\n") == 0
    assert len(bounded_name("y" * 1000)) == 255
    assert bounded(b"\xff\xfeok") == "\ufffd\ufffdok"


def test_round_trip_of_every_nested_record(tmp_path: Path) -> None:
    from scanner.model import (
        DirectoryInfo,
        Signal,
        SmbInfo,
        TlsCertificate,
        UpsStatus,
        WanView,
        WebInterface,
    )

    host = Host(ip="10.0.0.1", smb=SmbInfo(dialects=("NT LM 0.12", "3.1.1"), smb1_enabled=True),
                directory=DirectoryInfo(dns_domain="ad.office.lan"),
                web=(WebInterface(443, "https", title="Login",
                                  certificate=TlsCertificate(subject="CN=fw", self_signed=True)),),
                ups=UpsStatus("nut", status="OL", charge_percent=100),
                signals=(Signal("backup_agent", "Bacula", 0.8, "9102/tcp open"),),
                av_status="not_seen", upnp_igd=False)
    inventory = Inventory(client="c", targets=("10.0.0.0/24",), hosts=(host,),
                          wan_view=WanView("198.51.100.2", (Service(443, "tcp"),)))
    data = inventory_to_dict(inventory)
    validate(data, "scanner", "inventory.schema.json", tmp_path / "x.json")
    assert inventory_from_dict(json.loads(json.dumps(data))) == inventory
