"""The report's directory chapter: built from directory.json dicts, escaped, optional."""

from __future__ import annotations

import json
from pathlib import Path

from reports.directory_view import build_directory
from reports.render import render_html
from reports.viewmodel import build_view_model

FIXTURE = Path(__file__).parents[1] / "checks" / "fixtures" / "AD-031" / "fail.json"
SAMPLE = Path(__file__).parents[1] / "fixtures" / "report-sample"


def _directory() -> dict:
    directory = json.loads(FIXTURE.read_text())["directory"]
    directory["computers"].append({"name": "<b>EVIL</b>", "enabled": True,
                                   "operating_system": "Windows 7\x07", "last_logon": None,
                                   "operating_system_version": "6.1 (7601)"})
    return directory


def test_computers_not_seen_on_the_network_are_listed() -> None:
    inventory = {"hosts": [{"ip": "192.168.1.20", "hostnames": ["pc1.example.lan"]}]}
    chapter = build_directory(_directory(), inventory)
    assert chapter is not None
    assert "PC1" not in {row.name for row in chapter.not_seen}
    assert {"DC1", "PC2", "<b>EVIL</b>"} <= {row.name for row in chapter.not_seen}
    assert chapter.gpp_accounts == ("localadmin",)
    assert build_directory(None, inventory) is None
    assert build_directory({"status": "failed"}, inventory) is None


def test_the_chapter_is_escaped_and_only_there_with_an_audit() -> None:
    inventory = json.loads((SAMPLE / "inventory.json").read_text())
    findings = json.loads((SAMPLE / "findings.json").read_text())
    without = render_html(build_view_model(inventory, findings))
    assert 'id="directory"' not in without
    html = render_html(build_view_model(inventory, findings, directory=_directory()))
    assert 'id="directory"' in html and "In the directory, not seen on the network" in html
    assert "<b>EVIL</b>" not in html and "&lt;b&gt;EVIL&lt;/b&gt;" in html
    assert "\x07" not in html
