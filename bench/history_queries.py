"""Benchmark: the history store's queries with 200 clients × 40 quarters in it.

Fills a fresh store through the real save path (``history.save.save_documents``: one
transaction per assessment, documents compressed, rows indexed) with assessments made by the
real checks from the office inventory of ``tests/fixtures/history-office`` (a few variants of
it, so findings come and go), then times the queries the commands run:

* ``client history`` — :func:`history.queries.client_history` (``sitewalk history CLIENT``);
* ``diff`` — :func:`history.queries.stored_diff` of a client's last two quarters, open
  findings aged through all 40 quarters (``sitewalk diff OLD NEW``);
* ``clients`` and ``quarterly data`` (``sitewalk clients``; the QBR's data) for reference.

Target (issue): client history and diff under 100 ms each. Prints figures; asserts nothing.

    .venv/bin/python -m bench.history_queries                  # SQLite and PostgreSQL
    .venv/bin/python -m bench.history_queries --backend sqlite --clients 50

PostgreSQL is a throwaway server on 127.0.0.1 (Debian's ``postgresql`` package), as in the
tests; it is stopped when the run ends.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from history.documents import Documents, read_folder
from history.quarterly import quarterly_data
from history.queries import client_history, list_clients, stored_diff
from history.save import save_documents
from history.store import Store, open_store
from tests.unit.test_history_support import (
    PostgresServer,
    build_quarters,
    host,
    load_office,
    quarter_three,
    service,
    write_assessment,
)

SAMPLES = 30


def variants(folder: Path) -> list[Documents]:
    """A few assessed variants of the office: the three test quarters and three more."""
    folders = build_quarters(folder)
    base, interview = load_office()
    extra = []
    for index, (mac, port, name) in enumerate((("64:4e:d7:2b:77:66", 5900, "vnc"),
                                               ("f8:bc:12:a0:77:10", 3306, "mysql"),
                                               ("10:c5:95:1a:77:65", 23, "telnet"))):
        inventory = quarter_three(base)
        host(inventory, mac)["services"].append(service(port, name))
        extra.append(write_assessment(folder / f"extra{index}", inventory, interview))
    return [read_folder(f) for f in folders + extra]


def assessment(documents: Documents, client: int, quarter: int) -> Documents:
    """One client's assessment of one quarter (2017-Q1 onwards), from a variant."""
    year, month = 2017 + quarter // 4, 1 + 3 * (quarter % 4)
    moment = f"{year}-{month:02d}-{10 + client % 15:02d}T09:{client % 60:02d}:00-05:00"
    inventory = {**documents.inventory, "client": f"Client {client:03d}",
                 "started_at": moment, "finished_at": moment}
    findings = {**documents.findings, "client": f"Client {client:03d}", "assessed_at": moment}
    return replace(documents, inventory=inventory, findings=findings)


def fill(store: Store, docs: list[Documents], clients: int, quarters: int) -> float:
    """Save every assessment; seconds taken."""
    rng = random.Random(7)
    started = time.perf_counter()
    for client in range(clients):
        for quarter in range(quarters):
            save_documents(store, assessment(rng.choice(docs), client, quarter))
        if client % 20 == 19:
            done = (client + 1) * quarters
            rate = done / (time.perf_counter() - started)
            print(f"  {done} assessments saved ({rate:.0f}/s)", flush=True)
    return time.perf_counter() - started


def timed(action: Callable[[int], object], clients: int) -> tuple[float, float]:
    """Median and worst milliseconds of ``action`` on random clients."""
    rng = random.Random(11)
    action(0)  # warm the caches once
    times = []
    for _ in range(SAMPLES):
        client = rng.randrange(clients)
        start = time.perf_counter()
        action(client)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def measure(store: Store, clients: int) -> dict[str, tuple[float, float]]:
    """The timings of the commands' queries."""
    def history(client: int) -> object:
        return client_history(store, f"Client {client:03d}")

    def diff(client: int) -> object:
        found = client_history(store, f"Client {client:03d}").assessments
        with store.session() as session:
            return stored_diff(session, found[-2].id, found[-1].id)

    def diff_only(ids: dict[int, tuple[int, int]]) -> Callable[[int], object]:
        def run(client: int) -> object:
            with store.session() as session:
                return stored_diff(session, *ids[client])
        return run

    last_two = {}
    for client in range(clients):
        older, newer = client_history(store, f"Client {client:03d}").assessments[-2:]
        last_two[client] = (older.id, newer.id)
    return {
        "client history": timed(history, clients),
        "diff (last two quarters, aged)": timed(diff_only(last_two), clients),
        "history + diff (as `diff` by client)": timed(diff, clients),
        "quarterly data (QBR)": timed(lambda c: quarterly_data(store, f"Client {c:03d}"),
                                      clients),
        "clients (all)": timed(lambda _c: list_clients(store), clients),
    }


def run(backend: str, url: str, docs: list[Documents], clients: int, quarters: int) -> None:
    """Fill one store and print its figures."""
    print(f"\n{backend}: filling {clients} clients × {quarters} quarters …", flush=True)
    with open_store(url) as store:
        seconds = fill(store, docs, clients, quarters)
        print(f"  filled in {seconds:.0f} s ({clients * quarters / seconds:.0f} assessments/s)")
        for name, (median, worst) in measure(store, clients).items():
            print(f"  {name:40} median {median:7.1f} ms   worst {worst:7.1f} ms")


def main() -> int:
    """Parse the options, build the variants, run each backend."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--quarters", type=int, default=40)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sitewalk-bench-") as folder:
        docs = variants(Path(folder) / "variants")
        if options.backend in ("sqlite", "both"):
            run("SQLite", str(Path(folder) / "bench.db"), docs, options.clients,
                options.quarters)
            size = sum(p.stat().st_size for p in Path(folder).glob("bench.db*"))
            print(f"  database size {size / 1e6:.0f} MB")
        if options.backend in ("postgresql", "both"):
            server = PostgresServer().start()
            try:
                run("PostgreSQL", server.create_database(), docs, options.clients,
                    options.quarters)
            finally:
                server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
