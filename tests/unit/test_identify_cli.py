"""``sitewalk identify FILE`` and the walk-file reader: formats, bad files, hostile walks."""

from __future__ import annotations

import json
import time
from pathlib import Path

from click.testing import CliRunner

from scanner.identify.walk import identify_file
from scanner.snmp.walkfile import MAX_OIDS, MAX_VALUE, parse_snmprec, parse_snmpwalk, read_walk
from sitewalk.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SYNOLOGY = FIXTURES / "snmprec" / "dsm_ds214se-dsm7.snmprec"

SNMPWALK = """\
.1.3.6.1.2.1.1.1.0 = STRING: "Linux nas0 3.2.101 #42962 SMP Mon May 29 14:34:16 CST 2023 armv7l"
.1.3.6.1.2.1.1.2.0 = OID: .1.3.6.1.4.1.8072.3.2.10
.1.3.6.1.2.1.1.3.0 = Timeticks: (86400) 0:14:24.00
.1.3.6.1.2.1.1.4.0 = STRING: "two-line
contact"
.1.3.6.1.2.1.2.2.1.3.1 = INTEGER: softwareLoopback(24)
.1.3.6.1.2.1.2.2.1.3.2 = INTEGER: 6
.1.3.6.1.2.1.25.2.3.1.3.31 = STRING: "/volume1"
.1.3.6.1.4.1.6574.1.5.1.0 = STRING: "DS214se"
.1.3.6.1.4.1.6574.1.5.3.0 = STRING: "DSM 7.1-42962"
.1.3.6.1.4.1.6574.1.5.9.0 = Hex-STRING: 44 53 4D 00 FF
this line is not an OID line
"""


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_identify_prints_class_maker_model_firmware_confidence_and_evidence() -> None:
    code, output = _run("identify", str(SYNOLOGY))
    assert code == 0, output
    lines = dict(line.split(":", 1) for line in output.splitlines()[:7] if ":" in line)
    assert {key: value.strip() for key, value in lines.items()} == {
        "class": "nas", "manufacturer": "Synology", "model": "DS214se",
        "firmware": "DSM 7.1-42962", "OS": "Linux", "serial number": "-", "confidence": "0.88"}
    assert "evidence:" in output and "1.3.6.1.4.1.6574.1.5.1.0" in output


def test_identify_json_and_snmpwalk_text_give_the_same_device(tmp_path: Path) -> None:
    walk = tmp_path / "walk.txt"
    walk.write_text(SNMPWALK)
    code, output = _run("identify", str(walk), "--json")
    assert code == 0, output
    found = json.loads(output)
    assert (found["device_class"], found["manufacturer"], found["model"], found["firmware"]) == \
        ("nas", "Synology", "DS214se", "DSM 7.1-42962")
    assert found["sys_object_id"] == "1.3.6.1.4.1.8072.3.2.10"
    assert found["confidence"] > 0.5 and found["evidence"]
    parsed = parse_snmpwalk(SNMPWALK)
    assert parsed["1.3.6.1.2.1.1.4.0"] == "two-line\ncontact"
    assert parsed["1.3.6.1.2.1.2.2.1.3.1"] == 24 and parsed["1.3.6.1.2.1.1.3.0"] == 86400
    assert parsed["1.3.6.1.4.1.6574.1.5.9.0"] == b"DSM\x00\xff"  # binary stays bytes


def test_a_file_without_a_walk_is_a_one_line_error_with_exit_code_2(tmp_path: Path) -> None:
    for name, content in (("empty.txt", ""), ("notes.txt", "hello\nworld\n"),
                          ("binary.snmprec", "\x00\x01\x02|||\n")):
        path = tmp_path / name
        path.write_text(content)
        code, output = _run("identify", str(path))
        assert code == 2 and output.count("\n") == 1 and "holds no SNMP walk" in output, output
    code, output = _run("identify", str(tmp_path / "missing.snmprec"))
    assert code == 2 and output.startswith("sitewalk: error: cannot read"), output


def test_a_huge_garbage_walk_costs_bounded_time_and_memory(tmp_path: Path) -> None:
    # 100,000 OIDs under unregistered enterprise numbers, some values huge, some lines broken.
    lines = [f"1.3.6.1.4.1.{900_000 + n % 500}.{n}|4|{'x' * 50_000 if n % 997 == 0 else 'v'}"
             for n in range(100_000)]
    lines += ["1.3.6.1.2.1.1.1.0|4|" + "\x1b[31m" * 10, "garbage|||",
              "1.3.6|2|99999999999999999999999", "1.3.6.1.2.1.1.7.0|2|" + "9" * 5000]
    path = tmp_path / "huge.snmprec"
    path.write_text("\n".join(lines))
    started = time.monotonic()
    host = identify_file(path)
    elapsed = time.monotonic() - started
    assert elapsed < 20, f"{elapsed:.1f} s"
    assert host.device_class == "unknown" and host.evidence[-1].startswith("unknown: ")
    walk = read_walk(path)
    assert len(walk) <= MAX_OIDS
    assert max(len(value) for value in walk.values() if isinstance(value, str)) <= MAX_VALUE
    assert "\x1b" not in walk["1.3.6.1.2.1.1.1.0"]  # control characters stripped
    assert host.snmp is not None and len(host.snmp.identity.get("mib.enterprises", "")) < 100


def test_the_walk_is_cut_at_its_oid_limit() -> None:
    text = "\n".join(f"1.3.6.1.4.1.9.{n}|2|{n}" for n in range(MAX_OIDS + 10))
    assert len(parse_snmprec(text)) == MAX_OIDS
