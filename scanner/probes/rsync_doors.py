"""rsync modules anyone can read: try to list each module the daemon announced.

nmap's ``rsync-list-modules`` gives the announced modules; a module with ``auth users`` is
still announced, so each one (at most :data:`MAX_MODULES`) is listed with the rsync client
(``--list-only``: nothing is copied, and an empty password is sent, never a guess). A listing
that succeeds means anyone can read it.
"""

from __future__ import annotations

import os
import shutil
import subprocess

from scanner.model import Exposure, Host
from scanner.probes import DoorResult
from scanner.textsafe import bounded, bounded_name

MAX_MODULES = 10
TIMEOUT_S = 6.0
MAX_OUTPUT = 16 * 1024


def announced_modules(output: str) -> list[str]:
    """Module names from rsync-list-modules output (``name<TAB>comment`` lines)."""
    names = []
    for line in output.splitlines():
        text = line.strip()
        if not text or text.upper().startswith("ERROR") or text.endswith(":"):
            continue
        name = text.split()[0]
        if name and all(c.isalnum() or c in "-_.+" for c in name):
            names.append(bounded_name(name))
    return list(dict.fromkeys(names))[:MAX_MODULES]


def list_module(ip: str, module: str) -> tuple[bool, str]:
    """(readable, what the daemon said) for one module."""
    path = shutil.which("rsync")
    if path is None:
        raise RuntimeError("rsync is not installed (apt-get install rsync)")
    try:
        done = subprocess.run(
            [path, "--list-only", "--no-motd", "--contimeout=4", "--timeout=4",
             f"rsync://{ip}/{module}/"], capture_output=True, timeout=TIMEOUT_S,
            stdin=subprocess.DEVNULL, check=False,
            env={**os.environ, "RSYNC_PASSWORD": ""})
    except subprocess.TimeoutExpired:
        return False, "timed out"
    text = (done.stdout[:MAX_OUTPUT] + done.stderr[:2048]).decode("utf-8", "replace")
    return done.returncode == 0 and "@ERROR" not in text, bounded(text.strip(), 600)


def probe(host: Host, result: DoorResult) -> None:
    """An rsync_module exposure for each announced module that lists without a password."""
    service = host.service(873)
    output = service.scripts.get("rsync-list-modules", "") if service else ""
    result.probed.add("rsync_module")
    raw: dict[str, str] = {}
    for module in announced_modules(output):
        readable, said = list_module(host.ip, module)
        raw[module] = said
        if readable:
            entries = [line.split()[-1] for line in said.splitlines() if line.strip()]
            result.exposures.append(Exposure(
                "rsync_module", 873, name=module, access="read",
                detail=bounded(", ".join(e for e in entries if e != ".")[:200], 200),
                how="rsync --list-only of the module succeeded with an empty password"))
    result.raw["rsync"] = raw
