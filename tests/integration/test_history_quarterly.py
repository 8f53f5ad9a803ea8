"""Three quarters of one office, from the real pipeline into the store and out as a QBR.

The quarters are made from a real inventory of the virtual office edited in code (a device
added, telnet closed, a new exposed service: see tests/fixtures/history-office/README.md) and
assessed by the real ``checks.assess``; they are imported into the store on SQLite and on
PostgreSQL, compared, and rendered as the quarterly business review, whose text is read back
with pdftotext.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from history import queries
from history.save import import_folder
from history.store import Store
from reports.quarterly_render import render_quarterly_report
from tests.unit import test_history_support as support
from tests.unit.test_history_support import (
    ACCOUNTS_PC,
    OWNER_PC,
    RECEPTION_PC,
    UPS,
    XRAY_PC,
    load_office,
    quarter_three,
    write_assessment,
)

pg_server, db_url, store = support.pg_server, support.db_url, support.store
office_quarters = support.office_quarters
CLIENT = "Harbor Dental Group"


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (Debian package poppler-utils) is needed", pytrace=False)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, timeout=60, check=True)
    return re.sub(r"[ \t]+", " ", done.stdout)


def test_three_quarters_diff(store: Store, office_quarters: list[Path]) -> None:
    ids = [import_folder(store, folder).assessment_id for folder in office_quarters]
    with store.session() as session:
        spring = queries.stored_diff(session, ids[0], ids[1])
        summer = queries.stored_diff(session, ids[1], ids[2])

    # Q1 -> Q2: a device added; DHCP moved owner-pc (a change, not a new device).
    assert [h.mac for h in spring.devices_added] == [XRAY_PC]
    assert not spring.devices_removed
    changed = {c.after.mac: c.changes for c in spring.devices_changed}
    assert changed == {UPS: ("firmware 7.1.2 (was 7.0.8)",),
                       OWNER_PC: ("new IP 192.168.77.110 (was 192.168.77.103)",)}
    assert sorted(c.finding.check_id for c in spring.resolved) == ["SEC-001"] * 3
    assert spring.score_change == -3 and not spring.new_findings

    # Q2 -> Q3: telnet closed, VNC newly exposed; the rest persists and ages.
    assert not summer.devices_added and not summer.devices_removed
    assert {c.after.mac: c.changes for c in summer.devices_changed} == {
        RECEPTION_PC: ("port closed: 23/tcp telnet",), XRAY_PC: ("port opened: 5900/tcp vnc",)}
    assert [c.finding.uid for c in summer.resolved] == [f"SEC-002:{RECEPTION_PC}"]
    assert [c.finding.uid for c in summer.new_findings] == [f"SEC-012:{XRAY_PC}"]
    assert not summer.no_longer_assessed
    ages = {c.finding.uid: (c.first_quarter, c.quarters_open) for c in summer.persisting}
    assert ages[f"SEC-003:{ACCOUNTS_PC}"] == ("2026-Q1", 3)
    assert ages["BAK-002:site"] == ("2026-Q1", 3)
    assert summer.score_change == 0 and summer.new.verdict == "sweet_spot"


def test_the_quarterly_review_of_a_prospect(db_url: str, office_quarters: list[Path],
                                            tmp_path: Path) -> None:
    from history.store import open_store

    with open_store(db_url) as opened:
        for folder in office_quarters:
            import_folder(opened, folder)
    branding = Path(__file__).resolve().parents[1] / "fixtures/report-sample/branding.toml"
    pdf = render_quarterly_report("harbor dental group", tmp_path / "qbr.pdf", db=db_url,
                                  branding=branding, today=date(2026, 7, 20))
    text = pdf_text(pdf)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "QUARTERLYBUSINESSREVIEW·Q32026" in "".join(text.split())  # letter-spaced kicker
    assert CLIENT in text
    assert "Northwind IT Partners" in text
    # The trend over every quarter, and the lead in words.
    assert "Since Q2 2026, the risk score stayed at 36 out of 100 (moderate)." in " ".join(lines)
    assert "Overall risk score by quarter" not in text  # the description is an aria label
    # What changed.
    fixed_new = next(i for i, line in enumerate(lines) if line.startswith("Fixed 1"))
    assert "New 1" in lines[fixed_new]
    assert any("Telnet is enabled" in line for line in lines[fixed_new:fixed_new + 4])
    assert any("VNC remote control is open" in line for line in lines[fixed_new:fixed_new + 4])
    assert "port closed: 23/tcp telnet" in text and "port opened: 5900/tcp vnc" in text
    # Still open, with ages.
    ftp = next(line for line in lines if line.startswith("HIGH Anonymous FTP is allowed"))
    assert "Q1 2026" in ftp and "3 quarters" in ftp
    vnc = next(line for line in lines if line.startswith("HIGH VNC remote control is open"))
    assert "Q3 2026" in vnc and "1 quarter" in vnc
    # The roadmap, ranked by severity, with the price book's estimates.
    roadmap = " ".join(text[text.index("Roadmap for next quarter"):].split())
    assert roadmap.index("CRITICAL") < roadmap.index("HIGH") < roadmap.index("MEDIUM")
    assert "Add an automatic offsite" in roadmap and "Disable anonymous FTP" in roadmap
    assert re.search(r"Total of the estimated work \d+ h \$[\d,]+", roadmap)
    # A prospect sees what the ignored risks look like now.
    assert "The risks that have waited" in text
    assert "8 risks have been open for two quarters or more" in " ".join(lines)
    assert "Open since Q1 2026 (3 quarters)" in text
    # The appendix: every quarter.
    history = text[text.index("Your history with us"):]
    for quarter in ("Q3 2026", "Q2 2026", "Q1 2026"):
        assert quarter in history


def test_a_signed_client_and_an_earlier_quarter(store: Store, office_quarters: list[Path],
                                                tmp_path: Path, db_url: str) -> None:
    for folder in office_quarters:
        import_folder(store, folder)
    queries.set_client_status(store, CLIENT, "signed", date(2026, 5, 1))
    pdf = render_quarterly_report(CLIENT, tmp_path / "signed.pdf", db=db_url)
    text = pdf_text(pdf)
    assert "The risks that have waited" not in text
    assert "Client since May 1, 2026" in text
    first = render_quarterly_report(CLIENT, tmp_path, db=db_url, quarter="2026-Q1")
    assert first.name == "qbr-harbor-dental-group-2026-Q1.pdf"
    assert "This is the first quarter in" in " ".join(pdf_text(first).split())


def test_names_from_the_network_are_escaped(store: Store, db_url: str, tmp_path: Path) -> None:
    base, interview = load_office()
    hostile = quarter_three(base)
    payload = '<img src="http://tracker.example/p.gif">evil'
    xray = next(h for h in hostile["hosts"] if h["mac"] == XRAY_PC)
    xray["hostnames"] = [payload]
    import_folder(store, write_assessment(tmp_path / "q", hostile, interview))
    html = render_quarterly_report(CLIENT, tmp_path / "qbr.html", db=db_url, fmt="html")
    page = html.read_text()
    assert payload not in page and "&lt;img src=" in page
    assert "tracker.example/p.gif" not in json.dumps(re.findall(r'src="([^"]*)"', page))
