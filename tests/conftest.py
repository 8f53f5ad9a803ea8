"""Shared pytest fixtures: the virtual office lab (see tests/lab/README.md)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.lab.office import Office

_REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def office() -> Iterator[Office]:
    """Bring the virtual office up once per session and tear it down at the end.

    A lab left over from an earlier, crashed session is torn down first. Without
    root or ``ip netns`` the lab cannot exist: that fails (never skips) the test.
    """
    if os.geteuid() != 0:
        pytest.fail("the virtual office lab (tests/lab) needs root: run the integration "
                    "tests as root (CI does)", pytrace=False)
    if shutil.which("ip") is None or subprocess.run(
        ["ip", "netns", "list"], capture_output=True, timeout=10, check=False
    ).returncode != 0:
        pytest.fail("the virtual office lab needs `ip netns` (iproute2) and network "
                    "namespace support", pytrace=False)
    if str(_REPO_ROOT) not in sys.path:  # `pytest` (not `python -m pytest`) from anywhere
        sys.path.insert(0, str(_REPO_ROOT))
    from tests.lab.office import LabError, Office

    lab = Office()
    try:
        lab.down()
        lab.up()
    except LabError as exc:
        pytest.fail(f"virtual office did not come up: {exc}", pytrace=False)
    try:
        yield lab
    finally:
        problems = lab.down()
        if problems:
            pytest.fail(f"virtual office teardown: {'; '.join(problems)}", pytrace=False)


@pytest.fixture(autouse=True)
def _bundled_lifecycle_data(tmp_path_factory: pytest.TempPathFactory,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Judge support from the bundled lifecycle table, never from the user's updated copy."""
    monkeypatch.setenv("SITEWALK_DATA_DIR", str(tmp_path_factory.mktemp("sitewalk-data")))
