"""``sitewalk import`` on real nmap reports, and on broken or hostile XML."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scanner.folder import FolderError, validate
from scanner.importer import import_nmap_xml
from scanner.macvendor import PRIVATE_VENDOR

NMAP_XML = Path(__file__).parents[1] / "fixtures" / "nmap-xml"
SITEWALK = str(Path(sys.executable).with_name("sitewalk"))


@pytest.mark.parametrize(("name", "up"), [("phage_nmap-2016-03-29.xml", 54),
                                          ("libnmap_full_sudo6.xml", 4),
                                          ("libnmap_dionaea_scan.xml", 1),
                                          ("nmap-ndiff_random-2.xml", 61)])
def test_real_reports_import_and_validate(tmp_path: Path, name: str, up: int) -> None:
    inventory = import_nmap_xml(NMAP_XML / name, "Imported", tmp_path)
    assert len(inventory.hosts) == up
    data = json.loads((tmp_path / "inventory.json").read_text())
    validate(data, "scanner", "inventory.schema.json", tmp_path / "inventory.json")


def test_facts_survive_the_import(tmp_path: Path) -> None:
    inventory = import_nmap_xml(NMAP_XML / "libnmap_full_sudo6.xml", "Home", tmp_path)
    router = inventory.host("192.168.1.1")
    assert router is not None
    assert (router.mac, router.vendor) == ("6c:2e:85:19:af:00", "Sagemcom Broadband SAS")
    assert {23, 80, 443} <= router.open_ports()
    honeypot = import_nmap_xml(NMAP_XML / "libnmap_dionaea_scan.xml", "Pot", tmp_path / "p")
    host = honeypot.hosts[0]
    assert host.mac_private and host.vendor == PRIVATE_VENDOR
    printer = import_nmap_xml(NMAP_XML / "phage_nmap-2016-03-29.xml", "Phage", tmp_path / "q")
    epson = printer.host("10.0.1.155")
    assert epson is not None and epson.device_class == "printer"


@pytest.mark.parametrize(("content", "message"), [
    ("<nmaprun><host>", "not a readable nmap XML report"),
    ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
     "<nmaprun>&b;</nmaprun>", "entity declarations are not accepted"),
    ("plain text, not XML", "not a readable nmap XML report"),
])
def test_bad_xml_is_a_one_line_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.xml"
    path.write_text(content)
    with pytest.raises(FolderError, match=message):
        import_nmap_xml(path, "X", tmp_path / "out")
    assert not (tmp_path / "out" / "inventory.json").exists()


def test_cli_import_error_exit_code(tmp_path: Path) -> None:
    done = subprocess.run([SITEWALK, "import", str(tmp_path / "missing.xml"), "--client", "X",
                           "--out", str(tmp_path / "o")], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "file not found" in done.stderr
    assert "Traceback" not in done.stderr
