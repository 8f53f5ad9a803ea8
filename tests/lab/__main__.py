"""Command line for the virtual office lab.

Usage::

    python3 -m tests.lab up [--state-dir DIR] [--force]
    python3 -m tests.lab down [--state-dir DIR]
    python3 -m tests.lab status [--state-dir DIR] [--json]

The default state dir is ``/run/sitewalk-lab`` (``/tmp/sitewalk-lab`` when /run is
not writable). ``up`` prints a one-line summary; ``down`` is quiet when nothing is up.

Exit codes:
    0  success (``status``: the lab is up and every daemon is alive)
    1  failure: ``up`` while already up (without ``--force``), the lab did not come
       up (it is torn down again), ``down`` left something behind, ``status``: the
       lab is down or degraded
    2  usage error
    3  environment unusable: not root, ``ip netns`` unavailable, or a command from
       ``tests/lab/apt-packages.txt`` missing (``up`` only)
"""

from __future__ import annotations

import argparse
import json
import sys

from .office import AlreadyUpError, LabError, Office, check_tools, preflight

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_ENV = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python3 -m tests.lab",
                                     description="sitewalk virtual office lab")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("up", "build the office"), ("down", "tear it down"),
                            ("status", "show what is running")):
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument("--state-dir", default=None,
                         help="state dir (default /run/sitewalk-lab)")
        if name == "up":
            cmd.add_argument("--force", action="store_true", help="run `down` first")
        if name == "status":
            cmd.add_argument("--json", action="store_true", help="machine-readable output")
    return parser


def _status(office: Office, as_json: bool) -> int:
    info = office.status()
    healthy = bool(info["up"]) and all(d["alive"] for d in info.get("daemons", []))
    if as_json:
        print(json.dumps(info, indent=2))
    elif info.get("phase") is None:
        stray = info.get("stray_namespaces") or []
        extra = f" (unrecorded lab namespaces: {', '.join(stray)})" if stray else ""
        print(f"office down{extra}")
    else:
        dead = [f"{d['host']}/{d['name']}" for d in info["daemons"] if not d["alive"]]
        missing = [ns for ns, ok in info["namespaces"].items() if not ok]
        print(f"office {'up' if healthy else 'DEGRADED'} ({info['phase']}): "
              f"{len(info['namespaces'])} namespaces, "
              f"{len(info['daemons']) - len(dead)}/{len(info['daemons'])} daemons alive"
              + (f"; dead: {', '.join(dead)}" if dead else "")
              + (f"; missing namespaces: {', '.join(missing)}" if missing else ""))
    return EXIT_OK if healthy else EXIT_FAIL


def main(argv: list[str] | None = None) -> int:
    """Run the lab command line; return the exit code."""
    args = _parser().parse_args(argv)
    try:
        preflight()
        if args.command == "up":
            check_tools()
    except LabError as exc:
        print(f"lab: {exc}", file=sys.stderr)
        return EXIT_ENV
    office = Office(state_dir=args.state_dir)
    try:
        if args.command == "up":
            print(office.up(force=args.force).line())
        elif args.command == "down":
            problems = office.down()
            if problems:
                print("lab: down: " + "; ".join(problems), file=sys.stderr)
                return EXIT_FAIL
        else:
            return _status(office, args.json)
    except AlreadyUpError as exc:
        print(f"lab: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except LabError as exc:
        print(f"lab: {exc}", file=sys.stderr)
        return EXIT_FAIL
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
