"""Fuzzing the parsers that read the network and the files the consultant gives us.

hypothesis generates inputs; every file in ``corpus/`` is replayed first. The property is the
same everywhere: a parser either returns a well-formed value or raises its own documented
error — never another exception, never unbounded or control-character output.
"""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checks.exceptions import ExceptionsError, load_exceptions
from checks.interview import InterviewError, load_answers
from checks.pricebook import PriceBookError, parse_price_book
from scanner.folder import FolderError
from scanner.importer import import_nmap_xml
from scanner.macvendor import normalise_mac
from scanner.snmp.parse import as_int, clean_value, text_of
from scanner.targets import TargetError, parse_target
from scanner.textsafe import MAX_NAME, bounded, bounded_name

CORPUS = Path(__file__).parent / "corpus"
FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
CONTROL = {chr(c) for c in range(32) if chr(c) not in "\n\t"} | {"\x7f"}


def _corpus(pattern: str) -> list[Path]:
    return sorted(CORPUS.glob(pattern))


@FAST
@given(st.one_of(st.text(), st.binary()))
def test_bounded_text_is_bounded_and_clean(value: str | bytes) -> None:
    text = bounded(value, 300)
    name = bounded_name(value)
    assert len(text) <= 300 and len(name) <= MAX_NAME
    assert not (set(text) & CONTROL) and "\n" not in name


@FAST
@given(st.text(alphabet=string.printable + "→é\x00", max_size=60))
def test_target_parser_returns_networks_or_its_own_error(spec: str) -> None:
    try:
        networks = parse_target(spec)
    except TargetError as exc:
        assert "\n" not in str(exc)
        return
    assert networks and all(n.version == 4 for n in networks)


def test_target_corpus() -> None:
    for path in _corpus("targets-*.txt"):
        for line in path.read_text(errors="replace").splitlines():
            try:
                parse_target(line)
            except TargetError:
                pass


@FAST
@given(st.text(max_size=40))
def test_mac_normalising_is_total(value: str) -> None:
    mac = normalise_mac(value)
    assert mac is None or (len(mac) == 17 and mac == mac.lower())


@FAST
@given(st.one_of(st.text(), st.binary(), st.integers(), st.none(), st.floats()))
def test_snmp_value_helpers_never_raise(value: object) -> None:
    assert isinstance(text_of(value), str)
    assert isinstance(clean_value(value), str)
    number = as_int(value)
    assert number is None or isinstance(number, int)


XML_PIECES = st.sampled_from([
    "<nmaprun>", "</nmaprun>", "<host>", "</host>", '<status state="up"/>',
    '<address addr="192.168.1.9" addrtype="ipv4"/>', '<address addr="00:11:22:33:44:55" '
    'addrtype="mac" vendor="&lt;b&gt;"/>', "<ports>", "</ports>",
    '<port protocol="tcp" portid="23">', "</port>", '<state state="open"/>',
    '<service name="telnet" product="x" tunnel="ssl"/>', '<script id="ftp-anon" output="y"/>',
    "<hostnames>", '<hostname name="a.b"/>', "</hostnames>", "&amp;", "<!--", "\x00", "é"])


@FAST
@given(st.lists(XML_PIECES, max_size=30))
def test_nmap_import_gives_an_inventory_or_a_one_line_error(tmp_path: Path,
                                                            pieces: list[str]) -> None:
    _import_or_error(tmp_path, "".join(pieces))


@pytest.mark.parametrize("path", _corpus("nmap-*.xml"), ids=lambda p: p.name)
def test_nmap_corpus(tmp_path: Path, path: Path) -> None:
    _import_or_error(tmp_path, path.read_text())


def _import_or_error(tmp_path: Path, text: str) -> None:
    source = tmp_path / "scan.xml"
    source.write_text(text, encoding="utf-8", errors="replace")
    try:
        inventory = import_nmap_xml(source, "Fuzz", tmp_path / "out")
    except FolderError as exc:
        assert "\n" not in str(exc)
        return
    for host in inventory.hosts:
        for service in host.services:
            assert 1 <= service.port <= 65535 or service.port > 0
            assert not (set(service.product + service.name) & CONTROL)
        assert all(len(name) <= MAX_NAME for name in host.hostnames)


TOML_VALUES = st.one_of(st.integers(), st.floats(allow_nan=False), st.text(max_size=20),
                        st.booleans(), st.lists(st.text(max_size=8), max_size=3))
KEYS = st.sampled_from(["company", "employees", "computer_users", "regulation", "sites",
                        "current_support", "offsite_backup", "last_restore_test", "colour",
                        "downtime_cost_per_hour", "ups_devices"])


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return repr(value)  # ints, and floats (repr gives TOML's inf and -inf too)


@FAST
@given(st.dictionaries(KEYS, TOML_VALUES, max_size=6))
def test_answers_files_load_or_name_the_problem(tmp_path: Path, answers: dict) -> None:
    path = tmp_path / "answers.toml"
    path.write_text("\n".join(f"{k} = {_toml_value(v)}" for k, v in answers.items()))
    _answers_or_error(path)


@pytest.mark.parametrize("path", _corpus("answers-*.toml"), ids=lambda p: p.name)
def test_answers_corpus(path: Path) -> None:
    _answers_or_error(path)


def _answers_or_error(path: Path) -> None:
    try:
        loaded = load_answers(path)
    except InterviewError as exc:
        assert str(exc).startswith(str(path)) and "\n" not in str(exc)
        return
    assert isinstance(loaded, dict)


@FAST
@given(st.text(alphabet=string.printable, max_size=400))
def test_price_book_text_parses_or_names_the_problem(text: str) -> None:
    try:
        parse_price_book(text, "fuzz.toml")
    except PriceBookError as exc:
        assert str(exc).startswith("fuzz.toml") and "\n" not in str(exc)


@FAST
@given(st.text(alphabet=string.printable, max_size=300))
def test_exceptions_files_load_or_name_the_problem(tmp_path: Path, text: str) -> None:
    path = tmp_path / "exceptions.toml"
    path.write_text("[[exception]]\n" + text)
    try:
        load_exceptions(path, {"SEC-002"})
    except ExceptionsError as exc:
        assert "\n" not in str(exc)


@given(st.binary(max_size=600))
@settings(max_examples=300, deadline=None)
def test_dns_answers_read_by_scapy_raise_only_the_format_error(data: bytes) -> None:
    from scanner.dnsmsg import DnsFormatError, records

    try:
        found = records(b"\x00\x00\x84\x00" + data)
    except DnsFormatError:
        return
    assert len(found) <= 200


@given(st.binary(max_size=300))
@settings(max_examples=300, deadline=None)
def test_segment_frames_never_break_the_collector(data: bytes) -> None:
    from scapy.layers.l2 import Ether

    from scanner.segment.parse import SegmentCollector

    collector = SegmentCollector()
    for prefix in (b"\x01\x80\xc2\x00\x00\x0e\x00\x1b\x54\x00\x00\x01\x88\xcc",
                   b"\x01\x00\x0c\xcc\xcc\xcc\x00\x1b\x54\x00\x00\x01\x00\x40\xaa\xaa\x03"
                   b"\x00\x00\x0c\x20\x00"):
        try:
            packet = Ether(prefix + data)
        except Exception:  # noqa: BLE001, S112 - scapy refusing a frame is not our concern
            continue
        collector.add(packet)
    collector.segment()
