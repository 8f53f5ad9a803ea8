"""The history store, on SQLite and on a real PostgreSQL server (every test runs on both)."""

from __future__ import annotations

import json
import zlib
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select

from history import queries
from history.diff import diff_snapshots
from history.documents import parse_moment, read_folder, taken_at
from history.errors import BadInput, NotFound
from history.export import export_assessment
from history.facts import snapshot_from_documents
from history.location import resolve_db_url
from history.save import import_folder, record_scan
from history.store import (
    Store,
    create_store_engine,
    current_revision,
    head_revision,
    migrate,
    open_store,
)
from history.tables import (
    AreaScoreRow,
    AssessmentRow,
    Base,
    ClientRow,
    CredentialRow,
    DocumentRow,
    FindingRow,
    HostRow,
    SiteRow,
)
from tests.unit import test_history_support as support
from tests.unit.test_history_support import ACCOUNTS_PC, OWNER_PC, SITE_COMMUNITY, XRAY_PC

# The shared fixtures (see tests/unit/test_history_support.py).
pg_server, db_url, store = support.pg_server, support.db_url, support.store
office_quarters = support.office_quarters

TABLES = (ClientRow, SiteRow, AssessmentRow, AreaScoreRow, HostRow, FindingRow, DocumentRow)


def counts(store: Store) -> dict[str, int]:
    with store.session() as session:
        return {t.__tablename__: session.scalar(select(func.count()).select_from(t))
                for t in TABLES}


def test_the_schema_is_migrated_and_matches_the_models(store: Store) -> None:
    assert current_revision(store.engine) == head_revision() == "0002"
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_a_history_of_the_first_schema_is_upgraded_with_its_data(
        db_url: str, office_quarters: list[Path]) -> None:
    url = resolve_db_url(db_url)
    engine = create_store_engine(url)
    migrate(engine, "0001")
    engine.dispose()
    with open_store(db_url, upgrade=False) as old:
        assert current_revision(old.engine) == "0001"
        import_folder(old, office_quarters[0])
    with open_store(db_url) as upgraded:
        assert current_revision(upgraded.engine) == "0002"
        assert counts(upgraded)["assessments"] == 1
        with upgraded.session() as session:
            assert session.scalar(select(func.count()).select_from(CredentialRow)) == 0


def test_opening_again_changes_nothing(db_url: str, office_quarters: list[Path]) -> None:
    with open_store(db_url) as first:
        import_folder(first, office_quarters[0])
    with open_store(db_url) as again:
        assert counts(again)["assessments"] == 1


def test_import_keeps_devices_results_scores_and_documents(
        store: Store, office_quarters: list[Path]) -> None:
    saved = import_folder(store, office_quarters[1], site="Harbor St")
    assert (saved.client, saved.site, saved.quarter, saved.created) == (
        "Harbor Dental Group", "Harbor St", "2026-Q2", True)
    documents = read_folder(office_quarters[1])
    found = counts(store)
    assert found["hosts"] == len(documents.inventory["hosts"]) == 9
    assert found["findings"] == len(documents.findings["findings"])
    assert found["assessment_documents"] == 3  # inventory, findings, interview
    stored = queries.get_assessment(store, saved.assessment_id)
    assert stored.summary.overall_score == documents.findings["scores"]["overall"]["score"]
    assert stored.documents.findings == documents.findings
    assert stored.documents.interview == documents.interview
    assert {a.area for a in stored.areas} == set(documents.findings["scores"]["areas"])


def test_the_same_evidence_is_not_stored_twice(store: Store, office_quarters: list[Path]) -> None:
    first = import_folder(store, office_quarters[0])
    again = import_folder(store, office_quarters[0], client="harbor dental GROUP")
    assert again.assessment_id == first.assessment_id and not again.created
    assert counts(store)["assessments"] == 1 and counts(store)["clients"] == 1


def test_snmp_communities_are_never_stored(store: Store, office_quarters: list[Path]) -> None:
    saved = import_folder(store, office_quarters[1])
    assert SITE_COMMUNITY in (office_quarters[1] / "inventory.json").read_text()
    assert saved.secrets_removed == 3
    with store.session() as session:
        bodies = [zlib.decompress(b).decode() for b in session.scalars(select(DocumentRow.body))]
        rows = [json.dumps([list(r) for r in session.execute(select(t))], default=str)
                for t in TABLES if t is not DocumentRow]
    for text in bodies + rows:
        assert SITE_COMMUNITY not in text
    inventory = json.loads(bodies[0]) if '"hosts"' in bodies[0] else json.loads(bodies[1])
    assert all(h["snmp"]["community"] == "" for h in inventory["hosts"] if h.get("snmp"))


def test_a_save_that_fails_midway_leaves_nothing(store: Store, office_quarters: list[Path],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import_folder(store, office_quarters[0])
    before = counts(store)

    def disk_full(*_args: object) -> list[dict[str, object]]:
        # Reached after the client, site, assessment, devices and results were inserted.
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("history.save._document_values", disk_full)
    with pytest.raises(OSError):
        import_folder(store, office_quarters[1], client="Another Client", site="Elsewhere")
    with pytest.raises(OSError):
        import_folder(store, office_quarters[2])
    assert counts(store) == before
    monkeypatch.undo()
    assert import_folder(store, office_quarters[1], client="Another Client").created


def test_clients_and_history(store: Store, office_quarters: list[Path]) -> None:
    for folder in reversed(office_quarters):  # imported out of order on purpose
        import_folder(store, folder)
    import_folder(store, office_quarters[0], client="Zephyr Law", site="Downtown")
    clients = queries.list_clients(store)
    assert [c.name for c in clients] == ["Harbor Dental Group", "Zephyr Law"]
    harbor = clients[0]
    assert (harbor.assessments, harbor.first_quarter, harbor.last_quarter) == (
        3, "2026-Q1", "2026-Q3")
    assert harbor.status == "prospect" and harbor.sites == ("Main office",)
    history = queries.client_history(store, "HARBOR  dental group")
    assert [a.quarter for a in history.assessments] == ["2026-Q1", "2026-Q2", "2026-Q3"]
    assert [a.open_count for a in history.assessments] == [13, 10, 10]
    with pytest.raises(NotFound, match="did you mean 'Harbor Dental Group'"):
        queries.client_history(store, "harbor dental")
    with pytest.raises(NotFound, match="no site named"):
        queries.client_history(store, "Zephyr Law", site="Uptown")
    with pytest.raises(NotFound, match="no assessment 999"):
        queries.get_assessment(store, 999)
    signed = queries.set_client_status(store, "zephyr law", "signed", date(2026, 5, 1))
    assert (signed.status, signed.signed_on) == ("signed", date(2026, 5, 1))


def test_taken_at_and_quarter_can_be_given(store: Store, office_quarters: list[Path]) -> None:
    saved = import_folder(store, office_quarters[0], taken=parse_moment("2025-12-30"))
    assert saved.quarter == "2025-Q4"
    with pytest.raises(BadInput, match="client name is empty"):
        import_folder(store, office_quarters[1], client="   ")


def test_stored_diff_equals_the_folder_diff_and_ages_come_from_history(
        store: Store, office_quarters: list[Path]) -> None:
    ids = [import_folder(store, folder).assessment_id for folder in office_quarters]
    with store.session() as session:
        stored = queries.stored_diff(session, ids[1], ids[2])
    docs = [read_folder(f) for f in office_quarters[1:]]
    folders = diff_snapshots(*(snapshot_from_documents(d, "", taken_at(d)) for d in docs))
    for name in ("new_findings", "resolved", "persisting", "no_longer_assessed"):
        assert [c.finding.uid for c in getattr(stored, name)] == \
            [c.finding.uid for c in getattr(folders, name)]
    ftp = next(c for c in stored.persisting if c.finding.uid == f"SEC-003:{ACCOUNTS_PC}")
    assert (ftp.first_quarter, ftp.quarters_open) == ("2026-Q1", 3)  # the store remembers Q1
    ftp_folders = next(c for c in folders.persisting if c.finding.uid == ftp.finding.uid)
    assert (ftp_folders.first_quarter, ftp_folders.quarters_open) == ("2026-Q2", 2)
    (vnc,) = stored.new_findings
    assert vnc.finding.uid == f"SEC-012:{XRAY_PC}" and vnc.quarters_open == 1


def test_a_fixed_finding_that_comes_back_is_aged_from_its_return(
        store: Store, office_quarters: list[Path], tmp_path: Path) -> None:
    # Q1 telnet open, Q3 closed, then (Q4) open again: it is one quarter old, not four.
    from tests.unit.test_history_support import (
        RECEPTION_PC,
        _at,
        load_office,
        quarter_three,
        service,
        write_assessment,
    )

    base, interview = load_office()
    q4 = quarter_three(base)
    _at(q4, "2026-10-12")
    reception = next(h for h in q4["hosts"] if h["mac"] == RECEPTION_PC)
    reception["services"].append(service(23, "telnet"))
    folders = [*office_quarters, write_assessment(tmp_path / "q4", q4, interview)]
    ids = [import_folder(store, f).assessment_id for f in folders]
    with store.session() as session:
        aged = queries.aged_open_findings(session, queries.stored_snapshot(session, ids[-1]))
    ages = {c.finding.uid: (c.first_quarter, c.quarters_open) for c in aged}
    assert ages[f"SEC-002:{RECEPTION_PC}"] == ("2026-Q4", 1)
    assert ages[f"SEC-004:{OWNER_PC}"] == ("2026-Q1", 4)


def test_export_writes_a_folder_the_report_renders(store: Store, office_quarters: list[Path],
                                                   tmp_path: Path) -> None:
    from reports.render import render_report

    saved = import_folder(store, office_quarters[2])
    folder = export_assessment(store, saved.assessment_id, tmp_path / "out")
    assert {p.name for p in folder.iterdir()} == {"inventory.json", "findings.json",
                                                 "interview.json"}
    html = render_report(folder, "html", tmp_path / "report.html")
    assert "Harbor Dental Group" in html.read_text()
    with pytest.raises(BadInput, match="--force"):
        export_assessment(store, saved.assessment_id, folder)
    again = import_folder(store, folder)  # the exported evidence is the stored evidence
    assert again.assessment_id == saved.assessment_id and not again.created


def test_record_scan_is_the_unattended_entry_point(db_url: str,
                                                   office_quarters: list[Path]) -> None:
    first = record_scan(office_quarters[0], "Harbor Dental Group", "Main office", db_url)
    assert record_scan(office_quarters[0], "Harbor Dental Group", None, db_url) == first
    with open_store(db_url) as opened:
        (only,) = queries.client_history(opened, "Harbor Dental Group").assessments
        assert only.source == "scan"
