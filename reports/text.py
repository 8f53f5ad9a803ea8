"""Making untrusted text safe to lay out: no control characters, bounded length.

Everything that reaches a template passes through here first. Escaping is the template's job
(jinja2 autoescape); this module makes sure a 10 kB sysDescr or a banner full of escape codes
cannot blow up the layout or smuggle control characters into the PDF.
"""

from __future__ import annotations

import re

# C0 and C1 controls and DEL; also zero-width and bidi overrides, which can disguise text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")

NAME_LIMIT = 200
TEXT_LIMIT = 500
LONG_TEXT_LIMIT = 2000
ELLIPSIS = "…"


def clean_text(value: object, limit: int = TEXT_LIMIT) -> str:
    """``value`` as one paragraph of text: controls removed, whitespace collapsed, bounded."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    text = _SPACES.sub(" ", _CONTROL.sub("", str(value))).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + ELLIPSIS
    return text


def clean_name(value: object) -> str:
    """A host, device, product or client name: one line, at most 200 characters."""
    return clean_text(value, NAME_LIMIT)


def clean_list(values: object, limit: int = TEXT_LIMIT, max_items: int = 50) -> tuple[str, ...]:
    """A list of strings cleaned one by one; empty items dropped; at most ``max_items``."""
    if not isinstance(values, (list, tuple)):
        return ()
    cleaned = (clean_text(item, limit) for item in values)
    return tuple(item for item in cleaned if item)[:max_items]


def first_sentence(text: str, limit: int = 220) -> str:
    """The first sentence of ``text`` (for summaries), bounded."""
    match = re.search(r"(?<=[.!?])\s", text)
    sentence = text[: match.start()] if match else text
    return clean_text(sentence, limit)
