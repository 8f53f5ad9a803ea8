"""A partial sweep never reads as a clean one, and the sweep at scale, without a network.

The checks' gap accounting (a stage that did not complete for a host makes what checks read
there UNKNOWN), the score and verdict that decline a scan that saw too little, the batched
sweep that keeps what a stopped nmap had finished (a fake nmap on PATH) and asks only the rest
on ``--resume``, the adaptive rate, and the port plan's recognition of end devices.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checks.assess import assess
from checks.context import evidence_gap
from scanner.model import (
    Host,
    Inventory,
    Service,
    StageGap,
    inventory_from_dict,
    inventory_to_dict,
)
from scanner.sweep.batches import Rate, sweep_batches
from scanner.sweep.plan import end_device, key_ports, rest_ports, spec_size

STOPPED = StageGap("tcp", "nmap did not finish within 420 s during the TCP sweep")


def _office(gap_on: tuple[str, ...], services: bool = True) -> Inventory:
    hosts = []
    for last in range(10, 16):
        ip = f"192.168.80.{last}"
        open_ = (Service(23, "tcp", "telnet"),) if last == 10 and services else ()
        if last == 11 and services:
            open_ = (Service(445, "tcp", "microsoft-ds"), Service(3389, "tcp", "ms-wbt-server"))
        hosts.append(Host(ip=ip, mac=f"00:11:22:33:44:{last:02x}", services=open_,
                          incomplete=(STOPPED,) if ip in gap_on else ()))
    return Inventory(client="Acme", targets=("192.168.80.0/24",), hosts=tuple(hosts),
                     complete=True, partial=bool(gap_on))


def _by_check(document: dict, check_id: str) -> list[dict]:
    return [f for f in document["findings"] if f["check_id"] == check_id]


def test_the_gap_round_trips_through_json() -> None:
    inventory = _office(("192.168.80.12",))
    again = inventory_from_dict(inventory_to_dict(inventory))
    assert again.host("192.168.80.12").missing("tcp") == STOPPED
    assert again.host("192.168.80.13").missing("tcp") is None


def test_a_host_not_swept_is_unknown_never_pass_and_failures_stand() -> None:
    document = assess(_office(("192.168.80.12", "192.168.80.13")))
    telnet = _by_check(document, "SEC-002")
    statuses = {(f["ip"], f["status"]) for f in telnet}
    assert ("192.168.80.10", "FAIL") in statuses  # a problem seen is seen
    assert ("192.168.80.12", "UNKNOWN") in statuses and ("192.168.80.13", "UNKNOWN") in statuses
    assert not [f for f in telnet if f["status"] == "PASS"]
    unknown = next(f for f in telnet if f["ip"] == "192.168.80.12")
    assert "the TCP port sweep did not complete" in unknown["reason"]
    assert "nmap did not finish within 420 s" in unknown["reason"]
    # VNC: no device offers it on the hosts that were swept; not a PASS while two were not.
    vnc = _by_check(document, "SEC-012")
    assert [f["status"] for f in vnc if f["ip"] is None] == ["UNKNOWN"]
    assert "2 devices were not fully scanned" in vnc[0]["message"]


def test_a_whole_scan_keeps_its_passes() -> None:
    document = assess(_office(()))
    assert [f["status"] for f in _by_check(document, "SEC-012")] == ["PASS"]
    assert document["scores"]["overall"]["score"] is not None
    assert "missing" not in document["verdict"]


def test_a_sweep_lost_everywhere_is_unknown_and_the_verdict_and_score_decline() -> None:
    everyone = tuple(f"192.168.80.{last}" for last in range(10, 16))
    inventory = _office(everyone, services=False)
    assert "the TCP port sweep did not complete for 6 of 6 devices" in evidence_gap(inventory)
    document = assess(inventory)
    for check_id in ("SEC-002", "SEC-004", "SEC-012", "SEC-013"):
        statuses = {f["status"] for f in _by_check(document, check_id)}
        assert statuses == {"UNKNOWN"}, (check_id, statuses)
    # What still concludes reads other stages: the MAC addresses (ARP) and SNMP, which ran.
    concluded = {f["check_id"] for f in document["findings"]
                 if f["status"] in ("PASS", "NOT_APPLICABLE")}
    assert concluded <= {"NET-005", "SEC-001", "SEC-011"}, concluded
    overall = document["scores"]["overall"]
    assert overall["score"] is None and overall["band"] == "Not enough evidence: rescan"
    assert "TCP port sweep did not complete" in overall["missing"]
    verdict = document["verdict"]
    assert verdict["verdict"] == "need_more_information"
    assert verdict["reasons"][0].startswith("Not enough evidence: rescan. The TCP port sweep")
    assert "--resume" in verdict["would_change"][0]


def test_a_scan_that_saw_no_service_at_all_declines_too() -> None:
    inventory = _office((), services=False)
    assert "no open TCP port on any of them" in evidence_gap(inventory)
    assert assess(inventory)["verdict"]["verdict"] == "need_more_information"


# -- the batched sweep, with a fake nmap ------------------------------------------------------

HOST_XML = ('<host><status state="up"/><address addr="{ip}" addrtype="ipv4"/><ports>'
            '<extraports state="closed" count="65534"/>'
            '<port protocol="tcp" portid="22"><state state="open" reason="syn-ack"/>'
            '<service name="ssh"/></port></ports></host>')


def _fake_nmap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, finished: int,
               then: str) -> Path:
    """An nmap that writes ``finished`` of its target hosts, then ``then`` (a shell line).

    Every call's argv is appended to ``calls.txt``.
    """
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    calls = tmp_path / "calls.txt"
    script = bin_dir / "nmap"
    host = HOST_XML.replace('"', '\\"')
    script.write_text(f"""#!/bin/sh
echo "$@" >> {calls}
echo '<?xml version="1.0"?><nmaprun scanner="nmap" args="nmap" start="0" version="7.93">'
n=0
for a in "$@"; do
  case "$a" in 192.168.*) n=$((n+1)); [ $n -le {finished} ] && \
echo "{host}" | sed "s/{{ip}}/$a/";; esac
done
{then}
""")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    return calls


HOSTS = [f"192.168.80.{last}" for last in range(10, 16)]
WHOLE = ("echo '<runstats><finished time=\"1\" timestr=\"\" elapsed=\"1\"/>"
         "<hosts up=\"1\" down=\"0\" total=\"1\"/></runstats></nmaprun>'")


def test_a_stopped_batch_keeps_the_hosts_nmap_had_finished(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_nmap(tmp_path, monkeypatch, 4, "kill -KILL $$")
    result = sweep_batches([(HOSTS, "1-65535")], Rate(50000), True, tmp_path)
    assert sorted(result.found) == HOSTS[:4]
    assert all([s.port for s in result.found[ip].services] == [22] for ip in HOSTS[:4])
    assert sorted(result.unswept) == HOSTS[4:]
    assert result.unswept[HOSTS[4]] == "nmap was killed (SIGKILL)"
    assert result.failures == ["nmap was killed (SIGKILL) during the TCP sweep (2 of 6 hosts "
                               "not swept)"]
    assert (tmp_path / "nmap-sweep-tcp-b000.partial.xml").exists()
    assert not (tmp_path / "nmap-sweep-tcp-b000.xml").exists()


def test_resume_asks_only_the_hosts_a_stopped_batch_had_not_finished(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_nmap(tmp_path, monkeypatch, 4, "kill -KILL $$")
    sweep_batches([(HOSTS, "1-65535")], Rate(50000), True, tmp_path)
    (tmp_path / "bin" / "nmap").unlink()
    (tmp_path / "calls.txt").unlink()
    calls = _fake_nmap(tmp_path, monkeypatch, 99, WHOLE)
    result = sweep_batches([(HOSTS, "1-65535")], Rate(50000), True, tmp_path, reuse=True)
    assert sorted(result.found) == HOSTS and not result.unswept and not result.failures
    asked = calls.read_text().split()
    assert [a for a in asked if a.startswith("192.168.")] == HOSTS[4:]


def test_each_batch_has_a_limit_that_follows_its_work(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _fake_nmap(tmp_path, monkeypatch, 99, WHOLE)
    result = sweep_batches([(HOSTS, "1-65535")], Rate(50000), True, tmp_path,
                           batch_probes=2 * 65535)
    assert sorted(result.found) == HOSTS
    assert len(calls.read_text().splitlines()) == 3  # three batches of two hosts
    assert sorted(p.name for p in tmp_path.glob("nmap-sweep-tcp-b*.xml")) == [
        "nmap-sweep-tcp-b000.xml", "nmap-sweep-tcp-b001.xml", "nmap-sweep-tcp-b002.xml"]


def test_the_rate_backs_off_on_loss_and_grows_when_clean() -> None:
    rate = Rate(40000, floor=1000, ceiling=100000)
    assert rate.limit(400000) == 60 + 4 * 80  # not measured yet: a cautious 5000 pps
    rate.after(probes=400000, seconds=20, lost=40000)  # 10 % lost, 20 000 pps received
    assert rate.current == 20000 and rate.measured == 20000
    assert rate.limit(400000) == 60 + 4 * 80  # measured faster than the cautious guess
    rate.after(probes=400000, seconds=200, lost=0)  # 2000 pps: slower, so it sets the limit
    assert rate.limit(400000) == 60 + 4 * 200
    rate.current = 20000
    rate.after(probes=400000, seconds=20, lost=0)
    assert rate.current == 30000
    for _ in range(10):
        rate.after(probes=400000, seconds=1, lost=0)
    assert rate.current == 100000
    for _ in range(20):
        rate.after(probes=400000, seconds=100, lost=400000)
    assert rate.current == 1000


@pytest.mark.parametrize(("ports", "vendor", "expected"), [
    ({135, 139, 445}, "Dell Inc.", "workstation"),
    ({135, 139, 445, 3389}, None, "workstation"),
    ({135, 139, 445, 1433}, None, ""),  # a database: infrastructure, every port
    ({80, 443, 515, 631, 9100}, "Hewlett Packard", "printer"),
    ({22, 9100}, None, ""),  # SSH on a printer: not recognised
    ({5060, 80}, None, "phone"),
    (set(), "Yealink Network Technology Co.,Ltd.", "phone"),
    (set(), "Dell Inc.", ""),  # silent and unknown: every port
    ({22}, None, ""),
    ({22, 88, 445, 5900}, "Apple, Inc.", "workstation"),
])
def test_end_devices_are_recognised_narrowly(ports: set[int], vendor: str | None,
                                             expected: str) -> None:
    assert end_device(ports, vendor) == expected


def test_the_key_ports_hold_every_office_port_and_the_rest_completes_them() -> None:
    key = key_ports()
    assert {23, 445, 3389, 5900, 9100, 10000, 3493} <= set(key) and len(key) > 1000
    assert spec_size(rest_ports(key)) + len(key) == 65535


def test_the_port_plan_is_said_in_words() -> None:
    from scanner.pipeline import NOT_SWEPT, port_plan_words

    assert port_plan_words({"a": "every TCP port", "b": "every TCP port"}) == \
        "Every TCP port (1–65535) on every device (2)."
    words = port_plan_words({"a": "every TCP port",
                             "b": "the 1004 key TCP ports (workstation)",
                             "c": "the 1004 key TCP ports (workstation)",
                             "d": "the 1004 key TCP ports (printer)", "e": NOT_SWEPT})
    assert words.startswith("Every TCP port (1–65535) on 1 devices: infrastructure and every "
                            "device not recognised")
    assert "(1 printer, 2 workstations)" in words
    assert words.endswith("1 devices were not swept: see the gaps.")


def test_at_scale_hosts_with_the_same_ports_share_a_service_scan() -> None:
    from scanner.pipeline import GROUP_HOSTS, _service_groups

    swept = {f"10.0.0.{n}": [135, 139, 445] for n in range(1, 21)}
    swept |= {"10.0.1.1": [22, 80], "10.0.1.2": [22, 80], "10.0.1.3": [], "10.0.1.4": [80]}
    alone = {"10.0.1.4"}
    groups = _service_groups(swept, grouped=True, alone=alone)
    sizes = sorted(len(ips) for ips, _ports in groups)
    assert sizes == [1, 2, 20 - GROUP_HOSTS, GROUP_HOSTS]
    assert (["10.0.1.1", "10.0.1.2"], [22, 80]) in groups
    assert all("10.0.1.3" not in ips for ips, _ports in groups)  # nothing open: nothing to ask
    small = _service_groups(swept, grouped=False, alone=set())
    assert all(len(ips) == 1 for ips, _ports in small) and len(small) == 23


def test_a_declined_scan_renders_a_report_that_says_so() -> None:
    import json

    from reports.render import render_html
    from reports.viewmodel import build_view_model

    everyone = tuple(f"192.168.80.{last}" for last in range(10, 16))
    inventory = _office(everyone, services=False)
    data = inventory_to_dict(inventory)
    data["port_plan"] = "Every TCP port (1–65535) on 6 devices. 6 devices were not swept."
    data["errors"] = [{"source": "nmap", "target": "6 hosts", "lost": True, "message":
                       "nmap did not finish within 420 s during the TCP sweep"}]
    findings = json.loads(json.dumps(assess(inventory)))
    html = render_html(build_view_model(data, findings))
    assert "Not enough evidence: rescan" in html
    assert "Ports asked" in html and "6 devices were not swept" in html
