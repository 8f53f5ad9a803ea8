"""The consultant's house style: company, contact, colours, logo and paper size.

A consultant keeps these in a ``branding.toml`` beside their assessments::

    company = "Northwind IT Partners"
    consultant = "Dana Reyes"
    email = "dana@northwind-it.example"
    phone = "(555) 010-4477"
    website = "northwind-it.example"
    primary_color = "#1d3557"   # headings, cover
    accent_color = "#2a9d8f"    # rules, highlights
    logo = "logo.svg"           # PNG, JPEG or SVG; relative to branding.toml
    paper = "letter"            # or "a4"

Every key is optional. Without branding the report says "Prepared with sitewalk" in neutral
colours. Colours go into CSS, so they must be plain ``#rrggbb``; anything else is an error,
never passed through.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from reports.errors import ReportError
from reports.text import clean_name, clean_text
from reports.view import Branding

DEFAULT_PRIMARY = "#1f3a5f"
DEFAULT_ACCENT = "#2f7f86"
PAPER_SIZES = ("letter", "a4")
DEFAULT_PAPER = "letter"
LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
              ".svg": "image/svg+xml"}
MAX_LOGO_BYTES = 2 * 1024 * 1024

_KEYS = {"company", "consultant", "email", "phone", "website", "primary_color",
         "accent_color", "logo", "paper"}
_HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3}")


def load_branding(path: Path) -> dict[str, Any]:
    """Read ``branding.toml``; a relative ``logo`` is made relative to the file's folder."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReportError(f"{path}: branding file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ReportError(f"{path}: cannot read branding file ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise ReportError(f"{path}: not valid TOML ({error})") from None
    logo = data.get("logo")
    if isinstance(logo, str) and logo and not Path(logo).is_absolute():
        data["logo"] = str(path.parent / logo)
    return data


def paper_size(branding: dict[str, Any] | None) -> str:
    """The page size asked for, ``"letter"`` unless branding says ``"a4"``."""
    paper = str((branding or {}).get("paper", DEFAULT_PAPER)).strip().lower()
    if paper not in PAPER_SIZES:
        raise ReportError(f"branding: paper must be one of {', '.join(PAPER_SIZES)}, not {paper!r}")
    return paper


def build_branding(data: dict[str, Any] | None) -> Branding:
    """A validated :class:`reports.view.Branding` from a branding dict (or the default)."""
    data = data or {}
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise ReportError(
            f"branding: unknown key {unknown[0]!r} (known keys: {', '.join(sorted(_KEYS))})"
        )
    return Branding(
        company=clean_name(data.get("company")),
        consultant=clean_name(data.get("consultant")),
        email=clean_name(data.get("email")),
        phone=clean_name(data.get("phone")),
        website=clean_name(data.get("website")),
        primary_color=_color(data, "primary_color", DEFAULT_PRIMARY),
        accent_color=_color(data, "accent_color", DEFAULT_ACCENT),
        logo_path=_logo(data.get("logo")),
        is_default=not data.get("company"),
    )


def _color(data: dict[str, Any], key: str, default: str) -> str:
    value = data.get(key)
    if value is None:
        return default
    if not isinstance(value, str) or not _HEX_COLOR.fullmatch(value.strip()):
        shown = clean_text(value, 40)
        raise ReportError(f"branding: {key} must be a colour like #1f3a5f, not {shown!r}")
    value = value.strip().lower()
    if len(value) == 4:
        value = "#" + "".join(digit * 2 for digit in value[1:])
    return value


def _logo(value: object) -> Path | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ReportError("branding: logo must be a file path")
    path = Path(value).expanduser()
    if path.suffix.lower() not in LOGO_TYPES:
        raise ReportError(f"branding: logo {path.name!r} must be a PNG, JPEG or SVG file")
    try:
        path = path.resolve(strict=True)
        size = path.stat().st_size
    except OSError:
        raise ReportError(f"branding: logo file not found: {path}") from None
    if not path.is_file():
        raise ReportError(f"branding: logo is not a file: {path}")
    if size > MAX_LOGO_BYTES:
        raise ReportError(f"branding: logo {path.name!r} is larger than 2 MB")
    return path
