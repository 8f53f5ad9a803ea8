"""Shared fixtures of the history tests (named ``test_history_*`` to stay in the history's files).

* ``store``: an empty, migrated store, parametrised so every test using it runs on SQLite
  **and** on PostgreSQL. The PostgreSQL server is a throwaway cluster made for this test
  session with Debian's ``postgresql`` package (``initdb``/``pg_ctl`` from
  ``/usr/lib/postgresql/*/bin``), run as the ``postgres`` user when the tests run as root,
  listening on 127.0.0.1 on a free port, and stopped by its PID at the end. Each test gets a
  database of its own. Without the package the PostgreSQL tests fail (never skip): ``make test``
  installs it.
* :func:`build_quarters`: three quarterly assessment folders of one office, made by editing a
  real inventory (``tests/fixtures/history-office``) and running the real ``checks.assess``.

Test modules import the fixtures they use from here.
"""

from __future__ import annotations

import copy
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from itertools import count
from pathlib import Path
from typing import Any

import pytest

from history.store import Store, open_store

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "history-office"
PG_ROOT = Path("/usr/lib/postgresql")
_databases = count(1)

# MAC addresses of the office's devices (tests/fixtures/history-office/inventory.json).
RECEPTION_PC = "10:c5:95:1a:77:65"
ACCOUNTS_PC = "64:4e:d7:2b:77:66"
OWNER_PC = "a4:11:94:3c:77:67"
PRINTER = "3c:d9:2b:6e:77:40"
UPS = "00:c0:b7:4a:77:30"
FIREWALL = "7c:5a:1c:3e:77:01"
XRAY_PC = "3c:52:82:0a:77:68"  # the device added in 2026-Q2
SITE_COMMUNITY = "hd-Rw9-snmp"  # the office's own SNMP community from 2026-Q2: a secret


def pg_bin_dir() -> Path | None:
    """The newest installed PostgreSQL's bin folder, if any."""
    found = sorted(PG_ROOT.glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


def free_port() -> int:
    """A TCP port nobody listens on at 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    """A throwaway PostgreSQL cluster on 127.0.0.1, in a temporary folder."""

    def __init__(self) -> None:
        bin_dir = pg_bin_dir()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL is not installed (Debian package `postgresql`; "
                               "`make test` installs it)")
        self.bin_dir = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="sitewalk-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.user = "sitewalk"
        self.pid: int | None = None
        self._as_postgres = os.geteuid() == 0  # initdb refuses to run as root

    def _run(self, *argv: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self._as_postgres else []
        done = subprocess.run([*prefix, *argv], capture_output=True, text=True, timeout=120,
                              check=False)
        if done.returncode:
            raise RuntimeError(f"{Path(argv[0]).name} failed: {done.stderr.strip()[-500:]}")

    def start(self) -> PostgresServer:
        """initdb, then pg_ctl start, waiting until the server accepts connections."""
        if self._as_postgres:
            account = pwd.getpwnam("postgres")
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        self._run(str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", self.user,
                  "-A", "trust", "-E", "UTF8", "--no-sync")
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-o", options,
                  "-l", str(self.folder / "server.log"), "-w", "-t", "60", "start")
        self.pid = int((self.data / "postmaster.pid").read_text().split()[0])
        return self

    def url(self, database: str = "postgres") -> str:
        """The URL of one database of this server."""
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new empty database; its URL."""
        import psycopg

        name = f"t{os.getpid()}_{next(_databases)}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={self.user} "
                             "dbname=postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        """Fast shutdown by PID (SIGINT), then the folder is removed."""
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGINT)
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    os.kill(self.pid, 0)
                    time.sleep(0.1)
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.pid = None
        shutil.rmtree(self.folder, ignore_errors=True)


_running: dict[str, PostgresServer] = {}


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole test session.

    Each test module that imports this fixture gets a fixture definition of its own, so the
    server is kept here and shared; the first teardown (at the end of the session) stops it.
    """
    if "server" not in _running:
        try:
            _running["server"] = PostgresServer().start()
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as error:
            pytest.fail(f"cannot start a test PostgreSQL server: {error}", pytrace=False)
    try:
        yield _running["server"]
    finally:
        server = _running.pop("server", None)
        if server is not None:
            server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database, on each backend in turn."""
    if request.param == "sqlite":
        return str(tmp_path / "history.db")
    return request.getfixturevalue("pg_server").create_database()


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """An empty, migrated store on each backend in turn."""
    with open_store(db_url) as opened:
        yield opened


# ---------- three quarters of one office ----------

def load_office() -> tuple[dict[str, Any], dict[str, Any]]:
    """The office's inventory and interview answers, as JSON data."""
    return (json.loads((FIXTURE / "inventory.json").read_text(encoding="utf-8")),
            json.loads((FIXTURE / "interview.json").read_text(encoding="utf-8")))


def host(inventory: dict[str, Any], mac: str) -> dict[str, Any]:
    """The inventory host with this MAC."""
    return next(h for h in inventory["hosts"] if h["mac"] == mac)


def service(port: int, name: str, product: str = "") -> dict[str, Any]:
    """An open TCP port as inventory.json writes it."""
    return {"port": port, "protocol": "tcp", "name": name, "product": product, "version": "",
            "extra_info": "", "tunnel": "", "scripts": {}}


def _at(inventory: dict[str, Any], day: str) -> None:
    inventory["started_at"] = f"{day}T09:00:00-05:00"
    inventory["finished_at"] = f"{day}T09:41:00-05:00"


def quarter_one(base: dict[str, Any]) -> dict[str, Any]:
    """2026-Q1: the office as scanned."""
    inventory = copy.deepcopy(base)
    _at(inventory, "2026-01-20")
    return inventory


def quarter_two(base: dict[str, Any]) -> dict[str, Any]:
    """2026-Q2: xray-pc added, owner-pc re-addressed, UPS firmware, SNMP communities changed."""
    inventory = quarter_one(base)
    _at(inventory, "2026-04-21")
    xray = copy.deepcopy(host(inventory, ACCOUNTS_PC))
    xray.update(ip="192.168.77.104", mac=XRAY_PC, vendor="Dell",
                hostnames=["xray-pc.office.lan"], manufacturer="Dell",
                services=[service(135, "msrpc"), service(139, "netbios-ssn"),
                          service(445, "microsoft-ds")])
    inventory["hosts"].append(xray)
    host(inventory, OWNER_PC)["ip"] = "192.168.77.110"  # DHCP gave it another address
    host(inventory, UPS)["firmware"] = "7.1.2"
    for mac in (PRINTER, UPS, FIREWALL):  # default communities replaced by the office's own
        snmp = host(inventory, mac)["snmp"]
        snmp.update(community=SITE_COMMUNITY, default_community=False)
    inventory["errors"].append({"source": "snmp", "target": "192.168.77.20",
                                "message": f"no answer to community {SITE_COMMUNITY}"})
    return inventory


def quarter_three(base: dict[str, Any]) -> dict[str, Any]:
    """2026-Q3: telnet closed on reception-pc; VNC newly exposed on xray-pc."""
    inventory = quarter_two(base)
    _at(inventory, "2026-07-14")
    reception = host(inventory, RECEPTION_PC)
    reception["services"] = [s for s in reception["services"] if s["port"] != 23]
    host(inventory, XRAY_PC)["services"].append(service(5900, "vnc", "TightVNC"))
    return inventory


QUARTERS = (("2026-Q1", quarter_one), ("2026-Q2", quarter_two), ("2026-Q3", quarter_three))


def write_assessment(folder: Path, inventory: dict[str, Any], interview: dict[str, Any]
                     ) -> Path:
    """Validate and write ``inventory``, run the real checks, write ``findings.json``."""
    from checks.assess import assess
    from scanner.folder import validate, write_json_atomic
    from scanner.model import inventory_from_dict

    validate(inventory, "scanner", "inventory.schema.json", folder / "inventory.json")
    folder.mkdir(parents=True, exist_ok=True)
    write_json_atomic(folder / "inventory.json", inventory)
    write_json_atomic(folder / "interview.json", interview)
    # Acceptances lapse by date: assess "today" as the day of the scan, as on site.
    day = date.fromisoformat(inventory["started_at"][:10])
    document = assess(inventory_from_dict(inventory), interview, today=day)
    document["assessed_at"] = inventory["finished_at"]
    write_json_atomic(folder / "findings.json", document)
    return folder


def build_quarters(root: Path) -> list[Path]:
    """Three assessed folders of the office, one per quarter, oldest first."""
    base, interview = load_office()
    return [write_assessment(root / label, make(base), interview) for label, make in QUARTERS]


@pytest.fixture(scope="session")
def office_quarters(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The three quarterly assessment folders, built once per session."""
    return build_quarters(tmp_path_factory.mktemp("office"))
