"""Generate ``enterprises.tsv.xz``: the IANA Private Enterprise Numbers registry, compact.

Source: the registry as Debian's ``libwireshark-data`` ships it, ``/usr/share/wireshark/
enterprises.tsv`` (Wireshark generates it from https://www.iana.org/assignments/enterprise-numbers).
Install it for this script only (``apt-get install libwireshark-data``); the scanner reads the
generated file and never needs the package.

Output: xz-compressed text (lzma, in the standard library), one line per number. The first
lines are ``#`` comments (provenance, source date, generation date); then ``<gap><TAB><name>``
where ``<gap>`` is the number minus the previous number, left empty when it is 1 (most numbers
are consecutive). Names keep what the registrant wrote, minus Wireshark's ``# formerly``
comments and trailing URLs, bounded to 60 characters.
Run: ``python scanner/identify/data/make_enterprises.py [SOURCE]``.
"""

from __future__ import annotations

import datetime
import lzma
import re
import sys
from pathlib import Path

SOURCE = Path("/usr/share/wireshark/enterprises.tsv")
TARGET = Path(__file__).with_name("enterprises.tsv.xz")
MAX_NAME = 60
_URL = re.compile(r"\s*\(?\s*https?://\S*\s*\)?")


def read_registry(path: Path) -> tuple[str, dict[int, str]]:
    """(the source's 'last updated' date, number -> name) from Wireshark's enterprises.tsv."""
    updated = ""
    names: dict[int, str] = {}
    for line in path.read_text("utf-8", errors="replace").splitlines():
        if line.startswith("#"):
            found = re.search(r"last updated (\d{4}-\d{2}-\d{2})", line)
            updated = found.group(1) if found else updated
            continue
        number, _, rest = line.partition("\t")
        if not number.strip().isdigit():
            continue
        name = _URL.sub(" ", rest.split("\t#", 1)[0]).strip()
        name = re.sub(r"\s+", " ", name)[:MAX_NAME].strip()
        if name and name.lower() not in {"reserved", "unassigned"}:
            names[int(number)] = name
    return updated, names


def render(updated: str, names: dict[int, str], package: str) -> str:
    """The generated file's text."""
    today = datetime.date.today().isoformat()
    lines = [
        "# IANA Private Enterprise Numbers (https://www.iana.org/assignments/enterprise-numbers)",
        f"# source: {package} /usr/share/wireshark/enterprises.tsv, registry as of {updated}",
        f"# generated {today} by scanner/identify/data/make_enterprises.py; {len(names)} numbers",
        "# format: <number minus previous number, empty for 1><TAB><registrant name>",
    ]
    previous = -1
    for number in sorted(names):
        gap = number - previous
        lines.append(f"{'' if gap == 1 else gap}\t{names[number]}")
        previous = number
    return "\n".join(lines) + "\n"


def _package_version() -> str:
    """The installed libwireshark-data version, for the provenance line ("" if unknown)."""
    status = Path("/var/lib/dpkg/status")
    if not status.is_file():
        return ""
    block = status.read_text("utf-8", errors="replace").split("Package: libwireshark-data\n", 1)
    found = re.search(r"^Version: (\S+)", block[1].split("\n\n", 1)[0], re.M) if len(
        block) > 1 else None
    return found.group(1) if found else ""


def main(argv: list[str]) -> int:
    """Read the registry, write the compact table, print what was written."""
    source = Path(argv[1]) if len(argv) > 1 else SOURCE
    if not source.is_file():
        print(f"error: {source} not found (apt-get install libwireshark-data)", file=sys.stderr)
        return 2
    updated, names = read_registry(source)
    package = f"Debian libwireshark-data {_package_version()}".strip()
    TARGET.write_bytes(lzma.compress(render(updated, names, package).encode(), preset=9))
    print(f"{TARGET}: {len(names)} numbers, {TARGET.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
