"""Benchmark: sitewalk's discovery and standard scan against plain nmap, in the virtual office.

Prints, from one run: ``sitewalk discover`` against ``nmap -sn`` on the office /24, and the
full ``standard`` scan (all TCP ports, office UDP ports, SNMP, names) against
``nmap -sV -O --top-ports 100`` on the same hosts. Everything runs inside the lab's laptop
namespace. Targets (issue 3): discovery at most half of nmap's time; the standard scan at most
a third of that nmap run. Run as root: ``.venv/bin/python -m bench.scan_vs_nmap``.

It also prints a machine reference: nmap's own all-port SYN sweep at sitewalk's rate, with the
share of probes that got no answer. On two cores that sweep is bound by how fast nmap reads its
captures; when the machine is busy or slow the sweep takes longer and more answers are lost
(sitewalk then asks again), so the ratios above are read against this line.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.lab.office import LAPTOP_NS, Office

SITEWALK = str(Path(sys.executable).with_name("sitewalk"))


def timed(argv: list[str], timeout: float = 900) -> tuple[float, subprocess.CompletedProcess]:
    """Run ``argv`` inside the laptop namespace; seconds taken and the result."""
    start = time.monotonic()
    done = subprocess.run(["ip", "netns", "exec", LAPTOP_NS, *argv], capture_output=True,
                          text=True, timeout=timeout)
    return time.monotonic() - start, done


def nmap_runs(evidence: Path) -> list[tuple[str, float]]:
    """(run, seconds) of every nmap run the scan saved, slowest first."""
    runs = []
    for path in evidence.glob("nmap-*.xml"):
        found = re.search(r'<finished [^>]*elapsed="([\d.]+)"', path.read_text(errors="replace"))
        if found:
            runs.append((path.stem.removeprefix("nmap-"), float(found.group(1))))
    return sorted(runs, key=lambda run: -run[1])


def unanswered_share(xml_text: str) -> float:
    """The share of the probed ports that got no response (0..1) in one nmap XML report."""
    silent = sum(int(m) for m in re.findall(r'reason="no-response" count="(\d+)"', xml_text))
    answered = sum(int(m) for m in re.findall(r'reason="(?:reset|syn-ack)" count="(\d+)"',
                                              xml_text))
    answered += len(re.findall(r'<state state="open" reason="syn-ack"', xml_text))
    total = silent + answered
    return silent / total if total else 0.0


def main() -> int:
    """Bring the office up if needed, measure, print, tear down what this run brought up."""
    office = Office()
    started_here = not office.is_up()
    if started_here:
        office.up()
    try:
        truth = office.load_ground_truth()
        lan, hosts = truth["lan"], [h["ip"] for h in truth["hosts"]]
        discover_s, discover = timed([SITEWALK, "discover", lan, "--json"])
        nmap_sn_s, _ = timed(["nmap", "-sn", "-n", lan])
        with tempfile.TemporaryDirectory() as folder:
            scan_s, scan = timed([SITEWALK, "scan", lan, "--client", "bench", "--out",
                                  f"{folder}/a"])
            breakdown = nmap_runs(Path(folder) / "a" / "evidence")
        nmap_sv_s, _ = timed(["nmap", "-sV", "-O", "--top-ports", "100", "-n", *hosts])
        sweep_s, sweep = timed(["nmap", "-oX", "-", "-sS", "-n", "-Pn", "-T4", "--min-rate",
                                "50000", "--max-retries", "1", "-p", "1-65535", *hosts])
    finally:
        if started_here:
            office.down()
    if discover.returncode or scan.returncode:
        print("sitewalk failed:", discover.stderr[-500:], scan.stderr[-500:])
        return 1
    print(f"discovery: sitewalk discover {discover_s:.2f} s, nmap -sn {nmap_sn_s:.2f} s "
          f"-> ratio {discover_s / nmap_sn_s:.2f} (target <= 0.50)")
    print("sitewalk's nmap runs: " + ", ".join(f"{name} {seconds:.1f} s"
                                               for name, seconds in breakdown))
    print(f"full scan: sitewalk scan (standard, {len(hosts)} hosts) {scan_s:.1f} s, "
          f"nmap -sV -O --top-ports 100 {nmap_sv_s:.1f} s -> ratio {scan_s / nmap_sv_s:.2f} "
          "(target <= 0.33)")
    print(f"machine reference: nmap -sS --min-rate 50000 -p 1-65535 on {len(hosts)} hosts "
          f"{sweep_s:.1f} s, {unanswered_share(sweep.stdout):.0%} of probes unanswered "
          "(about 12 s and few lost on an idle machine of this kind)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
