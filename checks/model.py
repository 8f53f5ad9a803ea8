"""The shapes of checks and their results: status, severity, metadata, result, finding.

A check's metadata is its published documentation (the catalogue, the report's "why it
matters" and "how to fix it"); a :class:`Result` is what one run of it concluded about one
asset; a :class:`Finding` is a result with the metadata and host identity attached, ready for
``findings.json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from checks.exceptions import Acceptance


class Status(StrEnum):
    """What a check concluded. UNKNOWN always carries a reason and never counts as a pass."""

    PASS = "PASS"
    FAIL = "FAIL"
    NOT_APPLICABLE = "NOT_APPLICABLE"
    UNKNOWN = "UNKNOWN"


class Severity(StrEnum):
    """How much a failure matters to the business."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"


AREAS = ("firewall", "backup", "av", "power", "servers", "network", "exposure", "directory",
         "fit")
FAMILY_AREA = {"FW": "firewall", "BAK": "backup", "AV": "av", "PWR": "power", "SRV": "servers",
               "NET": "network", "SEC": "exposure", "FIT": "fit", "AD": "directory"}


@dataclass(frozen=True)
class CheckMeta:
    """A check's published metadata. ``id`` is stable forever and never reused."""

    id: str
    title: str  # the condition in plain words, as a finding headline
    severity: Severity
    risk: str  # why it matters, for the business owner
    remediation: tuple[str, ...]  # steps
    service: str  # the managed-plan service that fixes it
    references: tuple[str, ...] = ()
    threshold: str = ""  # the rule in numbers, when the check has one (AD family)
    anchors: tuple[str, ...] = ()  # rule ids of the tools it follows (PingCastle, ANSSI …)

    @property
    def area(self) -> str:
        """The report area, from the ID's family prefix."""
        return FAMILY_AREA[self.id.split("-")[0]]


@dataclass(frozen=True)
class Result:
    """One conclusion of a check about one asset (or the site, when ``ip`` is None)."""

    status: Status
    message: str
    ip: str | None = None
    evidence: tuple[str, ...] = ()
    reason: str = ""  # why UNKNOWN / NOT_APPLICABLE
    # The share, module, export or port on the host this result is about, when a check
    # reports one result per resource ("" for the host itself). Part of the finding's uid.
    resource: str = ""


@dataclass(frozen=True)
class Finding:
    """A result with its check and asset identity: one row of ``findings.json``."""

    check: CheckMeta
    result: Result
    mac: str | None = None
    host_name: str | None = None
    asset_key: str = "site"
    muted: bool = field(default=False)  # an accepted risk, still in force
    acceptance: Acceptance | None = None  # the accepted risk that matched, if any

    @property
    def uid(self) -> str:
        """Stable across re-audits: check ID plus asset key, plus the resource (a share …)
        when the check reports one per resource (never message or time)."""
        base = f"{self.check.id}:{self.asset_key}"
        return f"{base}/{self.result.resource}" if self.result.resource else base
