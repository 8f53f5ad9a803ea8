"""The on-site interview: what the consultant asked, because the network cannot show it.

This first version reads an answers file (TOML) with a few known fields and validates their
types; unknown fields are an error that names them, so a typo is not silently ignored.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

FIELDS: dict[str, type | tuple[type, ...]] = {
    "company": str,
    "industry": str,
    "employees": int,
    "computer_users": int,
    "sites": int,
    "current_support": str,
    "downtime_cost_per_hour": (int, float),
}


class InterviewError(ValueError):
    """An answers file that cannot be used; the message is one line naming file and field."""


def load_answers(path: Path) -> dict[str, Any]:
    """The validated answers in a TOML file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InterviewError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InterviewError(f"{path}: cannot read ({exc.__class__.__name__})") from None
    except tomllib.TOMLDecodeError as exc:
        raise InterviewError(f"{path}: not valid TOML ({exc})") from None
    for key, value in data.items():
        expected = FIELDS.get(key)
        if expected is None:
            raise InterviewError(f"{path}: unknown field {key!r} (known: {', '.join(FIELDS)})")
        if not isinstance(value, expected) or isinstance(value, bool):
            raise InterviewError(f"{path}: field {key!r} has the wrong type "
                                 f"({type(value).__name__})")
        if isinstance(value, (int, float)) and value < 0:
            raise InterviewError(f"{path}: field {key!r} must not be negative")
    return data
