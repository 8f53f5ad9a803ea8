"""SIGKILL the scan at random points; --resume must finish with the same inventory.

Twenty trials against three hosts of the virtual office (quick profile, to keep the suite
short): each scan is killed after a random delay, every file it left is checked to be whole,
then ``sitewalk scan --resume`` completes it and the result is compared with an uninterrupted
scan of the same hosts. The random seed is printed, so a failure can be replayed.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

SITEWALK = str(Path(sys.executable).with_name("sitewalk"))
TARGETS = ["192.168.77.30", "192.168.77.40", "192.168.77.102"]
TRIALS = 20


def _scan(office, folder: Path, *extra: str) -> subprocess.Popen:
    argv = ["ip", "netns", "exec", office.LAPTOP_NS, SITEWALK, "scan", *extra]
    if not extra:
        argv += [*TARGETS, "--profile", "quick", "--client", "Kill test", "--out", str(folder)]
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def _facts(folder: Path) -> list[tuple]:
    data = json.loads((folder / "inventory.json").read_text())
    return sorted((h["ip"], h["mac"], h["vendor"], h["device_class"], tuple(h["hostnames"]),
                   tuple(sorted((s["port"], s["protocol"], s["name"]) for s in h["services"])),
                   (h["snmp"] or {}).get("sys_object_id"))
                  for h in data["hosts"]
                  # A switch heard by LLDP depends on when the listener ran, not on the kill.
                  if h.get("discovered_by") not in (["lldp"], ["cdp"], ["lldp", "cdp"]))


def _all_files_whole(folder: Path, after_kill: bool = False) -> None:
    """Every file is whole. Right after a SIGKILL a temp file may remain (the process died
    between writing and renaming it; the real file beside it is whole): the resume removes it.
    """
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        if path.name.startswith("."):
            assert after_kill, f"temporary file left after the resume: {path.name}"
            continue
        if path.suffix == ".json":
            json.loads(path.read_text())
        elif path.suffix == ".xml":
            ET.fromstring(path.read_text())


def test_kill_anywhere_then_resume_gives_the_same_inventory(office, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline"
    whole = _scan(office, baseline)
    _out, err = whole.communicate(timeout=300)
    assert whole.returncode == 0, err
    expected = _facts(baseline)
    assert len(expected) == len(TARGETS)
    seed = int(os.environ.get("SITEWALK_KILL_SEED", time.time()))
    print(f"kill/resume seed {seed}")
    rng = random.Random(seed)
    killed = 0
    for trial in range(TRIALS):
        folder = tmp_path / f"trial{trial}"
        scan = _scan(office, folder)
        delay = rng.uniform(0.2, 6.0)
        try:
            scan.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            os.killpg(scan.pid, signal.SIGKILL)
            scan.wait(timeout=30)
            killed += 1
        if not (folder / "inventory.json").exists():
            continue  # killed before it wrote anything: nothing to resume, nothing lost
        _all_files_whole(folder, after_kill=True)
        resume = _scan(office, folder, "--resume", str(folder))
        _out, err = resume.communicate(timeout=300)
        assert resume.returncode == 0, f"trial {trial} (seed {seed}): {err[-500:]}"
        assert _facts(folder) == expected, f"trial {trial} (seed {seed}, kill at {delay:.2f} s)"
        assert json.loads((folder / "inventory.json").read_text())["complete"] is True
        _all_files_whole(folder)
    assert killed >= TRIALS // 2, f"only {killed} of {TRIALS} scans were actually killed"
