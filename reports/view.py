"""The report's view-model: plain frozen dataclasses with everything the templates show.

Built by :func:`reports.viewmodel.build_view_model` from ``inventory.json`` and
``findings.json``. Every string here is already cleaned and bounded (see :mod:`reports.text`);
templates only lay out and escape. Nothing here knows about HTML or PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reports.directory_view import DirectoryChapter
    from reports.network_types import NetworkPicture
    from reports.plan_types import PlanView


@dataclass(frozen=True)
class Branding:
    """Who prepared the report and in what house style."""

    company: str  # "" when the consultant configured no branding
    consultant: str
    email: str
    phone: str
    website: str
    primary_color: str  # validated "#rrggbb"
    accent_color: str
    logo_path: Path | None  # a local file, already checked to exist
    is_default: bool

    @property
    def prepared_by(self) -> str:
        """The "prepared by" line: the company, or the neutral sitewalk default."""
        return self.company or "Prepared with sitewalk"

    @property
    def contact_parts(self) -> tuple[str, ...]:
        """Consultant, e-mail, phone and website that are set, in that order."""
        parts = (self.consultant, self.email, self.phone, self.website)
        return tuple(part for part in parts if part)


@dataclass(frozen=True)
class Band:
    """One score band, e.g. 40–69 "High risk"."""

    label: str
    low: float
    high: float  # exclusive, except 100 for the last band
    color: str

    @property
    def range_text(self) -> str:
        """``"40–69"`` (bands are shown in whole points)."""
        high = 100 if self.high >= 100 else max(self.low, self.high - 1)
        return f"{self.low:g}–{high:g}"


@dataclass(frozen=True)
class Score:
    """A risk score: 0 = nothing wrong, 100 = every assessed check failed."""

    value: float | None  # None when nothing in scope was assessed
    band: str
    color: str
    assessed: int
    failed: int

    @property
    def display(self) -> str:
        """The score as the report prints it: whole points, or a dash when not assessed."""
        return "–" if self.value is None else str(int(self.value + 0.5))

    @property
    def percent(self) -> float:
        """Bar width in percent (0 when not assessed)."""
        return 0.0 if self.value is None else max(0.0, min(100.0, float(self.value)))


@dataclass(frozen=True)
class AreaScore:
    """The score of one area (firewall, backup …)."""

    key: str
    name: str
    score: Score


@dataclass(frozen=True)
class GaugeSegment:
    """One coloured arc of the score gauge (one band)."""

    path: str  # SVG path data, numbers only
    color: str


@dataclass(frozen=True)
class Gauge:
    """Geometry of the half-circle score gauge, ready for an inline SVG."""

    segments: tuple[GaugeSegment, ...]
    marker: tuple[float, float] | None  # where the score sits on the arc; None when unscored
    value_text: str
    color: str


@dataclass(frozen=True)
class Criterion:
    """One sweet-spot criterion and whether the prospect meets it."""

    name: str
    state: str  # "met", "unmet", "open"
    state_label: str
    evidence: str


@dataclass(frozen=True)
class Verdict:
    """The sweet-spot verdict: is this prospect a fit for the flat-rate plan?"""

    code: str  # sweet_spot, too_small, too_large, need_more_information
    label: str
    tone: str  # good, neutral, pending
    sentence: str  # the verdict in plain words
    reasons: tuple[str, ...]
    criteria: tuple[Criterion, ...]
    would_change: tuple[str, ...]
    to_confirm: tuple[str, ...]  # questions that would sharpen the verdict


@dataclass(frozen=True)
class Reference:
    """A reference link; ``url`` is empty unless it is a plain http(s) address."""

    text: str
    url: str


@dataclass(frozen=True)
class AffectedHost:
    """One device a finding applies to, with what was seen there."""

    name: str
    ip: str
    mac: str
    message: str
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Issue:
    """One problem (all FAIL results of one check), written for the client."""

    anchor: str  # HTML id, derived from the check id
    check_id: str
    title: str
    area: str
    area_name: str
    severity: str
    severity_label: str
    summary: str  # first sentence of the risk, for the executive summary
    risk: str
    remediation: tuple[str, ...]
    service: str
    references: tuple[Reference, ...]
    site_wide: bool  # about the network as a whole, not particular devices
    site_message: str
    site_evidence: tuple[str, ...]
    hosts: tuple[AffectedHost, ...]  # shown with what was seen (all, or the first examples)
    other_hosts: tuple[str, ...]  # further affected devices, "name (ip)", bounded
    host_count: int  # all affected devices, shown or not
    passed_elsewhere: int  # devices where the same check passed
    lapsed: tuple[str, ...] = ()  # "Acceptance by … expired on …", one per lapsed acceptance
    accepted_elsewhere: int = 0  # results of the same check accepted as a risk, still in force
    accepted_targets: tuple[str, ...] = ()  # where: the first few device names

    @property
    def hidden_hosts(self) -> int:
        """Affected devices left out of the list to keep it readable."""
        return self.host_count - len(self.hosts) - len(self.other_hosts)

    @property
    def headline_hosts(self) -> tuple[str, ...]:
        """The first few affected device names, for the issue's one-line scope."""
        return tuple(host.name for host in self.hosts[:4])

    @property
    def scope(self) -> str:
        """``"Whole network"`` or ``"2 devices"``."""
        if self.site_wide and not self.host_count:
            return "Whole network"
        return f"{self.host_count} device" + ("" if self.host_count == 1 else "s")


@dataclass(frozen=True)
class AcceptedRisk:
    """A failure the client has accepted as a risk: who accepted it, why, and until when."""

    check_id: str
    title: str
    area_name: str
    severity: str
    severity_label: str
    device: str  # the device's name, or "Whole network"
    ip: str
    accepted_by: str
    reason: str
    until: str  # "March 31, 2027"
    in_force: bool  # False once expired: the failure is an open issue again
    issue_anchor: str  # where an expired one is in the findings chapter


@dataclass(frozen=True)
class PlanService:
    """One service of the managed plan and the issues it takes care of."""

    name: str
    issues: tuple[Issue, ...]


@dataclass(frozen=True)
class NotAssessed:
    """A check that could not be run, and why."""

    check_id: str
    title: str
    area_name: str
    target: str
    reason: str


@dataclass(frozen=True)
class AreaSection:
    """Everything the findings chapter says about one area."""

    key: str
    name: str
    anchor: str
    score: Score
    issues: tuple[Issue, ...]
    passed_checks: tuple[str, ...]  # one line per check that found nothing wrong anywhere
    pass_count: int  # PASS results (device × check)
    not_assessed_count: int
    not_applicable_count: int
    accepted_count: int = 0  # failures accepted as a risk (device × check), left out


@dataclass(frozen=True)
class SeverityCount:
    """How many issues of one severity."""

    severity: str
    label: str
    count: int


@dataclass(frozen=True)
class InventoryRow:
    """One device in the inventory table."""

    name: str
    named: bool  # False when ``name`` describes the device because it has no name of its own
    ip: str
    mac: str
    vendor: str
    device_class: str
    class_label: str
    make_model: str
    firmware: str
    services: tuple[str, ...]  # "22/ssh", "161/snmp (udp)"
    more_services: int
    description: str  # SNMP sysDescr, bounded
    is_gateway: bool
    switch_port: str = ""  # a switch heard by LLDP/CDP: its port the scanning laptop is on

    @property
    def services_text(self) -> str:
        """``"22/ssh, 80/http"`` with a "+N more" tail when bounded.

        A service never breaks inside itself ("161/snmp (udp)" gets a no-break space, and a
        word joiner after the slash), so the list wraps only between services.
        """
        text = ", ".join(service.replace(" ", "\u00a0").replace("/", "/\u2060")
                         for service in self.services)
        return text + (f", +{self.more_services} more" if self.more_services else "")


@dataclass(frozen=True)
class ClassCount:
    """How many devices of one class."""

    device_class: str
    label: str
    count: int


@dataclass(frozen=True)
class ScanError:
    """Something the scan could not do."""

    source: str
    target: str
    message: str


@dataclass(frozen=True)
class AuthorisationRecord:
    """The client's written authorisation to scan, as the consultant recorded it."""

    by: str  # "Dr. Maria Chen, practice owner"
    on: str  # "November 3, 2026"
    reference: str  # "" when none was given


@dataclass(frozen=True)
class ScanGaps:
    """Why a scan is partial: it ran, but lost results (nmap killed, the link went away)."""

    gaps: tuple[ScanError, ...]  # the errors that lost results, bounded
    more: int  # further gaps left out of ``gaps``


@dataclass(frozen=True)
class ScanInfo:
    """What the scan did: scope, timing, profile, and what went wrong."""

    targets: tuple[str, ...]
    excluded: tuple[str, ...]
    profile: str
    date: str
    started: str
    finished: str
    duration: str
    complete: bool
    scanner_ip: str
    interface: str
    privileged: bool
    tool_version: str
    host_count: int
    errors: tuple[ScanError, ...]
    more_errors: int
    port_plan: str = ""  # which TCP ports were asked on which devices


@dataclass(frozen=True)
class WeightRow:
    """One weight of the score formula."""

    name: str
    weight: str


@dataclass(frozen=True)
class ResultCounts:
    """For one area: failed and assessed checks per severity, beside the area's score."""

    name: str
    cells: tuple[str, ...]  # "2 / 5" (failed / ran) per severity, "–" when none ran
    score: Score


@dataclass(frozen=True)
class ScoreMethod:
    """Everything a client needs to recompute the score."""

    formula: str
    weights: tuple[WeightRow, ...]
    bands: tuple[Band, ...]
    severity_labels: tuple[str, ...]  # column heads of ``results``
    results: tuple[ResultCounts, ...]
    worked_example: str  # the overall score recomputed; "" when it cannot be shown


@dataclass(frozen=True)
class ReportView:
    """The whole report, ready to render."""

    branding: Branding
    client: str
    title: str
    report_date: str
    assessment_date: str
    paper: str  # "letter" or "a4"
    verdict: Verdict
    overall: Score
    gauge: Gauge
    areas: tuple[AreaScore, ...]
    severity_counts: tuple[SeverityCount, ...]
    issue_count: int
    # of which about how IT is run today (the fit criteria), not risks: not in the score
    fit_issue_count: int
    top_issues: tuple[Issue, ...]
    plan_services: tuple[PlanService, ...]
    sections: tuple[AreaSection, ...]
    not_assessed: tuple[NotAssessed, ...]
    pass_count: int
    inventory: tuple[InventoryRow, ...]
    class_counts: tuple[ClassCount, ...]
    scan: ScanInfo
    method: ScoreMethod
    tool_version: str
    plan: PlanView  # the recommendation chapter (:mod:`reports.plan_view`)
    accepted: tuple[AcceptedRisk, ...] = ()  # accepted risks in force: apart, out of the score
    lapsed: tuple[AcceptedRisk, ...] = ()  # expired acceptances: their failures count again
    more_accepted: int = 0  # accepted risks in force left out of the appendix's table
    check_profile: str = ""  # the check profile, when not sitewalk's default one
    network: NetworkPicture | None = None  # the inventory chapter's picture
    partial: ScanGaps | None = None  # None unless the scan lost results
    authorisation: AuthorisationRecord | None = None  # None: no authorisation was recorded
    directory: DirectoryChapter | None = None  # None: no directory audit ran
    lifecycle_data: str = ""  # where the end-of-support dates came from; "" when not recorded

    @property
    def has_acceptances(self) -> bool:
        """Whether the report has an appendix of accepted risks."""
        return bool(self.accepted or self.lapsed)

    @property
    def accepted_count(self) -> int:
        """Accepted risks in force, listed in the appendix or not."""
        return len(self.accepted) + self.more_accepted
