"""What changed between two assessments of a site: devices, findings, score and verdict.

Devices are matched by MAC address, so a device that DHCP moved to another address is the same
device with a new IP, not one removed and one added. A device without a MAC on either side is
matched by hostname, then by IP; two devices with different MACs are never the same device.

Findings are matched by their stable uid (check ID + asset key). Only a FAIL is an open
finding. Between the old and the new assessment a finding is:

* **new** — open now, not open before;
* **resolved** — open before, and now the check ran on the same asset and did not fail (a PASS,
  or the check passed while the device is still on the network);
* **persisting** — open before and now;
* **no longer assessed** — open before, but now the check could not run (UNKNOWN), no longer
  applies, or the device was not seen. That is not a fix, and is never counted as one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from history.documents import quarters_between
from history.facts import STATUS_WEIGHT, FindingFacts, HostFacts, Port, Snapshot

SEVERITY_ORDER = ("critical", "high", "medium", "low", "info")

OPEN, FIXED, NOT_ASSESSED = "open", "fixed", "not_assessed"


def severity_rank(severity: str) -> int:
    """0 for critical … 4 for info; unknown severities last."""
    return SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else len(SEVERITY_ORDER)


@dataclass(frozen=True)
class HostChange:
    """A device seen in both assessments whose address, firmware or open ports changed."""

    before: HostFacts
    after: HostFacts
    matched_by: str  # "mac", "name" or "ip"
    ports_opened: tuple[Port, ...]
    ports_closed: tuple[Port, ...]

    @property
    def ip_changed(self) -> bool:
        """The device has a new address."""
        return self.before.ip != self.after.ip

    @property
    def firmware_changed(self) -> bool:
        """The device reports different firmware (both known)."""
        return bool(self.before.firmware and self.after.firmware
                    and self.before.firmware != self.after.firmware)

    @property
    def changes(self) -> tuple[str, ...]:
        """The changes in words: ``"new IP 192.168.1.20 (was 192.168.1.12)"`` …"""
        lines = []
        if self.ip_changed:
            lines.append(f"new IP {self.after.ip} (was {self.before.ip})")
        if self.firmware_changed:
            lines.append(f"firmware {self.after.firmware} (was {self.before.firmware})")
        lines += [f"port opened: {port.label}" for port in self.ports_opened]
        lines += [f"port closed: {port.label}" for port in self.ports_closed]
        return tuple(lines)


@dataclass(frozen=True)
class FindingChange:
    """One finding's fate between two assessments, with its age when it is open."""

    finding: FindingFacts  # the newer facts when there are any
    before: str  # status in the old assessment, "" when absent
    after: str  # status in the new assessment, "" when absent
    note: str = ""  # why a finding is no longer assessed
    first_seen: datetime | None = None  # open findings: when this run of being open began
    first_quarter: str = ""
    quarters_open: int = 0  # calendar quarters from first seen to now, both counted


@dataclass(frozen=True)
class Diff:
    """Everything that changed from ``old`` to ``new``."""

    old: Snapshot
    new: Snapshot
    devices_added: tuple[HostFacts, ...]
    devices_removed: tuple[HostFacts, ...]
    devices_changed: tuple[HostChange, ...]
    new_findings: tuple[FindingChange, ...]
    resolved: tuple[FindingChange, ...]
    persisting: tuple[FindingChange, ...]
    no_longer_assessed: tuple[FindingChange, ...]

    @property
    def score_change(self) -> float | None:
        """New minus old overall risk score (negative: less risk); None when either is unset."""
        if self.old.overall_score is None or self.new.overall_score is None:
            return None
        return round(self.new.overall_score - self.old.overall_score, 1)

    @property
    def verdict_changed(self) -> bool:
        """The sweet-spot verdict is not the same."""
        return self.old.verdict != self.new.verdict

    @property
    def open_now(self) -> tuple[FindingChange, ...]:
        """Every finding open in the new assessment (new and persisting)."""
        return tuple(sorted(self.new_findings + self.persisting, key=finding_order))


@dataclass(frozen=True)
class FindingIndex:
    """What one assessment says about findings, for deciding a finding's state in it."""

    by_uid: dict[str, FindingFacts]
    checks_ran: frozenset[str]  # checks with at least one PASS or FAIL
    assets: frozenset[str]  # asset keys of the devices seen, and "site"


def index_findings(findings: Iterable[FindingFacts], hosts: Iterable[HostFacts] | None = None,
                   assets: Iterable[str] | None = None) -> FindingIndex:
    """Index one assessment's results (duplicated uids keep their most telling status)."""
    by_uid: dict[str, FindingFacts] = {}
    ran = set()
    for finding in findings:
        if finding.status in ("PASS", "FAIL"):
            ran.add(finding.check_id)
        seen = by_uid.get(finding.uid)
        if seen is None or STATUS_WEIGHT.get(finding.status, 0) > STATUS_WEIGHT.get(
                seen.status, 0):
            by_uid[finding.uid] = finding
    keys = set(assets or ()) | {h.asset_key for h in hosts or ()} | {"site"}
    return FindingIndex(by_uid, frozenset(ran), frozenset(keys))


def state_in(index: FindingIndex, uid: str, check_id: str, asset_key: str) -> tuple[str, str]:
    """(OPEN | FIXED | NOT_ASSESSED, why) for a finding in one assessment."""
    finding = index.by_uid.get(uid)
    if finding is not None:
        if finding.status == "FAIL":
            return OPEN, ""
        if finding.status == "PASS":
            return FIXED, ""
        if finding.status == "NOT_APPLICABLE":
            return NOT_ASSESSED, "the check no longer applies"
        return NOT_ASSESSED, "the check could not run"
    if asset_key not in index.assets:
        return NOT_ASSESSED, "the device was not seen"
    if check_id in index.checks_ran:
        return FIXED, ""
    return NOT_ASSESSED, "the check did not run"


def _name_key(host: HostFacts) -> str:
    return (host.names[0].split(".")[0] if host.names else "").casefold()


def match_hosts(old: tuple[HostFacts, ...], new: tuple[HostFacts, ...]
                ) -> tuple[list[tuple[HostFacts, HostFacts, str]], list[HostFacts],
                           list[HostFacts]]:
    """Pairs (old, new, how) of the same device, then the removed and the added devices."""
    pairs = []
    left, right = list(old), list(new)
    by_mac = {h.mac: h for h in right if h.mac}
    for host in list(left):
        partner = by_mac.get(host.mac) if host.mac else None
        if partner is not None:
            pairs.append((host, partner, "mac"))
            left.remove(host)
            right.remove(partner)
    for how, key in (("name", _name_key), ("ip", lambda h: h.ip)):
        candidates: dict[str, list[HostFacts]] = {}
        for host in right:
            if key(host):
                candidates.setdefault(key(host), []).append(host)
        for host in list(left):
            options = [h for h in candidates.get(key(host), []) if h in right
                       and not (h.mac and host.mac)]  # two MACs that differ: two devices
            if key(host) and len(options) == 1:
                pairs.append((host, options[0], how))
                left.remove(host)
                right.remove(options[0])
    return pairs, left, right


def _host_change(before: HostFacts, after: HostFacts, how: str) -> HostChange | None:
    old_ports = {(p.port, p.protocol): p for p in before.open_ports}
    new_ports = {(p.port, p.protocol): p for p in after.open_ports}
    change = HostChange(
        before, after, how,
        ports_opened=tuple(new_ports[k] for k in sorted(new_ports.keys() - old_ports.keys())),
        ports_closed=tuple(old_ports[k] for k in sorted(old_ports.keys() - new_ports.keys())))
    return change if change.changes else None


def finding_order(change: FindingChange) -> tuple[int, str, str]:
    """Most severe first, then by title and asset."""
    return severity_rank(change.finding.severity), change.finding.title, change.finding.asset


def _host_order(host: HostFacts) -> tuple[int, ...] | tuple[int, str]:
    try:
        return tuple(int(part) for part in host.ip.split("."))
    except ValueError:
        return (999, host.ip)


def diff_snapshots(old: Snapshot, new: Snapshot) -> Diff:
    """Compare two assessments (``old`` taken before ``new``).

    Open findings carry their age as far as these two assessments tell: a finding open in
    both was first seen no later than ``old``. :func:`with_ages` puts in the store's longer
    memory.
    """
    pairs, removed, added = match_hosts(old.hosts, new.hosts)
    changed = [c for c in (_host_change(o, n, how) for o, n, how in pairs) if c is not None]
    before, after = index_findings(old.findings, old.hosts), index_findings(new.findings,
                                                                            new.hosts)
    groups: dict[str, list[FindingChange]] = {"new": [], "resolved": [], "persisting": [],
                                              "gone": []}
    for uid in sorted(before.by_uid.keys() | after.by_uid.keys()):
        facts = after.by_uid.get(uid) or before.by_uid[uid]
        was = before.by_uid.get(uid)
        now = after.by_uid.get(uid)
        was_open = was is not None and was.is_open
        state, why = state_in(after, uid, facts.check_id, facts.asset_key)
        status = (was.status if was else "", now.status if now else "")
        if state == OPEN and not was_open:
            groups["new"].append(FindingChange(facts, *status, first_seen=new.taken_at,
                                               first_quarter=new.quarter, quarters_open=1))
        elif state == OPEN:
            groups["persisting"].append(FindingChange(
                facts, *status, first_seen=old.taken_at, first_quarter=old.quarter,
                quarters_open=quarters_between(old.quarter, new.quarter)))
        elif was_open and state == FIXED:
            groups["resolved"].append(FindingChange(facts, *status))
        elif was_open:
            groups["gone"].append(FindingChange(facts, *status, note=why))
    return Diff(
        old=old, new=new,
        devices_added=tuple(sorted(added, key=_host_order)),
        devices_removed=tuple(sorted(removed, key=_host_order)),
        devices_changed=tuple(sorted(changed, key=lambda c: _host_order(c.after))),
        new_findings=tuple(sorted(groups["new"], key=finding_order)),
        resolved=tuple(sorted(groups["resolved"], key=finding_order)),
        persisting=tuple(sorted(groups["persisting"], key=finding_order)),
        no_longer_assessed=tuple(sorted(groups["gone"], key=finding_order)))


def with_ages(diff: Diff, ages: dict[str, tuple[datetime, str]]) -> Diff:
    """The diff with open findings aged from the store: uid → (first seen, its quarter)."""
    def aged(change: FindingChange) -> FindingChange:
        if change.finding.uid not in ages:
            return change
        first_seen, quarter = ages[change.finding.uid]
        return replace(change, first_seen=first_seen, first_quarter=quarter,
                       quarters_open=quarters_between(quarter, diff.new.quarter))

    return replace(diff, new_findings=tuple(aged(c) for c in diff.new_findings),
                   persisting=tuple(aged(c) for c in diff.persisting))
