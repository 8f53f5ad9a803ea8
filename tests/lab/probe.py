"""TCP connect probe, run *inside* a lab namespace (usually ``swlab-laptop``).

Usage::

    ip netns exec swlab-laptop python3 tests/lab/probe.py [--timeout S] IP:PORT...

Tries one connect to every target in parallel (each bounded by ``--timeout``)
and prints ``{"open": [...], "closed": [...]}`` as JSON. Exit code 0 when every
target accepted a connection, 1 otherwise. Standalone (stdlib only, no package
imports) so it can be run by path from any namespace.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
from concurrent.futures import ThreadPoolExecutor


def connect_ok(target: str, timeout: float) -> bool:
    """Return True if a TCP connection to ``IP:PORT`` is accepted within ``timeout``."""
    host, _, port = target.rpartition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=timeout):
            return True
    except OSError:
        return False


def probe(targets: list[str], timeout: float) -> dict[str, list[str]]:
    """Probe ``targets`` concurrently; return which were open and which were not."""
    if not targets:
        return {"open": [], "closed": []}
    with ThreadPoolExecutor(max_workers=min(64, len(targets))) as pool:
        results = list(pool.map(lambda t: connect_ok(t, timeout), targets))
    return {
        "open": [t for t, ok in zip(targets, results, strict=True) if ok],
        "closed": [t for t, ok in zip(targets, results, strict=True) if not ok],
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=1.0)
    parser.add_argument("targets", nargs="*", metavar="IP:PORT")
    args = parser.parse_args(argv)
    result = probe(args.targets, args.timeout)
    print(json.dumps(result))
    return 0 if not result["closed"] else 1


if __name__ == "__main__":
    sys.exit(main())
