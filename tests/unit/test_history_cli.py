"""The history commands: human output, --json, one-line errors and exit codes (both backends)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from sitewalk.history_cli import standalone
from tests.unit import test_history_support as support

pg_server, db_url, office_quarters = support.pg_server, support.db_url, support.office_quarters


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(standalone(), [str(a) for a in args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_import_list_history_show_diff_export(db_url: str, office_quarters: list[Path],
                                              tmp_path: Path) -> None:
    for folder in office_quarters:
        code, out, _ = run("import-assessment", folder, "--db", db_url)
        assert code == 0 and "saved as assessment" in out
    code, out, _ = run("import-assessment", office_quarters[0], "--db", db_url, "--json")
    assert code == 0 and json.loads(out)["created"] is False

    code, out, _ = run("clients", "--db", db_url, "--json")
    (client,) = json.loads(out)
    assert (client["name"], client["assessments"], client["last_quarter"]) == (
        "Harbor Dental Group", 3, "2026-Q3")
    code, out, _ = run("clients", "--db", db_url)
    assert "Harbor Dental Group" in out and "2026-Q1 – 2026-Q3" in out

    code, out, _ = run("history", "harbor dental group", "--db", db_url)
    assert code == 0 and out.count("2026-Q") == 3 and "-3" in out
    code, out, _ = run("history", "Harbor Dental Group", "--db", db_url, "--json")
    ids = [a["id"] for a in json.loads(out)["assessments"]]

    code, out, _ = run("show", ids[-1], "--db", db_url)
    assert code == 0 and "Anonymous FTP is allowed" in out and "since 2026-Q1" in out
    code, out, _ = run("show", ids[-1], "--db", db_url, "--json")
    shown = json.loads(out)
    assert shown["assessment"]["quarter"] == "2026-Q3"
    assert any(f["check_id"] == "SEC-012" and f["quarters_open"] == 1
               for f in shown["open_findings"])

    code, out, _ = run("diff", ids[1], ids[2], "--db", db_url)
    assert code == 0
    assert "resolved findings: 1" in out and "Telnet is enabled" in out
    assert "port closed: 23/tcp telnet" in out and "port opened: 5900/tcp vnc" in out
    code, out, _ = run("diff", ids[0], office_quarters[1], "--db", db_url, "--json")
    data = json.loads(out)
    assert [d["display_name"] for d in data["devices"]["added"]] == ["xray-pc"]
    assert {c["name"]: c["changes"] for c in data["devices"]["changed"]}["owner-pc"] == [
        "new IP 192.168.77.110 (was 192.168.77.103)"]
    assert data["score_change"] == -3

    code, out, _ = run("export", ids[0], tmp_path / "q1", "--db", db_url)
    assert code == 0 and (tmp_path / "q1" / "findings.json").exists()

    code, out, _ = run("client", "Harbor Dental Group", "--signed-on", "2026-05-01",
                       "--db", db_url)
    assert code == 0 and "signed on 2026-05-01" in out


def test_errors_are_one_line_with_an_exit_code(db_url: str, tmp_path: Path) -> None:
    cases = [
        (("history", "Nobody", "--db", db_url), 2, "no client named 'Nobody'"),
        (("show", "42", "--db", db_url), 2, "no assessment 42"),
        (("import-assessment", tmp_path, "--db", db_url), 2, "no findings.json yet"),
        (("diff", "nonsense", "1", "--db", db_url), 2, "OLD: 'nonsense' is neither"),
        (("import-assessment", tmp_path, "--taken-at", "soon", "--db", db_url), 2,
         "--taken-at"),
        (("clients", "--db", "postgresql://nobody@127.0.0.1:1/none"), 1, "cannot open"),
        (("clients", "--db", "mysql://x@y/z"), 2, "not supported"),
    ]
    for args, expected, message in cases:
        code, out, err = run(*args)
        assert code == expected, (args, err)
        assert err.startswith("sitewalk: error: ") and message in err, err
        assert err.count("\n") == 1 and "Traceback" not in err
