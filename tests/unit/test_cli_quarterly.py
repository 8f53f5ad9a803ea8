"""The history as the main ``sitewalk`` command uses it: ``report --quarterly`` and
``scan --unattended``'s ending (assess with last visit's answers, save into the history).

Runs on a SQLite history in the test's folder; the store itself is tested on SQLite and
PostgreSQL in test_history_store.py.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from click.testing import CliRunner

from sitewalk.cli import _assess_and_record, main
from tests.unit import test_history_support as support
from tests.unit.test_history_support import load_office, quarter_three

office_quarters = support.office_quarters
CLIENT = "Harbor Dental Group"


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def import_all(db: Path, folders: list[Path]) -> None:
    for folder in folders:
        code, _out, err = run("import-assessment", folder, "--db", db)
        assert code == 0, err


def test_report_quarterly_renders_the_review_from_the_history(
        tmp_path: Path, office_quarters: list[Path]) -> None:
    db = tmp_path / "history.db"
    import_all(db, office_quarters)
    output = tmp_path / "qbr.html"
    code, out, err = run("report", CLIENT, "--quarterly", "--format", "html",
                         "--output", output, "--db", db)
    assert code == 0, err
    assert out.strip() == str(output)
    html = output.read_text(encoding="utf-8")
    assert CLIENT in html and "Q3 2026" in html
    # Quarter two's review is a different document: as of that quarter.
    older = tmp_path / "q2.html"
    code, _out, err = run("report", CLIENT, "--quarterly", "--quarter", "2026-Q2", "--format",
                          "html", "--output", older, "--db", db)
    assert code == 0, err
    assert "business review Q2 2026" in older.read_text(encoding="utf-8")


def test_report_quarterly_bad_input_is_one_line(tmp_path: Path,
                                                office_quarters: list[Path]) -> None:
    db = tmp_path / "history.db"
    import_all(db, office_quarters[:1])
    for args in (("Nobody Dental",), (CLIENT, "--quarter", "Q9-2026"),
                 (CLIENT, "--format", "csv")):
        code, out, err = run("report", *args, "--quarterly", "--db", db,
                             "--output", tmp_path / "x.html")
        assert code == 2, (args, out, err)
        assert err.startswith("sitewalk: error:") and err.count("\n") == 1, err
        assert "Traceback" not in err


def test_unattended_ending_reuses_last_answers_and_records(
        tmp_path: Path, office_quarters: list[Path], capsys: object) -> None:
    db = tmp_path / "history.db"
    import_all(db, office_quarters)
    base, interview = load_office()
    inventory = copy.deepcopy(quarter_three(base))
    inventory["started_at"] = "2026-10-02T06:00:00-05:00"  # the probe's Q4 scan
    inventory["finished_at"] = "2026-10-02T06:31:00-05:00"
    folder = tmp_path / "probe-scan"
    folder.mkdir()
    (folder / "inventory.json").write_text(json.dumps(inventory), encoding="utf-8")

    _assess_and_record(folder, CLIENT, None, str(db))

    assert json.loads((folder / "interview.json").read_text()) == interview
    assert (folder / "findings.json").exists()
    code, out, err = run("history", CLIENT, "--json", "--db", db)
    assert code == 0, err
    quarters = [a["quarter"] for a in json.loads(out)["assessments"]]
    assert quarters == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
