"""``sitewalk data update`` against a real HTTP server, and offline, inside a network namespace.

The test makes its own namespace (``swlab-eolupd``: loopback only, no route anywhere), runs the
fixture API server (tests/integration/lifecycle_api_server.py serving
tests/fixtures/endoflife-api) and the real ``sitewalk`` command in it, and removes the
namespace at the end. Nothing can leave the namespace, so no test here can reach an outside
address. Run it holding the lock: ``flock /tmp/sitewalk-netns.lock .venv/bin/pytest …``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.lab.netns import add_namespace, delete_namespace, namespace_pids

NS = "swlab-eolupd"
ROOT = Path(__file__).resolve().parents[2]
SITEWALK = str(Path(sys.executable).with_name("sitewalk"))
FIXTURE = ROOT / "tests" / "fixtures" / "endoflife-api" / "products"
SERVER = Path(__file__).with_name("lifecycle_api_server.py")


@pytest.fixture
def namespace() -> Iterator[str]:
    """A fresh namespace with only loopback; deleted afterwards, its processes stopped."""
    if os.geteuid() != 0:
        pytest.fail("network namespaces need root (run the integration tests as root)")
    delete_namespace(NS)
    add_namespace(NS)
    try:
        yield NS
    finally:
        for pid in namespace_pids(NS):
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass
        delete_namespace(NS)


def _sitewalk(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SITEWALK_DATA_DIR": str(data_dir)}
    env.pop("SITEWALK_LIFECYCLE_SOURCE", None)
    return subprocess.run(["ip", "netns", "exec", NS, SITEWALK, *args], capture_output=True,
                          text=True, timeout=120, env=env, check=False)


def test_update_from_a_local_api_then_offline(namespace: str, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    server = subprocess.Popen(["ip", "netns", "exec", namespace, sys.executable, str(SERVER),
                               str(FIXTURE), "--lifetime", "90"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        port = int(server.stdout.readline().strip())  # printed once it listens
        source = f"http://127.0.0.1:{port}/api/v1"
        done = _sitewalk(data_dir, "data", "update", "--source", source)
        assert done.returncode == 0, done.stderr
        assert "lifecycle data updated to " in done.stdout
        assert f"from {source}" in done.stdout
        written = data_dir / "lifecycle.json"
        table = json.loads(written.read_text())
        assert table["provenance"]["fetched_from"] == source
        assert table["products"]["fortios"]["releases"][1]["eol"] == "2026-12-24"
        assert "windows" in table["provenance"]["carried_over"]  # the fixture has no Windows
        assert (data_dir / "LICENSE").is_file()
        status = _sitewalk(data_dir, "data", "status")
        assert f"endoflife.date API {table['provenance']['taken']}" in status.stdout
    finally:
        server.kill()
        _out, requests = server.communicate(timeout=10)
    assert "GET /api/v1/products/fortios/" in requests, "the server really answered"

    before = written.read_bytes()
    refused = _sitewalk(data_dir, "data", "update", "--source", source)  # server gone
    assert refused.returncode == 1
    assert refused.stderr.startswith("sitewalk: offline: cannot reach")
    assert len(refused.stderr.strip().splitlines()) == 1
    assert written.read_bytes() == before, "the data in use is kept"

    # No route at all (the namespace has only loopback): the laptop is offline.
    unreachable = _sitewalk(data_dir, "data", "update", "--source", "http://192.0.2.10/api/v1")
    assert unreachable.returncode == 1 and "offline" in unreachable.stderr
    assert written.read_bytes() == before


def test_offline_keeps_the_bundled_data(namespace: str, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    done = _sitewalk(data_dir, "data", "update", "--source", "http://192.0.2.10/api/v1")
    assert done.returncode == 1
    assert done.stderr.strip() == done.stderr.strip().splitlines()[0]
    assert "keeping the lifecycle data of 2026-08-22 (endoflife.date snapshot" in done.stderr
    assert not (data_dir / "lifecycle.json").exists()
    status = _sitewalk(data_dir, "data", "status")
    assert "endoflife.date snapshot 2026-08-22" in status.stdout
