"""rsync modules anyone can read: try to list each module the daemon announced.

The rsync client asks the daemon for its module list (``rsync rsync://host/``; nmap's
``rsync-list-modules`` output is used when it has more), then lists each module's top folder
(at most :data:`MAX_MODULES`; ``--list-only``: nothing is copied, and an empty password is
sent, never a guess). A module with ``auth users`` is still announced, so only a listing that
succeeds means anyone can read it.
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
    """Module names from a module list (``name<TAB>comment`` lines; the daemon's message of the
    day, printed before it, has no tab and is skipped)."""
    names = []
    for line in output.splitlines():
        text = line.strip()
        if "\t" not in line or not text or text.upper().startswith("ERROR"):
            continue
        name = text.split()[0]
        if name and all(c.isalnum() or c in "-_.+" for c in name):
            names.append(bounded_name(name))
    return list(dict.fromkeys(names))[:MAX_MODULES]


def _rsync(ip: str, module_path: str) -> tuple[int, str]:
    """(exit code, output) of one rsync --list-only: "" lists the modules, "name/" a module.

    The module list is asked without --no-motd, which would hide the list too.
    """
    path = shutil.which("rsync")
    if path is None:
        raise RuntimeError("rsync is not installed (apt-get install rsync)")
    quiet = ["--no-motd"] if module_path else []
    try:
        done = subprocess.run(
            [path, "--list-only", *quiet, "--contimeout=4", "--timeout=4",
             f"rsync://{ip}/{module_path}"], capture_output=True, timeout=TIMEOUT_S,
            stdin=subprocess.DEVNULL, check=False,
            env={**os.environ, "RSYNC_PASSWORD": ""})
    except subprocess.TimeoutExpired:
        return -1, "timed out"
    text = (done.stdout[:MAX_OUTPUT] + done.stderr[:2048]).decode("utf-8", "replace")
    return (done.returncode if "@ERROR" not in text else 5), text


def list_module(ip: str, module: str) -> tuple[bool, str]:
    """(readable, what the daemon said) for one module."""
    code, text = _rsync(ip, f"{module}/")
    return code == 0, bounded(text.strip(), 600)


def probe(host: Host, result: DoorResult) -> None:
    """An rsync_module exposure for each announced module that lists without a password."""
    service = host.service(873)
    output = service.scripts.get("rsync-list-modules", "") if service else ""
    result.probed.add("rsync_module")
    code, listing = _rsync(host.ip, "")
    modules = announced_modules(listing if code == 0 else "")
    modules += [m for m in announced_modules(output) if m not in modules]
    raw: dict[str, str] = {"": bounded(listing.strip(), 600)}
    for module in modules[:MAX_MODULES]:
        readable, said = list_module(host.ip, module)
        raw[module] = said
        if readable:
            entries = [line.split()[-1] for line in said.splitlines() if line.strip()]
            result.exposures.append(Exposure(
                "rsync_module", 873, name=module, access="read",
                detail=bounded(", ".join(e for e in entries if e != ".")[:200], 200),
                how="rsync --list-only of the module succeeded with an empty password"))
    result.raw["rsync"] = raw
