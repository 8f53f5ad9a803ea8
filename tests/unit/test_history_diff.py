"""The diff of two assessments: device identity by MAC, finding fates by uid (no database)."""

from __future__ import annotations

from datetime import UTC, datetime

from history.diff import diff_snapshots, match_hosts
from history.facts import FindingFacts, HostFacts, Port, Snapshot

MAC_A, MAC_B, MAC_C = "aa:aa:aa:00:00:01", "aa:aa:aa:00:00:02", "aa:aa:aa:00:00:03"


def host(asset: str, ip: str, mac: str | None = None, name: str = "", firmware: str = "",
         ports: tuple[int, ...] = ()) -> HostFacts:
    return HostFacts(asset_key=asset, ip=ip, mac=mac, names=(name,) if name else (),
                     display_name=name.split(".")[0] or ip, firmware=firmware,
                     open_ports=tuple(Port(p, "tcp", "") for p in ports))


def result(check_id: str, asset: str, status: str, severity: str = "high") -> FindingFacts:
    return FindingFacts(uid=f"{check_id}:{asset}", check_id=check_id, status=status,
                        severity=severity, area="exposure", title=f"{check_id} title",
                        asset_key=asset)


def snapshot(quarter: str, hosts: list[HostFacts], findings: list[FindingFacts],
             score: float | None = 40.0) -> Snapshot:
    year, q = quarter.split("-Q")
    taken = datetime(int(year), 3 * int(q) - 1, 15, tzinfo=UTC)
    return Snapshot(label=quarter, client="Office", site="Main office", taken_at=taken,
                    quarter=quarter, overall_score=score, overall_band="", verdict="sweet_spot",
                    verdict_label="", hosts=tuple(hosts), findings=tuple(findings))


def test_a_device_that_dhcp_moved_is_changed_not_added_and_removed() -> None:
    old = [host(MAC_A, "10.0.0.5", MAC_A, "pc1")]
    new = [host(MAC_A, "10.0.0.9", MAC_A, "pc1")]
    diff = diff_snapshots(snapshot("2026-Q1", old, []), snapshot("2026-Q2", new, []))
    assert not diff.devices_added and not diff.devices_removed
    (change,) = diff.devices_changed
    assert change.ip_changed and change.matched_by == "mac"
    assert change.changes == ("new IP 10.0.0.9 (was 10.0.0.5)",)


def test_two_macs_on_one_address_are_two_devices() -> None:
    old = [host(MAC_A, "10.0.0.5", MAC_A, "pc1")]
    new = [host(MAC_B, "10.0.0.5", MAC_B, "pc1")]
    pairs, removed, added = match_hosts(tuple(old), tuple(new))
    assert not pairs and removed == old and added == new


def test_hosts_without_a_mac_fall_back_to_hostname_then_ip() -> None:
    old = [host("nas.lan", "10.0.0.7", None, "nas.lan"), host("10.0.0.8", "10.0.0.8")]
    new = [host(MAC_C, "10.0.0.17", MAC_C, "NAS.lan"), host("10.0.0.8", "10.0.0.8")]
    pairs, removed, added = match_hosts(tuple(old), tuple(new))
    assert [how for *_, how in pairs] == ["name", "ip"]
    assert not removed and not added


def test_firmware_and_ports_are_changes() -> None:
    old = [host(MAC_A, "10.0.0.2", MAC_A, "ups", "7.0.8", (22, 23))]
    new = [host(MAC_A, "10.0.0.2", MAC_A, "ups", "7.1.2", (22, 443))]
    (change,) = diff_snapshots(snapshot("2026-Q1", old, []),
                               snapshot("2026-Q2", new, [])).devices_changed
    assert change.firmware_changed
    assert [p.port for p in change.ports_opened] == [443]
    assert [p.port for p in change.ports_closed] == [23]


def test_finding_fates() -> None:
    hosts = [host(MAC_A, "10.0.0.5", MAC_A, "pc1"), host(MAC_B, "10.0.0.6", MAC_B, "pc2")]
    old = [result("SEC-002", MAC_A, "FAIL"),       # telnet closed: check passes site-wide
           result("SEC-003", MAC_A, "FAIL"),       # still open
           result("SEC-004", MAC_A, "FAIL"),       # FAIL -> PASS
           result("SEC-005", MAC_A, "FAIL"),       # FAIL -> UNKNOWN
           result("SEC-006", MAC_B, "FAIL"),       # the device is gone
           result("SEC-007", MAC_A, "PASS")]       # PASS -> FAIL: new
    new = [result("SEC-002", "site", "PASS"), result("SEC-003", MAC_A, "FAIL"),
           result("SEC-004", MAC_A, "PASS"), result("SEC-005", MAC_A, "UNKNOWN"),
           result("SEC-006", "site", "PASS"), result("SEC-007", MAC_A, "FAIL"),
           result("SEC-012", MAC_A, "FAIL")]
    diff = diff_snapshots(snapshot("2026-Q1", hosts, old), snapshot("2026-Q3", hosts[:1], new))
    uids = {name: sorted(c.finding.uid for c in changes) for name, changes in (
        ("new", diff.new_findings), ("resolved", diff.resolved),
        ("persisting", diff.persisting), ("gone", diff.no_longer_assessed))}
    assert uids == {"new": [f"SEC-007:{MAC_A}", f"SEC-012:{MAC_A}"],
                    "resolved": [f"SEC-002:{MAC_A}", f"SEC-004:{MAC_A}"],
                    "persisting": [f"SEC-003:{MAC_A}"],
                    "gone": [f"SEC-005:{MAC_A}", f"SEC-006:{MAC_B}"]}
    notes = {c.finding.check_id: c.note for c in diff.no_longer_assessed}
    assert notes == {"SEC-005": "the check could not run", "SEC-006": "the device was not seen"}
    (persisting,) = diff.persisting
    assert (persisting.first_quarter, persisting.quarters_open) == ("2026-Q1", 3)


def test_score_and_verdict_change() -> None:
    old, new = snapshot("2026-Q1", [], [], 47.0), snapshot("2026-Q2", [], [], 35.0)
    diff = diff_snapshots(old, new)
    assert diff.score_change == -12.0 and not diff.verdict_changed
    assert diff_snapshots(old, snapshot("2026-Q2", [], [], None)).score_change is None


def test_a_duplicated_uid_keeps_its_most_telling_status() -> None:
    hosts = [host(MAC_A, "10.0.0.5", MAC_A, "pc1")]
    old = [result("SEC-002", MAC_A, "PASS")]
    new = [result("SEC-002", MAC_A, "PASS"), result("SEC-002", MAC_A, "FAIL")]
    diff = diff_snapshots(snapshot("2026-Q1", hosts, old), snapshot("2026-Q2", hosts, new))
    assert [c.finding.status for c in diff.new_findings] == ["FAIL"]
