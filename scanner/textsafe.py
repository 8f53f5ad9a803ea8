"""Bounding strings that come from the network.

SNMP values, hostnames, banners and script output are hostile: they may be huge, binary or
full of control characters. Everything the scanner keeps goes through :func:`bounded` once,
at ingest; the report escapes again when it renders.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

MAX_NAME = 255
MAX_TEXT = 2048


def bounded(value: object, limit: int = MAX_TEXT) -> str:
    """``value`` as text without control characters (newline and tab kept), at most ``limit``."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        text = value.decode("utf-8", errors="replace")
    else:
        text = str(value)
    text = _CONTROL.sub("", text).replace("\r", "")
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.strip()


def bounded_name(value: object) -> str:
    """A host or device name: one line, at most 255 characters."""
    return bounded(value, MAX_NAME).replace("\n", " ").replace("\t", " ")
