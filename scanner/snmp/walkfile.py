"""Reading a walk a client sent: ``snmpwalk -On`` text output or an snmpsim ``.snmprec`` file.

Hand-written because neither format has a maintained Python reader (snmpsim's own record
parsers need its whole runtime); both are line formats documented by their tools:

* ``.snmprec``: ``OID|TAG|VALUE`` per line; TAG is the ASN.1 tag number (2 INTEGER, 4 OCTET
  STRING, 6 OBJECT IDENTIFIER, 64 IpAddress, 65-67 and 70 counters, gauges, ticks), with an
  ``x`` suffix when VALUE is hex (snmpsim documentation, "Simulation data").
* ``snmpwalk -On``: ``.OID = TYPE: VALUE``; a quoted string may go on over several lines
  (net-snmp ``snmpwalk(1)``, ``-On`` prints numeric OIDs).

The input is hostile: the file is read at most :data:`MAX_BYTES`, at most :data:`MAX_OIDS`
OIDs are kept, each value is cut to :data:`MAX_VALUE` characters and stripped of control
characters, and a line that is not an OID line is skipped. Values come back as ``str``
(strings, OIDs, addresses), ``int`` (numbers) or ``bytes`` (hex strings that are not text).
"""

from __future__ import annotations

import re
from pathlib import Path

from scanner.textsafe import bounded

MAX_BYTES = 64 * 1024 * 1024
MAX_OIDS = 200_000
MAX_VALUE = 1024
MAX_OID_LENGTH = 256

Walk = dict[str, object]

_OID = re.compile(r"\.?(\d+(?:\.\d+){1,127})")
_NUMERIC_TAGS = {"2", "65", "66", "67", "70"}
_WALK_LINE = re.compile(r"^\s*\.?(\d+(?:\.\d+)+)\s*=\s*(?:([A-Za-z0-9 -]+):\s*)?(.*)$")


class WalkFileError(ValueError):
    """The file is not a walk this reader understands."""


def _hex_value(text: str) -> object:
    cleaned = re.sub(r"[^0-9a-fA-F]", "", text)[: 2 * MAX_VALUE]
    try:
        data = bytes.fromhex(cleaned[: len(cleaned) // 2 * 2])
    except ValueError:
        return ""
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    return bounded(decoded, MAX_VALUE) if decoded.isprintable() or "\n" in decoded else data


def _number(text: str) -> object:
    match = re.search(r"-?\d{1,20}", text)
    return int(match.group()) if match else bounded(text, MAX_VALUE)


def _snmprec_value(tag: str, value: str) -> object:
    if tag.endswith("x"):
        return _hex_value(value)
    if tag in _NUMERIC_TAGS:
        return _number(value)
    return bounded(value[: 4 * MAX_VALUE], MAX_VALUE)


def _walk_value(kind: str, value: str) -> object:
    kind = kind.strip().upper()
    if kind == "HEX-STRING":
        return _hex_value(value)
    if kind in {"INTEGER", "GAUGE32", "COUNTER32", "COUNTER64", "UNSIGNED32", "TIMETICKS"}:
        enum = re.search(r"\((-?\d{1,20})\)", value)  # "up(1)", "Timeticks: (123) 0:00:01"
        return int(enum.group(1)) if enum else _number(value)
    text = value.strip()
    if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
        text = text[1:-1]
    return bounded(text[: 4 * MAX_VALUE], MAX_VALUE).strip(".") if kind == "OID" else \
        bounded(text[: 4 * MAX_VALUE], MAX_VALUE)


def _keep(walk: Walk, oid: str, value: object) -> bool:
    """Store one OID; False once the walk is full."""
    if len(oid) <= MAX_OID_LENGTH and oid not in walk:
        walk[oid] = value
    return len(walk) < MAX_OIDS


def parse_snmprec(text: str) -> Walk:
    """OID -> value from snmprec text (bad lines skipped)."""
    walk: Walk = {}
    for line in text.splitlines():
        oid, sep, rest = line.partition("|")
        tag, sep2, value = rest.partition("|")
        if not sep or not sep2 or not _OID.fullmatch(oid.strip()):
            continue
        if not _keep(walk, oid.strip().lstrip("."), _snmprec_value(tag.strip(), value)):
            break
    return walk


def parse_snmpwalk(text: str) -> Walk:
    """OID -> value from ``snmpwalk -On`` output (continuation lines joined, others skipped)."""
    walk: Walk = {}
    current: tuple[str, str, str] | None = None
    for line in [*text.splitlines(), ".0.0 = END"]:
        match = _WALK_LINE.match(line)
        if match is None:
            if current is not None and current[2].startswith('"') and len(current[2]) < 4096:
                current = (current[0], current[1], current[2] + "\n" + line)
            continue
        if current is not None and not _keep(walk, current[0], _walk_value(current[1],
                                                                            current[2])):
            break
        current = (match.group(1), match.group(2) or "STRING", match.group(3))
    return walk


def read_walk(path: Path) -> Walk:
    """The walk in ``path`` (format told by its content); WalkFileError if there is none."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES)
    except OSError as exc:
        raise WalkFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    text = raw.decode("utf-8", errors="replace")
    first = next((line for line in text.splitlines() if line.strip()), "")
    walk = parse_snmprec(text) if "|" in first.split("=", 1)[0] else parse_snmpwalk(text)
    if not walk:
        raise WalkFileError(f"{path} holds no SNMP walk (expected snmpwalk -On output or "
                            f".snmprec lines)")
    return walk
