"""Fitting text into a drawing: how wide a string is in the report's fonts, and cutting it.

SVG text neither wraps nor clips, so a long host name from the network would run over its box.
The drawings measure every string with the advance widths of Liberation Sans (the report's
font; metric-compatible with Arial and Helvetica) and DejaVu Sans Mono, and cut it with an
ellipsis where it would not fit. Widths are per 1000 units of the font size, for the printable
ASCII characters (space to tilde); other characters count as an average letter, or as two for
East Asian wide ones. A small margin covers the fallback font (DejaVu Sans is a little wider).
"""

from __future__ import annotations

import unicodedata

# Advance widths of U+0020 … U+007E, read from LiberationSans-Regular.ttf and -Bold.ttf.
_SANS = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722,
    722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722,
    667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556,
    556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500,
    500, 334, 260, 334, 584,
)
_SANS_BOLD = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722,
    722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722,
    667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611,
    611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556,
    500, 389, 280, 389, 584,
)
_MONO = 602  # DejaVu Sans Mono: every character the same
_OTHER = 640  # a letter outside ASCII (é, ü, –): about an average capital
_WIDE = 1000  # East Asian wide and full-width characters
_MARGIN = 1.06  # room for the fallback font and rounding
ELLIPSIS = "…"


def _advance(char: str, table: tuple[int, ...] | None) -> int:
    if table is None:
        return _MONO * (2 if unicodedata.east_asian_width(char) in "WF" else 1)
    code = ord(char)
    if 32 <= code <= 126:
        return table[code - 32]
    return _WIDE if unicodedata.east_asian_width(char) in "WF" else _OTHER


def text_width(text: str, size: float, *, bold: bool = False, mono: bool = False) -> float:
    """The width of ``text`` set at ``size`` (in the drawing's units), with a safety margin."""
    table = None if mono else (_SANS_BOLD if bold else _SANS)
    return sum(_advance(char, table) for char in text) * size / 1000 * _MARGIN


def fit_text(text: str, width: float, size: float, *, bold: bool = False,
             mono: bool = False) -> str:
    """``text`` as it fits in ``width``: whole, or cut with an ellipsis ("" if nothing fits)."""
    if text_width(text, size, bold=bold, mono=mono) <= width:
        return text
    room = width - text_width(ELLIPSIS, size, bold=bold, mono=mono)
    table = None if mono else (_SANS_BOLD if bold else _SANS)
    used, kept = 0.0, []
    for char in text:
        used += _advance(char, table) * size / 1000 * _MARGIN
        if used > room:
            break
        kept.append(char)
    cut = "".join(kept).rstrip(" ·,-–/")
    return cut + ELLIPSIS if cut else ""
