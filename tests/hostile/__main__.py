"""Command line for the hostile office.

Usage::

    python3 -m tests.hostile up        # build it (anything left by a crashed run goes first)
    python3 -m tests.hostile down      # stop its processes, delete its swhost- namespaces
    python3 -m tests.hostile status    # what exists now (JSON)

Exit codes: 0 success (``status``: up and every process alive), 1 failure (``status``: down
or degraded), 3 not root.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from tests.hostile.net import LAN, LAPTOP_NS, HostileNetError, HostileOffice


def main(argv: list[str] | None = None) -> int:
    """Run one command."""
    parser = argparse.ArgumentParser(prog="python3 -m tests.hostile",
                                     description="the hostile office (sitewalk test network)")
    parser.add_argument("command", choices=("up", "down", "status"))
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("the hostile office needs root (network namespaces)", file=sys.stderr)
        return 3
    office = HostileOffice()
    try:
        if args.command == "up":
            seconds = office.up()
            print(f"hostile office up in {seconds:.1f} s: {LAN}, scan it with "
                  f"`ip netns exec {LAPTOP_NS} .venv/bin/sitewalk scan {LAN} …`")
        elif args.command == "down":
            office.down()
        else:
            info = office.status()
            print(json.dumps(info, indent=2))
            return 0 if info["up"] else 1
    except HostileNetError as exc:
        print(f"hostile office: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
