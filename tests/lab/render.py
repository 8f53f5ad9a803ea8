"""Tiny template renderer for the daemon configs in ``tests/lab/templates``.

Placeholders are ``{{name}}``; an unknown name is an error (so a typo never ends
up in a config file), and nothing else in the template is special, which keeps
nginx's ``$variables`` and shell snippets intact.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}")


def render_text(text: str, values: Mapping[str, object], source: str = "<text>") -> str:
    """Replace every ``{{name}}`` in ``text`` with ``values[name]``."""

    def substitute(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            raise KeyError(f"{source}: no value for placeholder {{{{{key}}}}}")
        return str(values[key])

    return _PLACEHOLDER.sub(substitute, text)


def render_template(name: str, values: Mapping[str, object]) -> str:
    """Render ``templates/NAME`` with ``values``."""
    path = TEMPLATE_DIR / name
    return render_text(path.read_text(encoding="utf-8"), values, source=name)
