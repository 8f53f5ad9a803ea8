"""The knowledge tables identification reads, and which product lines are switched off.

* ``data/families.json``: product families (sysObjectID prefixes, sysDescr patterns, vendor
  model OIDs, vendor subtrees, MAC registry names), each with its ``line`` and ``source``;
* ``data/evidence.json``: knowledge that is not about one product: class nouns in descriptions,
  standard MIB rules' weights, running software and storage of a kind, ports, host facts;
* ``data/aliases.json`` and ``data/enterprises.tsv.xz``: see :mod:`scanner.identify.names`.

:class:`Knowledge` can switch product lines off (the leave-one-product-out bench does).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any


def _load(name: str) -> dict[str, Any]:
    text = resources.files("scanner.identify").joinpath(f"data/{name}").read_text("utf-8")
    return json.loads(text)


@functools.lru_cache(maxsize=1)
def families() -> dict[str, Any]:
    """The product-family table, sysObjectID prefixes longest first, patterns compiled."""
    table = _load("families.json")
    table["sys_object_id"].sort(key=lambda rule: len(rule["prefix"]), reverse=True)
    for section in ("sys_descr", "mac_vendor"):
        for rule in table[section]:
            rule["compiled"] = re.compile(rule["pattern"],
                                          re.IGNORECASE if section == "mac_vendor" else 0)
    return table


@functools.lru_cache(maxsize=1)
def evidence() -> dict[str, Any]:
    """The table of knowledge that is not about one product, patterns compiled."""
    table = _load("evidence.json")
    for section in ("keywords", "software", "storage", "interfaces", "os", "web", "mdns"):
        for rule in table[section]:
            rule["compiled"] = re.compile(rule["pattern"], re.IGNORECASE)
    return table


@dataclass(frozen=True)
class Knowledge:
    """What identification may use: every table, minus the product lines in ``off``."""

    off: frozenset[str] = field(default_factory=frozenset)

    def rules(self, section: str) -> list[dict[str, Any]]:
        """The product-family rules of ``section`` that are switched on."""
        return [rule for rule in families()[section] if not self.is_off(rule.get("line", ""))]

    def is_off(self, line: str) -> bool:
        """Whether a product line (or its whole vendor, "vendor/*") is switched off.

        Lines under ``standard/`` read standard MIBs, not a product: never off.
        """
        if not line or line.startswith("standard/"):
            return False
        return line in self.off or line.split("/", 1)[0] + "/*" in self.off


ALL = Knowledge()
