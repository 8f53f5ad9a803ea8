"""Bad input, table-driven: every case gets a one-line error naming what is wrong, a non-zero
exit code and no traceback, through the real command line (click's runner, in process)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitewalk.cli import main

SAMPLE = Path(__file__).parents[1] / "fixtures" / "report-sample"
GOOD_ANSWERS = 'company = "Acme"\ncomputer_users = 12\n'


def _folder(tmp: Path, inventory: str | None = None, findings: bool = True) -> Path:
    folder = tmp / "assessment"
    folder.mkdir(exist_ok=True)
    text = (SAMPLE / "inventory.json").read_text() if inventory is None else inventory
    (folder / "inventory.json").write_text(text)
    if findings:
        shutil.copy(SAMPLE / "findings.json", folder / "findings.json")
    return folder


def _file(tmp: Path, name: str, text: str | bytes) -> Path:
    path = tmp / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def _assess(option: str, name: str, text: str) -> Callable[[Path], list[str]]:
    return lambda tmp: ["assess", str(_folder(tmp)), option, str(_file(tmp, name, text))]


def _report_branding(text: str) -> Callable[[Path], list[str]]:
    return lambda tmp: ["report", str(_folder(tmp)), "--format", "html", "--output",
                        str(tmp / "r.html"), "--branding", str(_file(tmp, "brand.toml", text))]


def _import(text: str | bytes) -> Callable[[Path], list[str]]:
    return lambda tmp: ["import", str(_file(tmp, "scan.xml", text)), "--client", "X", "--out",
                        str(tmp / "imported")]


def _huge_xml(tmp: Path) -> list[str]:
    path = tmp / "huge.xml"
    with path.open("wb") as handle:  # sparse: large on paper, nothing written
        handle.truncate(300 * 1024 * 1024)
    return ["import", str(path), "--client", "X", "--out", str(tmp / "o")]


BOMB = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        "<nmaprun>&lol2;</nmaprun>")
XXE = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
       "<nmaprun>&e;</nmaprun>")
INVENTORY = (SAMPLE / "inventory.json").read_text()

CASES: dict[str, tuple[Callable[[Path], list[str]], str]] = {
    # the command line
    "scan without client": (lambda t: ["scan", "192.168.1.0/24"], "--client and --out"),
    "scan a public address": (lambda t: ["scan", "8.8.8.8", "--client", "X", "--out",
                                         str(t / "o")], "not a private"),
    "scan a huge range": (lambda t: ["scan", "10.0.0.0/8", "--client", "X", "--out",
                                     str(t / "o")], "more than the limit"),
    "scan a word": (lambda t: ["scan", "banana", "--client", "X", "--out", str(t / "o")],
                    "is not an IPv4 address"),
    "scan a backwards range": (lambda t: ["scan", "192.168.1.9-2", "--client", "X", "--out",
                                          str(t / "o")], "ends before it starts"),
    "scan a bad profile": (lambda t: ["scan", "--profile", "nope"], "'--profile'"),
    "scan a bad exclusion": (lambda t: ["scan", "192.168.1.0/24", "--exclude", "x", "--client",
                                        "X", "--out", str(t / "o")],
                             "exclusion 'x' is not an IPv4"),
    "scan a bad authorisation date": (lambda t: ["scan", "192.168.1.0/24", "--client", "X",
                                                 "--out", str(t / "o"), "--authorised-by",
                                                 "M. Chen, owner", "--authorised-on",
                                                 "03/11/2026"], "is not a date (YYYY-MM-DD)"),
    "resume a missing folder": (lambda t: ["scan", "--resume", str(t / "none")],
                                "file not found"),
    "discover a public address": (lambda t: ["discover", "1.1.1.1"], "not a private"),
    "unknown command": (lambda t: ["scna"], "No such command"),
    "unknown option": (lambda t: ["assess", "--frobnicate"], "No such option"),
    # assessment folders
    "assess a missing folder": (lambda t: ["assess", str(t / "none")], "file not found"),
    "assess broken JSON": (lambda t: ["assess", str(_folder(t, "{oops"))], "not valid JSON"),
    "assess a future schema": (lambda t: ["assess", str(_folder(
        t, json.dumps({"schema_version": "9.0"})))], "not supported"),
    "assess an inventory without hosts": (lambda t: ["assess", str(_folder(
        t, json.dumps({"schema_version": "1.0", "client": "x", "targets": [],
                       "complete": True})))], "'hosts' is a required property"),
    "assess a bad device class": (lambda t: ["assess", str(_folder(
        t, INVENTORY.replace('"device_class": "firewall"', '"device_class": "toaster"', 1)))],
        "device_class"),
    "assess an inventory that is a list": (lambda t: ["assess", str(_folder(t, "[]"))],
                                           "expected a JSON object"),
    "report a missing folder": (lambda t: ["report", str(t / "none")], "not found"),
    "report without findings": (lambda t: ["report", str(_folder(t, findings=False))],
                                "findings.json"),
    "report a bad format": (lambda t: ["report", "--format", "docx", str(t)], "'--format'"),
    # interview answers
    "answers not TOML": (_assess("--answers", "a.toml", "company = "), "not valid TOML"),
    "answers unknown field": (_assess("--answers", "a.toml", "colour = 'blue'"), "colour"),
    "answers wrong type": (_assess("--answers", "a.toml", 'employees = "many"'), "employees"),
    "answers bad choice": (_assess("--answers", "a.toml", 'current_support = "wizard"'),
                           "current_support"),
    "answers negative count": (_assess("--answers", "a.toml", "computer_users = -3"),
                               "computer_users"),
    "answers missing file": (lambda t: ["assess", str(_folder(t)), "--answers",
                                        str(t / "none.toml")], "file not found"),
    # price book
    "price book missing": (lambda t: ["assess", str(_folder(t)), "--price-book",
                                      str(t / "none.toml")], "file not found"),
    "price book not TOML": (_assess("--price-book", "p.toml", "[tiers"), "p.toml"),
    "price book empty": (_assess("--price-book", "p.toml", ""), "p.toml"),
    "price book bad price": (_assess("--price-book", "p.toml", (
        Path(__file__).parents[2] / "checks" / "data" / "pricebook.toml").read_text().replace(
        "per_user = 60", 'per_user = "sixty"')), "per_user"),
    # branding
    "branding bad colour": (_report_branding('primary_color = "blue"'), "primary_color"),
    "branding unknown key": (_report_branding('colour = "#112233"'), "colour"),
    "branding not TOML": (_report_branding("company = "), "brand.toml"),
    "branding missing logo": (_report_branding('logo = "nope.png"'), "nope.png"),
    "branding missing file": (lambda t: ["report", str(_folder(t)), "--branding",
                                         str(t / "none.toml")], "none.toml"),
    # accepted risks and profiles
    "exceptions unknown check": (_assess("--exceptions", "e.toml", (
        "[[exception]]\ncheck='ZZZ-001'\nasset='a'\nreason='r'\naccepted_by='b'\n"
        "until=2027-01-01")), "not a known check"),
    "exceptions missing field": (_assess("--exceptions", "e.toml", (
        "[[exception]]\ncheck='SEC-002'\nasset='a'\nreason='r'\nuntil=2027-01-01")),
        "'accepted_by' is missing"),
    "exceptions bad date": (_assess("--exceptions", "e.toml", (
        "[[exception]]\ncheck='SEC-002'\nasset='a'\nreason='r'\naccepted_by='b'\n"
        "until='next year'")), "must be a date"),
    "exceptions not TOML": (_assess("--exceptions", "e.toml", "[[exception"), "not valid TOML"),
    "profile unknown check": (_assess("--profile", "p.toml", 'disable = ["ZZZ-001"]'),
                              "not a known check"),
    "profile bad severity": (_assess("--profile", "p.toml", '[severity]\n"SEC-002" = "meh"'),
                             "is not one of"),
    # nmap XML
    "xml malformed": (_import("<nmaprun><host>"), "not a readable nmap XML report"),
    "xml entity bomb": (_import(BOMB), "entity declarations are not accepted"),
    "xml external entity": (_import(XXE), "entity declarations are not accepted"),
    "xml empty": (_import(""), "not a readable nmap XML report"),
    "xml binary": (_import(bytes(range(256)) * 4), "not a readable nmap XML report"),
    "xml huge": (_huge_xml, "larger than the"),
    "xml missing": (lambda t: ["import", str(t / "none.xml"), "--client", "X", "--out",
                               str(t / "o")], "file not found"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_gets_one_line_and_a_non_zero_exit(name: str, tmp_path: Path) -> None:
    build, expected = CASES[name]
    argv = build(tmp_path)
    result = CliRunner().invoke(main, argv, env={"SITEWALK_DEBUG": ""})
    assert result.exit_code not in (0, None), result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("sitewalk: error:"), lines[0]
    assert expected in lines[0], lines[0]
    assert "Traceback" not in result.output + result.stderr


def test_there_are_at_least_forty_cases() -> None:
    assert len(CASES) >= 40
    assert os.environ.get("SITEWALK_DEBUG") in (None, "")
