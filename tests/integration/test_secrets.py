"""The site's own SNMP community is used on the wire and never written down.

The virtual office's UPS card answers to its own read-only community as well as to ``public``.
A real scan that is given that community first (so the card answers to it) must not leave it
anywhere: not in the assessment folder (inventory, evidence), not in the findings, not in the
PDF, HTML, JSON, CSV or XLSX made from it, not in the history, and not on the terminal.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

SITEWALK = str(Path(sys.executable).with_name("sitewalk"))
SECRET = "Harb0r-ups-RO"  # tests/lab/office.json, the UPS's site_communities
UPS = "192.168.77.30"
MASK = "********"


def sitewalk(*args: object, ns: str | None = None, timeout: int = 600) -> str:
    """Run sitewalk (inside ``ns`` when given); its stdout and stderr together."""
    command = [SITEWALK, *map(str, args)]
    if ns:
        command = ["ip", "netns", "exec", ns, *command]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-1500:]
    return done.stdout + done.stderr


def contents(path: Path) -> bytes:
    """A file's bytes; for a zip (XLSX), the bytes of every member."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return b"".join(archive.read(name) for name in archive.namelist())
    return path.read_bytes()


def test_site_community_is_never_written_down(office, tmp_path: Path) -> None:
    folder = tmp_path / "scan"
    terminal = sitewalk("scan", UPS, "--community", SECRET, "--community", "public",
                        "--profile", "quick", "--client", "Secrets", "--out", folder,
                        ns=office.LAPTOP_NS)
    inventory = json.loads((folder / "inventory.json").read_text())
    (ups,) = inventory["hosts"]
    # The card answered to the site's community (so it really was used), which is masked.
    assert ups["snmp"]["default_community"] is False
    assert ups["snmp"]["community"] == MASK
    assert ups["snmp"]["sys_name"] == "ups01"

    terminal += sitewalk("assess", folder)
    (tmp_path / "out").mkdir()
    for fmt in ("pdf", "html", "json", "csv", "xlsx"):
        terminal += sitewalk("report", folder, "--format", fmt, "--output",
                             tmp_path / "out" / f"report.{fmt}" if fmt != "csv"
                             else tmp_path / "out")
    db = tmp_path / "history.db"
    terminal += sitewalk("import-assessment", folder, "--db", db)
    terminal += sitewalk("export", "1", tmp_path / "exported", "--db", db)
    pdf_text = subprocess.run(["pdftotext", str(tmp_path / "out" / "report.pdf"), "-"],
                              capture_output=True, text=True, timeout=60, check=True).stdout

    files = [p for root in (folder, tmp_path / "out", tmp_path / "exported")
             for p in root.rglob("*") if p.is_file()]
    assert len(files) >= 10, files  # inventory, evidence, findings, five report formats …
    leaks = [str(p) for p in files if SECRET.encode() in contents(p)]
    assert leaks == []
    assert SECRET not in terminal
    assert SECRET not in pdf_text and "UPS" in pdf_text
    assert SECRET.encode() not in db.read_bytes()
