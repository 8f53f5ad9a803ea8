"""The facts about one assessment that the history compares: devices, results, scores.

A :class:`Snapshot` is built either from an assessment's documents (a folder) or from the
store's rows; both paths go through :func:`host_facts` and :func:`finding_facts`, so a diff of
two folders and a diff of the same two assessments in the store say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from history.documents import Documents, quarter_label

OPEN = "FAIL"
# Areas that describe the business rather than a risk to it (the sweet-spot criteria): their
# "failures" are facts about a prospect, not defects to fix, so they are no open risk.
BUSINESS_AREAS = frozenset({"fit"})
# When one finding uid appears more than once in an assessment, the most telling status wins.
STATUS_WEIGHT = {"FAIL": 3, "UNKNOWN": 2, "PASS": 1, "NOT_APPLICABLE": 0}


@dataclass(frozen=True)
class Port:
    """One open port: ``23/tcp telnet``."""

    port: int
    protocol: str
    name: str = ""

    @property
    def label(self) -> str:
        """``"23/tcp telnet"`` (or ``"23/tcp"`` when the service has no name)."""
        return f"{self.port}/{self.protocol}" + (f" {self.name}" if self.name else "")


@dataclass(frozen=True)
class HostFacts:
    """One device as an assessment saw it."""

    asset_key: str  # MAC, else first hostname, else IP (the finding uids use the same)
    ip: str
    mac: str | None = None
    names: tuple[str, ...] = ()
    display_name: str = ""
    device_class: str = "unknown"
    vendor: str = ""
    manufacturer: str = ""
    model: str = ""
    firmware: str = ""
    open_ports: tuple[Port, ...] = ()

    @property
    def label(self) -> str:
        """``name (ip)``, or the IP alone when the device has no name."""
        return f"{self.display_name} ({self.ip})" if self.display_name != self.ip else self.ip


@dataclass(frozen=True)
class FindingFacts:
    """One check result, without the volatile parts (message, evidence, timestamps)."""

    uid: str
    check_id: str
    status: str
    severity: str
    area: str
    title: str
    asset_key: str
    host_name: str = ""
    ip: str = ""
    accepted: bool = False  # an accepted risk whose acceptance is in force

    @property
    def is_open(self) -> bool:
        """Only a FAIL is an open finding."""
        return self.status == OPEN

    @property
    def open_risk(self) -> bool:
        """An open finding that counts: a FAIL of a risk check, not an accepted risk."""
        return self.is_open and self.area not in BUSINESS_AREAS and not self.accepted

    @property
    def asset(self) -> str:
        """What it is about, as a person reads it: the device, or the whole network."""
        if self.asset_key == "site":
            return "whole network"
        if self.host_name and self.ip and self.host_name != self.ip:
            return f"{self.host_name} ({self.ip})"
        return self.host_name or self.ip or self.asset_key


@dataclass(frozen=True)
class Snapshot:
    """What one assessment says: when, the scores, the devices and the results."""

    label: str  # "assessment 12" or the folder
    client: str
    site: str
    taken_at: datetime
    quarter: str
    overall_score: float | None
    overall_band: str
    verdict: str
    verdict_label: str
    hosts: tuple[HostFacts, ...] = ()
    findings: tuple[FindingFacts, ...] = ()
    area_scores: dict[str, float | None] = field(default_factory=dict)
    assessment_id: int | None = None


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _ports(host: dict[str, Any]) -> tuple[Port, ...]:
    ports = {}
    for service in host.get("services") or []:
        if isinstance(service, dict) and isinstance(service.get("port"), int):
            port = Port(service["port"], _text(service.get("protocol")) or "tcp",
                        _text(service.get("name")))
            ports[(port.port, port.protocol)] = port
    return tuple(ports[key] for key in sorted(ports, key=lambda k: (k[1], k[0])))


def display_name(host: dict[str, Any]) -> str:
    """The short name a person would use: first hostname without domain, sysName, or IP."""
    names = [n for n in host.get("hostnames") or [] if isinstance(n, str) and n]
    if names:
        return names[0].split(".")[0]
    snmp = host.get("snmp") if isinstance(host.get("snmp"), dict) else {}
    return _text(snmp.get("sys_name")) or _text(host.get("ip"))


def host_facts(host: dict[str, Any]) -> HostFacts:
    """The facts of one ``inventory.json`` host."""
    names = tuple(n for n in host.get("hostnames") or [] if isinstance(n, str) and n)
    mac = _text(host.get("mac")).lower() or None
    ip = _text(host.get("ip"))
    return HostFacts(
        asset_key=mac or (names[0] if names else ip), ip=ip, mac=mac, names=names,
        display_name=display_name(host), device_class=_text(host.get("device_class")) or
        "unknown", vendor=_text(host.get("vendor")), manufacturer=_text(host.get("manufacturer")),
        model=_text(host.get("model")), firmware=_text(host.get("firmware")),
        open_ports=_ports(host))


def finding_facts(finding: dict[str, Any]) -> FindingFacts:
    """The facts of one ``findings.json`` result."""
    accepted = finding.get("accepted")
    return FindingFacts(
        uid=_text(finding.get("uid")), check_id=_text(finding.get("check_id")),
        status=_text(finding.get("status")), severity=_text(finding.get("severity")),
        area=_text(finding.get("area")), title=_text(finding.get("title")),
        asset_key=_text(finding.get("asset_key")) or "site",
        host_name=_text(finding.get("host_name")), ip=_text(finding.get("ip")),
        accepted=bool(isinstance(accepted, dict) and accepted.get("in_force")))


def _score(value: object) -> float | None:
    score = value.get("score") if isinstance(value, dict) else None
    return float(score) if isinstance(score, (int, float)) and not isinstance(score, bool) \
        else None


def snapshot_from_documents(documents: Documents, label: str, taken: datetime,
                            client: str = "", site: str = "") -> Snapshot:
    """The snapshot of an assessment that is not (or not yet) in the store."""
    findings = documents.findings
    scores = findings.get("scores") if isinstance(findings.get("scores"), dict) else {}
    overall = scores.get("overall") if isinstance(scores.get("overall"), dict) else {}
    verdict = findings.get("verdict") if isinstance(findings.get("verdict"), dict) else {}
    areas = scores.get("areas") if isinstance(scores.get("areas"), dict) else {}
    return Snapshot(
        label=label, client=client or documents.client, site=site, taken_at=taken,
        quarter=quarter_label(taken), overall_score=_score(overall),
        overall_band=_text(overall.get("band")), verdict=_text(verdict.get("verdict")),
        verdict_label=_text(verdict.get("label")),
        hosts=tuple(host_facts(h) for h in documents.inventory.get("hosts") or []
                    if isinstance(h, dict)),
        findings=tuple(finding_facts(f) for f in findings.get("findings") or []
                       if isinstance(f, dict)),
        area_scores={str(k): _score(v) for k, v in areas.items()})
