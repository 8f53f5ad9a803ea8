"""A full disk, a read-only folder and a missing nmap: a clear error, nothing collected lost.

The disk and the read-only folder are real: a small tmpfs mounted in a private mount namespace
(``unshare --mount``, needs root like the rest of the integration tests), so the machine's own
mounts are never touched.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitewalk.cli import main

SAMPLE = Path(__file__).parents[1] / "fixtures" / "report-sample"
SITEWALK = str(Path(sys.executable).with_name("sitewalk"))


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


def _in_small_mount(tmp_path: Path, setup: str, command: str) -> subprocess.CompletedProcess:
    """Run ``setup`` then ``command`` with ``tmp_path/mnt`` as a 2 MiB tmpfs of its own."""
    if os.geteuid() != 0:
        pytest.fail("storage fault tests need root (a private tmpfs mount)", pytrace=False)
    mount = tmp_path / "mnt"
    mount.mkdir()
    outside = tmp_path / "result"
    script = (f"set -e; mount -t tmpfs -o size=2m tmpfs {mount}; "
              f"cp -r {SAMPLE}/inventory.json {SAMPLE}/findings.json {mount}/; "
              f"sha256sum {mount}/inventory.json {mount}/findings.json > {outside}.before; "
              f"{setup}; set +e; {command} 2> {outside}.err; echo $? > {outside}.code; "
              f"sha256sum {mount}/inventory.json {mount}/findings.json > {outside}.after; "
              f"ls -a {mount} > {outside}.ls")
    return subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                           script], capture_output=True, text=True, timeout=120)


def _outcome(tmp_path: Path) -> tuple[int, str, bool, str]:
    result = tmp_path / "result"
    code = int(Path(f"{result}.code").read_text())
    error = Path(f"{result}.err").read_text()
    unchanged = Path(f"{result}.before").read_text().split()[::2] == \
        Path(f"{result}.after").read_text().split()[::2]
    return code, error, unchanged, Path(f"{result}.ls").read_text()


@pytest.mark.parametrize(("name", "setup", "message"), [
    ("disk full", "dd if=/dev/zero of={mnt}/filler bs=64k 2>/dev/null || true",
     "No space left on device"),
    ("read-only", "mount -o remount,ro {mnt}", "Read-only file system"),
])
def test_assess_and_report_on_a_broken_disk_keep_what_was_there(tmp_path: Path, name: str,
                                                                setup: str,
                                                                message: str) -> None:
    mount = tmp_path / "mnt"
    for command in (f"{SITEWALK} assess {mount}",
                    f"{SITEWALK} report {mount} --format pdf --output {mount}/report.pdf"):
        shutil.rmtree(mount, ignore_errors=True)
        done = _in_small_mount(tmp_path, setup.format(mnt=mount), command)
        assert done.returncode == 0, done.stderr
        code, error, unchanged, listing = _outcome(tmp_path)
        assert code != 0, f"{name}: {command} must fail"
        lines = [line for line in error.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("sitewalk: error:"), error
        assert message in lines[0], lines[0]
        assert "Traceback" not in error
        assert unchanged, "inventory.json and findings.json are exactly as before"
        assert not [n for n in listing.split() if n.startswith(".") and n not in (".", "..")], \
            f"no temporary file left behind: {listing.split()}"


def test_scan_without_nmap_says_so_before_sending_anything(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["scan", "192.168.1.0/24", "--client", "X", "--out",
                                       str(tmp_path / "o")], env={"PATH": str(tmp_path)})
    assert result.exit_code == 1
    assert result.stderr.strip() == ("sitewalk: error: nmap is not installed: run `make setup` "
                                     "(or apt-get install nmap)")
    assert not (tmp_path / "o").exists(), "no folder was started"
