"""Benchmark: does identification generalise to products no family entry names?

Leave one product out. Each of the 115 real-device recordings (``tests/fixtures/snmprec`` and
``snmprec-more``) is identified three ways:

* **all**: with every knowledge table, as the scanner runs;
* **product off**: with the product-family entries (``scanner/identify/data/families.json``)
  that name the recording's own product line switched off. Which lines those are is found by
  identifying it, switching off every product line that voted (lines ``vendor/product``; the
  vendor-wide lines ``vendor/*`` stay on), and repeating until no product line of the
  recording votes (at most 5 rounds), so a sibling entry cannot stand in for the one removed;
* **vendor off**: the same, but every line of the recording's vendors is switched off,
  ``vendor/*`` too: what is left is the IANA registry, the standard MIBs, generic words
  and other vendors' entries.

Class and manufacturer are compared with the table of ``tests/unit/test_identify_recordings.py``
(expected answers from the recordings' MANIFEST files). A miss is **unknown** when the answer
was "unknown" (class) or no maker (manufacturer), and **wrong** otherwise. Prints one line per
recording that is not right in every mode, then the figures, and asserts nothing. Run from the
repository root::

    .venv/bin/python -m bench.identify_generalisation [--verbose]
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from dataclasses import dataclass

from scanner.identify import Knowledge, votes_for
from scanner.identify.walk import identify_walk
from scanner.model import Host
from scanner.snmp.walkfile import Walk, read_walk
from tests.unit.test_identify_recordings import EXPECTED, FIXTURES

MAX_ROUNDS = 5
MODES = ("all", "product off", "vendor off")


@dataclass
class Score:
    """Counts for one mode: class and maker right, wrong and unknown."""

    class_right: int = 0
    class_wrong: int = 0
    class_unknown: int = 0
    maker_right: int = 0
    maker_wrong: int = 0
    maker_unknown: int = 0


def _product_lines(lines: Iterable[str]) -> set[str]:
    return {line for line in lines if line and not line.startswith("standard/")}


def _voting_lines(walk: Walk, knowledge: Knowledge) -> set[str]:
    host = identify_walk(walk, knowledge)
    return _product_lines(vote.line for vote in votes_for(
        Host(ip=host.ip, snmp=host.snmp), knowledge))


def left_out(walk: Walk, whole_vendor: bool) -> tuple[Host, frozenset[str]]:
    """The recording identified with its own product lines (or vendors) switched off."""
    off: set[str] = set()
    for _round in range(MAX_ROUNDS):
        lines = {line for line in _voting_lines(walk, Knowledge(frozenset(off)))
                 if whole_vendor or not line.endswith("/*")}
        if not lines:
            break
        off |= {line.split("/", 1)[0] + "/*" for line in lines} if whole_vendor else lines
    knowledge = Knowledge(frozenset(off))
    return identify_walk(walk, knowledge), knowledge.off


def _grade(score: Score, host: Host, device_class: str, makers: set[str | None]) -> str:
    marks = []
    if host.device_class == device_class:
        score.class_right += 1
    elif host.device_class == "unknown":
        score.class_unknown += 1
        marks.append("class unknown")
    else:
        score.class_wrong += 1
        marks.append(f"class WRONG {host.device_class}")
    if host.manufacturer in makers:
        score.maker_right += 1
    elif host.manufacturer is None:
        score.maker_unknown += 1
        marks.append("maker unknown")
    else:
        score.maker_wrong += 1
        marks.append(f"maker WRONG {host.manufacturer}")
    return ", ".join(marks)


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f} %" if whole else "  n/a"


def main(argv: list[str] | None = None) -> int:
    """Identify every recording in each mode and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--verbose", action="store_true", help="print every recording")
    args = parser.parse_args(argv)
    scores = {mode: Score() for mode in MODES}
    for name in sorted(EXPECTED):
        device_class, maker, _model = EXPECTED[name]
        makers = maker if isinstance(maker, set) else {maker}
        walk = read_walk(FIXTURES / f"{name}.snmprec")
        hosts = {"all": (identify_walk(walk), frozenset[str]()),
                 "product off": left_out(walk, whole_vendor=False),
                 "vendor off": left_out(walk, whole_vendor=True)}
        notes = {mode: _grade(scores[mode], host, device_class, makers)
                 for mode, (host, _off) in hosts.items()}
        if args.verbose or any(notes.values()):
            print(f"{name}: want {device_class} / {maker}")
            for mode, (host, off) in hosts.items():
                print(f"    {mode:12} {host.device_class:16} {host.manufacturer!s:20} "
                      f"{host.confidence:.2f} {notes[mode] or 'right'}"
                      + (f"  (off: {', '.join(sorted(off))})" if off else ""))
    total = len(EXPECTED)
    print(f"\n{total} recordings (leave one product out)")
    print(f"{'mode':12} {'class right':>12} {'wrong':>6} {'unknown':>8} "
          f"{'maker right':>12} {'wrong':>6} {'unknown':>8}")
    for mode, score in scores.items():
        print(f"{mode:12} {_percent(score.class_right, total):>12} {score.class_wrong:>6} "
              f"{score.class_unknown:>8} {_percent(score.maker_right, total):>12} "
              f"{score.maker_wrong:>6} {score.maker_unknown:>8}")
    for mode, score in scores.items():
        print(f"{mode}: wrong class {_percent(score.class_wrong, total).strip()}, "
              f"wrong maker {_percent(score.maker_wrong, total).strip()} (target: at most 3 %)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
