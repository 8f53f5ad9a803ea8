"""Shorter waits for nmap's version probes, through a private copy of nmap-service-probes.

nmap waits up to 5–7.5 s for each version probe to be answered, and a service that keeps the
connection open without matching (telnet waiting for a login, a silent RPC port) costs every
probe's full wait: 50 s for one workstation. On a LAN an answer takes milliseconds, so the scan
gives nmap a copy of its probe file with each probe's ``totalwaitms`` capped (``--datadir``;
the other data files still come from nmap's own folder). The copy is made once per nmap
version and wait, in a private cache folder.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

PROBES_FILE = "nmap-service-probes"
MAX_PROBES_BYTES = 10 * 1024 * 1024


def _probes_source() -> Path | None:
    nmap = shutil.which("nmap")
    candidates = [Path("/usr/share/nmap"), Path("/usr/local/share/nmap")]
    if nmap:
        candidates.insert(0, Path(nmap).resolve().parent.parent / "share" / "nmap")
    return next((c / PROBES_FILE for c in candidates if (c / PROBES_FILE).is_file()), None)


def capped_probes(text: str, probe_wait_ms: int, banner_wait_ms: int) -> str:
    """The probe file with every probe's wait capped; the NULL probe (banners) gets its own."""
    lines: list[str] = []
    for line in text.split("\n"):
        if line.startswith(("totalwaitms ", "tcpwrappedms ")):
            continue  # replaced below, right after each Probe line
        lines.append(line)
        if line.startswith("Probe "):
            is_null = line.split()[2:3] == ["NULL"]
            wait = banner_wait_ms if is_null else probe_wait_ms
            lines.append(f"totalwaitms {wait}")
            if is_null:
                lines.append(f"tcpwrappedms {min(wait, 3000)}")
    return "\n".join(lines)


def version_datadir(probe_wait_ms: int, banner_wait_ms: int) -> Path | None:
    """A folder holding the capped probe file, for ``nmap --datadir``; None if nmap has none."""
    source = _probes_source()
    if source is None or source.stat().st_size > MAX_PROBES_BYTES:
        return None
    raw = source.read_bytes()
    digest = hashlib.sha256(raw + f"{probe_wait_ms}/{banner_wait_ms}".encode()).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / f"sitewalk-nmap-{os.geteuid()}" / digest
    target = folder / PROBES_FILE
    if target.is_file():
        return folder
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if folder.parent.stat().st_uid != os.geteuid():
        return None  # someone else's folder in a shared /tmp: do not trust what is in it
    text = capped_probes(raw.decode("latin-1"), probe_wait_ms, banner_wait_ms)
    fd, temp_name = tempfile.mkstemp(prefix=f".{PROBES_FILE}.", dir=folder)
    with os.fdopen(fd, "w", encoding="latin-1") as handle:
        handle.write(text)
    os.replace(temp_name, target)
    return folder
