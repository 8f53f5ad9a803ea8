"""A vote: one piece of evidence for a device class and/or the device's identity.

Every vote keeps the evidence it stands on (``why``), so the consultant can see why a device was
called what it was, and which product-family entry (``line``) cast it, so the generalisation
bench can switch a product line's entries off.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Vote:
    """One piece of evidence pointing at a class (and maybe manufacturer, model …)."""

    weight: float
    why: str
    device_class: str | None = None
    manufacturer: str | None = None
    model: str | None = None
    firmware: str | None = None
    os_family: str | None = None
    family: str | None = None
    rank: float | None = None  # trust in manufacturer/model/firmware; None: the weight
    line: str = ""  # the product-family entry's line ("fortinet/fortigate"), "" for standards

    @property
    def trust(self) -> float:
        """How much this vote's identity (not its class) is trusted."""
        return self.weight if self.rank is None else self.rank


def render(template: str | None, values: Mapping[str, str | None]) -> str | None:
    """``template`` with ``{name}`` replaced from ``values``; None if it comes out empty."""
    if not template:
        return None
    text = _PLACEHOLDER.sub(lambda m: values.get(m.group(1)) or "", template).strip()
    return text or None


def rule_vote(rule: Mapping[str, Any], why: str, values: Mapping[str, str | None] | None = None,
              firmware: str | None = None) -> Vote:
    """The vote a knowledge-table rule casts, its templates filled from ``values``."""
    values = values or {}
    model = render(rule["model"], values) if "model" in rule else values.get("model")
    if firmware is None:
        firmware = (render(rule["firmware"], values) if "firmware" in rule
                    else values.get("firmware"))
    source = f" [{rule['source']}]" if rule.get("source") else ""
    return Vote(weight=rule.get("weight", 0.0), why=why + source,
                device_class=rule.get("device_class"),
                manufacturer=render(rule.get("manufacturer"), values), model=model or None,
                firmware=firmware or None, os_family=rule.get("os_family"),
                family=render(rule.get("family"), values), rank=rule.get("rank"),
                line=rule.get("line", ""))
