"""Benchmark: a standard scan of the hostile office, and what it kept (issue 7).

Builds the hostile office (:mod:`tests.hostile.net`), runs ``sitewalk scan`` (standard
profile) in its laptop namespace, takes the office down, assesses and renders the HTML report,
and prints: the scan's wall time against its bound, sitewalk's nmap runs, hosts found, hosts
fully assessed (every host but the all-open one), the hostile strings the report shows escaped
and raw (raw must be 0), and the all-open host's services kept in ``inventory.json`` against
the ports the sweep saw open. Run as root: ``.venv/bin/python -m bench.hostile_office``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from bench.scan_vs_nmap import nmap_runs
from tests.hostile import expect, strings
from tests.hostile.net import BY_KEY, LAN, LAPTOP_NS, HostileOffice, in_ns

SITEWALK = str(Path(sys.executable).with_name("sitewalk"))


def timed(argv: list[str], timeout: float) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Seconds taken by ``argv`` and its result."""
    start = time.monotonic()
    done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
    return time.monotonic() - start, done


def open_in_sweeps(evidence: Path, ip: str) -> int:
    """TCP ports of ``ip`` the sweep (and its retry) reported open."""
    ports: set[int] = set()
    for name in ("nmap-sweep-tcp.xml", "nmap-sweep-tcp-retry.xml"):
        path = evidence / name
        if not path.exists():
            continue
        for host in ET.parse(path).getroot().iter("host"):
            if not any(a.get("addr") == ip for a in host.findall("address")):
                continue
            ports |= {int(p.get("portid", "0")) for p in host.iter("port")
                      if p.find("state") is not None and p.find("state").get("state") == "open"}
    return len(ports)


def main() -> int:
    """Build, scan, assess, render, print; the office is always taken down."""
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "hostile"
        office = HostileOffice()
        try:
            up_s = office.up()
            scan_s, scan = timed(in_ns(LAPTOP_NS, SITEWALK, "scan", LAN, "--client",
                                       "Hostile office", "--out", str(folder)),
                                 timeout=expect.SCAN_BOUND_S * 3)
        finally:
            office.down()
        if scan.returncode != 0:
            print(f"sitewalk scan exited {scan.returncode}:", scan.stderr[-1500:])
            return 1
        assess_s, assess = timed([SITEWALK, "assess", str(folder)], timeout=600)
        report_s, report = timed([SITEWALK, "report", str(folder), "--format", "html",
                                  "--output", str(folder / "report.html")], timeout=600)
        if assess.returncode or report.returncode:
            print("assess or report failed:", assess.stderr[-800:], report.stderr[-800:])
            return 1
        inventory_path = folder / "inventory.json"
        inventory_bytes = inventory_path.stat().st_size
        inventory = json.loads(inventory_path.read_text())
        html = (folder / "report.html").read_text(encoding="utf-8")
        breakdown = nmap_runs(folder / "evidence")
        all_open_seen = open_in_sweeps(folder / "evidence", expect.ALL_OPEN_IP)
    hosts = {h["ip"]: h for h in inventory["hosts"]}
    assessed = {ip: expect.missing_facts(hosts[ip]) for ip in expect.EXPECTED_PORTS
                if ip in hosts}
    complete = [ip for ip, missing in assessed.items() if not missing]
    escaped, raw = expect.report_strings(html)
    all_open = hosts.get(expect.ALL_OPEN_IP, {})
    longest = max(map(len, expect.strings_in(inventory)), default=0)
    verdict = "within" if scan_s <= expect.SCAN_BOUND_S else "OVER"
    print(f"office up: {up_s:.1f} s")
    print(f"scan (standard, {LAN}): {scan_s:.1f} s, bound {expect.SCAN_BOUND_S} s -> {verdict}")
    print("sitewalk's nmap runs: " + ", ".join(f"{name} {seconds:.1f} s"
                                               for name, seconds in breakdown))
    print(f"assess {assess_s:.1f} s, report (HTML) {report_s:.1f} s")
    print(f"hosts found: {len(hosts)} of {len(BY_KEY)}")
    print(f"hosts fully assessed: {len(complete)} of {len(expect.EXPECTED_PORTS)} "
          "(all but the all-open host)"
          + "".join(f"\n  {ip} lacks: {', '.join(missing)}"
                    for ip, missing in assessed.items() if missing))
    print(f"hostile strings in the report: {len(escaped)} of {len(strings.MARKERS)} markers "
          f"shown escaped ({', '.join(escaped)}); raw: {len(raw)}"
          + (f" ({', '.join(raw)})" if raw else ""))
    print(f"longest 60 000-byte sysDescr run in the report: "
          f"{expect.longest_sys_descr_run(html)} characters")
    print(f"all-open host {expect.ALL_OPEN_IP}: {len(all_open.get('services', []))} services "
          f"kept in inventory.json of {all_open_seen} ports the sweep saw open (65535 answer); "
          f"class {all_open.get('device_class')}, {len(all_open.get('signals', []))} "
          "protection signals")
    print(f"inventory.json: {inventory_bytes} bytes; longest string "
          f"{longest} characters")
    return 0 if not raw and scan_s <= expect.SCAN_BOUND_S else 1


if __name__ == "__main__":
    sys.exit(main())
