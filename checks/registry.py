"""The check registry: a decorator that registers a check function with its metadata.

Checks are discovered by importing the area modules listed in :data:`AREA_MODULES` (an explicit
list, no import-time magic beyond the decorator). A check is a plain function of the
:class:`~checks.context.Context` that yields :class:`~checks.model.Result` objects.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from checks.context import Context
from checks.model import CheckMeta, Result, Severity

CheckFunction = Callable[[Context], Iterable[Result]]

AREA_MODULES = ("checks.firewall", "checks.backup", "checks.av", "checks.power",
                "checks.servers", "checks.network", "checks.exposure", "checks.fit",
                "checks.lifecycle.support_checks",
                "checks.access.files", "checks.access.services", "checks.access.crypto",
                "checks.access.protection",
                "checks.segment.dhcp", "checks.segment.ipv6", "checks.segment.names",
                "checks.segment.arp",
                "checks.ad.accounts", "checks.ad.privilege", "checks.ad.policy",
                "checks.ad.domain", "checks.ad.computers")


@dataclass(frozen=True)
class RegisteredCheck:
    """A check's metadata and its function."""

    meta: CheckMeta
    run: CheckFunction


_REGISTRY: dict[str, RegisteredCheck] = {}


def check(*, id: str, title: str, severity: Severity, risk: str, remediation: Iterable[str],
          service: str, references: Iterable[str] = (), threshold: str = "",
          anchors: Iterable[str] = ()) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated function as the check ``id``."""
    meta = CheckMeta(id=id, title=title, severity=severity, risk=" ".join(risk.split()),
                     remediation=tuple(remediation), service=service,
                     references=tuple(references), threshold=" ".join(threshold.split()),
                     anchors=tuple(anchors))

    def register(function: CheckFunction) -> CheckFunction:
        if id in _REGISTRY and _REGISTRY[id].run.__qualname__ != function.__qualname__:
            raise ValueError(f"check ID {id} is registered twice")
        _REGISTRY[id] = RegisteredCheck(meta, function)
        return function

    return register


def all_checks() -> list[RegisteredCheck]:
    """Every registered check, in ID order."""
    for module in AREA_MODULES:
        importlib.import_module(module)
    return [_REGISTRY[key] for key in sorted(_REGISTRY)]
