"""``sitewalk data update``'s library: conversion, atomic install, failures that change nothing.

The API is replaced by a fetcher reading the hand-written fixture (tests/fixtures/endoflife-api);
no test here opens a connection except to a closed port on loopback (the offline CLI case).
The same command against a real HTTP server, in a network namespace, is
tests/integration/test_data_update.py.
"""

from __future__ import annotations

import datetime
import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from checks.lifecycle.table import data_date, load_table, support, user_table_path
from checks.lifecycle.update import (
    Offline,
    UpdateError,
    convert_product,
    fetch_table,
    update_table,
)

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "endoflife-api" / "products"
DAY = datetime.date(2026, 12, 4)


def fixture_fetch(url: str, timeout: float) -> bytes | None:
    """Answer like the API from the fixture: a product file, or None (404)."""
    assert url.startswith("http://api.test/v1/products/") and timeout > 0
    path = FIXTURE / f"{url.rstrip('/').rsplit('/', 1)[1]}.json"
    return path.read_bytes() if path.is_file() else None


def test_conversion_keeps_dates_and_flags() -> None:
    product = convert_product(json.loads((FIXTURE / "debian.json").read_text()))
    assert product["label"] == "Debian" and product["eoesColumn"] == "Debian LTS"
    twelve = next(r for r in product["releases"] if r["cycle"] == "12")
    assert (twelve["eol"], twelve["eoes"], twelve["latest"]) == ("2026-07-11", "2028-06-30",
                                                                 "12.16")
    old = next(r for r in product["releases"] if r["cycle"] == "3.0")
    assert old["eol"] is True and old["latest"] is None


def test_update_installs_a_new_table_that_takes_precedence() -> None:
    assert data_date() == datetime.date(2026, 8, 22)
    path, table = update_table("http://api.test/v1", DAY, fixture_fetch)
    assert path == user_table_path() and path.is_file()
    assert (path.parent / "LICENSE").read_text().startswith("Copyright 2020 endoflife.date")
    assert data_date() == DAY
    assert load_table().source == "endoflife.date API 2026-12-04"
    # FortiOS 7.4 ends 2026-12-24 in the fixture (2028-11-11 in the snapshot).
    assert support("fortios", "7.4.3", DAY).status == "ending_soon"
    assert support("debian", "14", DAY).cycle == "14"
    carried = table["provenance"]["carried_over"]
    assert "windows" in carried and "debian" not in carried
    assert support("windows-server", "2019", DAY).status == "supported"  # kept from before


def test_a_source_that_is_offline_changes_nothing() -> None:
    def offline(url: str, timeout: float) -> bytes | None:
        raise Offline(f"cannot reach {url}: Network is unreachable")

    with pytest.raises(Offline):
        update_table("http://api.test/v1", DAY, offline)
    assert not user_table_path().exists() and data_date() == datetime.date(2026, 8, 22)


def test_a_connection_that_breaks_midway_changes_nothing() -> None:
    calls = []

    def flaky(url: str, timeout: float) -> bytes | None:
        calls.append(url)
        if len(calls) > 3:
            raise Offline("connection reset")
        return fixture_fetch(url, timeout)

    with pytest.raises(UpdateError, match="broke during the update"):
        update_table("http://api.test/v1", DAY, flaky)
    assert not user_table_path().exists()


@pytest.mark.parametrize(("body", "message"), [
    (b"<html>not json</html>", "is not lifecycle data"),
    (b'{"result": {"name": "x", "releases": []}}', "is not lifecycle data"),
    (b'{"result": {"name": "x", "releases": [{"name": "1", "eolFrom": "soon"}]}}',
     "is not lifecycle data"),
])
def test_a_source_that_answers_nonsense_changes_nothing(body: bytes, message: str) -> None:
    with pytest.raises(UpdateError, match=message):
        update_table("http://api.test/v1", DAY, lambda url, timeout: body)
    assert not user_table_path().exists()


def test_a_source_that_knows_no_product_is_refused() -> None:
    with pytest.raises(UpdateError, match="knows none of the products"):
        fetch_table("http://api.test/v1", DAY, lambda url, timeout: None)


def test_an_earlier_table_survives_a_failed_update() -> None:
    update_table("http://api.test/v1", DAY, fixture_fetch)
    before = user_table_path().read_bytes()
    with pytest.raises(UpdateError):
        update_table("http://api.test/v1", DAY, lambda url, timeout: b"{}")
    assert user_table_path().read_bytes() == before
    assert [p.name for p in user_table_path().parent.iterdir()
            if p.name.startswith(".lifecycle-")] == [], "no temporary file is left behind"


def _closed_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the socket closes


def test_cli_offline_is_one_line_and_exit_1() -> None:
    from sitewalk.cli import main

    port = _closed_loopback_port()
    result = CliRunner().invoke(main, ["data", "update", "--source",
                                       f"http://127.0.0.1:{port}/api/v1"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sitewalk: offline: cannot reach")
    assert "keeping the lifecycle data of 2026-08-22" in lines[0]
    assert not user_table_path().exists()


def test_cli_refuses_a_source_that_is_not_http() -> None:
    from sitewalk.cli import main

    result = CliRunner().invoke(main, ["data", "update", "--source", "file:///etc/passwd"])
    assert result.exit_code == 2 and "http(s) URL" in result.output


def test_stale_data_warns_once_on_stderr(tmp_path: Path) -> None:
    import click

    from sitewalk.data_cli import warn_if_stale, warn_if_stale_findings

    runner = CliRunner()

    @click.command()
    def probe() -> None:
        warn_if_stale(datetime.date(2027, 3, 1))
        warn_if_stale(datetime.date(2026, 12, 1))

    result = runner.invoke(probe)
    assert result.output.count("months old") == 1, "2027-03-01 warns, 2026-12-01 does not"
    assert "2026-08-22" in result.output and len(result.output.strip().splitlines()) == 1

    (tmp_path / "findings.json").write_text(json.dumps({"lifecycle_data": {"date": "2026-01-01"}}))

    @click.command()
    def probe_findings() -> None:
        warn_if_stale_findings(tmp_path, datetime.date(2026, 12, 1))
        warn_if_stale_findings(tmp_path, datetime.date(2026, 6, 1))
        warn_if_stale_findings(tmp_path / "missing", datetime.date(2026, 12, 1))

    result = runner.invoke(probe_findings)
    assert len(result.output.strip().splitlines()) == 1 and "2026-01-01" in result.output
