"""The report reads per-share findings as one issue, with each device once and its shares."""

from __future__ import annotations

from reports.findings_view import build_issues


def _result(ip: str, share: str) -> dict:
    return {"check_id": "SEC-017", "status": "FAIL", "severity": "critical", "ip": ip,
            "mac": None, "host_name": ip, "resource": share, "area": "exposure",
            "title": "Anyone on the network can write to a file share",
            "message": f"Anyone can write to the share {share!r} on {ip}.",
            "evidence": [f"{ip} 445/tcp {share!r} write"]}


def test_one_issue_one_entry_per_device_with_its_shares() -> None:
    findings = {"checks": [{"id": "SEC-017", "title": "Anyone on the network can write to a "
                            "file share", "area": "exposure", "severity": "critical",
                            "risk": "Anyone can change files.", "remediation": ["Fix it."]}],
                "findings": [_result("192.168.1.20", "scans"), _result("192.168.1.20", "public"),
                             _result("192.168.1.21", "data")]}
    (issue,) = build_issues(findings, {"192.168.1.20": "nas01"})
    assert issue.host_count == 2
    nas = issue.hosts[0]
    assert nas.name == "nas01" and "scans, public" in nas.message
    assert len(nas.evidence) == 2
    assert issue.hosts[1].message == "Anyone can write to the share 'data' on 192.168.1.21."
