"""Reading assessment documents: secrets removed, dates, quarters, where the store lives."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from history.documents import (
    REDACTED,
    Documents,
    parse_moment,
    quarter_label,
    quarters_between,
    read_folder,
    strip_secrets,
    taken_at,
)
from history.errors import BadInput
from history.location import default_db_path, describe, resolve_db_url
from tests.unit.test_history_support import FIXTURE


def _office() -> Documents:
    inventory = json.loads((FIXTURE / "inventory.json").read_text())
    return Documents(inventory, {"client": inventory["client"], "findings": []})


def test_snmp_communities_are_blanked_and_secret_ones_cut_from_every_string() -> None:
    documents = _office()
    hosts = [h for h in documents.inventory["hosts"] if h.get("snmp")]
    hosts[0]["snmp"].update(community="Qu4rt3rly!", default_community=False)
    documents.inventory["errors"].append({"source": "snmp", "message": "timeout (Qu4rt3rly!)"})
    documents.findings["findings"].append({"message": 'community "Qu4rt3rly!" answered'})
    stored, removed = strip_secrets(documents)
    assert removed == len(hosts)
    assert all(h["snmp"]["community"] == "" for h in stored.inventory["hosts"] if h.get("snmp"))
    text = json.dumps([stored.inventory, stored.findings])
    assert "Qu4rt3rly!" not in text and REDACTED in text
    # A default community ("public") is blanked but not hunted through every word.
    assert documents.inventory["hosts"][0]["snmp"]["community"]  # the input is not changed


def test_quarters() -> None:
    local = timezone(timedelta(hours=-5))
    assert quarter_label(datetime(2026, 3, 31, 23, 0, tzinfo=local)) == "2026-Q1"  # site time
    assert quarter_label(datetime(2026, 4, 1, tzinfo=UTC)) == "2026-Q2"
    assert quarters_between("2025-Q4", "2026-Q2") == 3
    assert quarters_between("2026-Q1", "2026-Q1") == 1


def test_dates() -> None:
    assert parse_moment("2026-01-15") == datetime(2026, 1, 15, 12, tzinfo=UTC)
    assert parse_moment("2026-01-15T09:30:00-05:00").utcoffset() == timedelta(hours=-5)
    with pytest.raises(BadInput, match="--taken-at"):
        parse_moment("last tuesday")
    documents = _office()
    assert taken_at(documents) == parse_moment(documents.inventory["started_at"])
    documents.inventory["started_at"] = documents.inventory["finished_at"] = ""
    with pytest.raises(BadInput, match="--taken-at"):
        taken_at(documents)


def test_a_folder_without_findings_is_refused(tmp_path: Path) -> None:
    (tmp_path / "inventory.json").write_text((FIXTURE / "inventory.json").read_text())
    with pytest.raises(BadInput, match="sitewalk assess"):
        read_folder(tmp_path)
    with pytest.raises(BadInput, match="not an assessment folder"):
        read_folder(tmp_path / "missing")


def test_where_the_store_lives(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SITEWALK_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_db_path() == tmp_path / "sitewalk" / "sitewalk.db"
    assert resolve_db_url(None).database == str(tmp_path / "sitewalk" / "sitewalk.db")
    monkeypatch.delenv("XDG_DATA_HOME")
    assert default_db_path() == Path.home() / ".local/share/sitewalk/sitewalk.db"
    monkeypatch.setenv("SITEWALK_DB", "postgresql://team:s3cret@db.example/sitewalk")
    url = resolve_db_url(None)
    assert url.drivername == "postgresql+psycopg"
    assert "s3cret" not in describe(url)
    assert resolve_db_url(str(tmp_path / "a.db")).drivername == "sqlite"
    with pytest.raises(BadInput, match="not supported"):
        resolve_db_url("mysql://x@y/z")
