"""Benchmark: the PDF report of a large office, 250 devices and 500 findings.

The assessment is synthetic, made from the report sample (``tests/fixtures/report-sample``):
its 17 devices copied round to 250 (new addresses, MACs and names; one gateway), and its
failures on devices spread over them to make 500 FAIL results. One result in 25 is an accepted
risk, and one in 100 an acceptance that has expired, so the accepted-risks appendix and the
"acceptance expired" notes are laid out at this size too. ``tests/unit/test_report_inputs.py``
renders the same assessment (:func:`large_assessment`) against the time target.

Prints the wall time of building the view-model and of rendering the PDF, and the peak memory
(``ru_maxrss`` of this process, and of its children when it had any), against the targets:
the PDF in under 10 s and under 500 MB. It prints figures and asserts nothing. Run from the
repository root::

    .venv/bin/python -m bench.report_render [--output report.pdf]
"""

from __future__ import annotations

import argparse
import copy
import json
import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

SAMPLE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "report-sample"
TIME_TARGET_S = 10.0
MEMORY_TARGET_MB = 500.0


def large_assessment(host_count: int = 250, failures: int = 500, accepted_every: int = 25,
                     lapsed_every: int = 100) -> tuple[dict[str, Any], dict[str, Any]]:
    """``inventory.json`` and ``findings.json`` of a synthetic office of ``host_count``
    devices with ``failures`` FAIL results (every ``accepted_every``-th one an accepted risk,
    every ``lapsed_every``-th one an expired acceptance; 0 for none)."""
    inventory = json.loads((SAMPLE / "inventory.json").read_text(encoding="utf-8"))
    findings = json.loads((SAMPLE / "findings.json").read_text(encoding="utf-8"))
    templates = inventory["hosts"]
    hosts = []
    for index in range(host_count):
        host = copy.deepcopy(templates[index % len(templates)])
        host.update(ip=f"10.1.{index // 200}.{index % 200 + 1}",
                    mac=f"02:00:00:00:{index // 256:02x}:{index % 256:02x}",
                    hostnames=[f"host-{index:03d}.example.local"], is_gateway=index == 0)
        hosts.append(host)
    inventory["hosts"] = hosts
    inventory["gateway"] = hosts[0]["ip"]
    inventory["targets"] = ["10.1.0.0/23"]
    device_failures = [f for f in findings["findings"] if f["status"] == "FAIL" and f["ip"]]
    results = []
    for index in range(failures):
        result = copy.deepcopy(device_failures[index % len(device_failures)])
        host = hosts[index % len(hosts)]
        result.update(ip=host["ip"], mac=host["mac"], host_name=None,
                      uid=f"{result['check_id']}:{host['mac']}")
        if lapsed_every and index % lapsed_every == lapsed_every - 1:
            result["accepted"] = {"by": "Dana Whitfield, partner",
                                  "reason": "Replacement was planned for last year.",
                                  "until": "2025-01-31", "in_force": False}
        elif accepted_every and index % accepted_every == accepted_every - 1:
            result["accepted"] = {"by": "Dana Whitfield, partner",
                                  "reason": "The vendor of the practice software needs it; "
                                            "reviewed each quarter.",
                                  "until": "2027-06-30", "in_force": True}
        results.append(result)
    findings["findings"] = results
    return inventory, findings


def _megabytes(kilobytes: int) -> float:
    return kilobytes / 1024  # Linux reports ru_maxrss in kilobytes


def _pages(pdf: Path) -> str:
    if shutil.which("pdfinfo") is None:
        return "?"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")),
                "?")


def main(argv: list[str] | None = None) -> int:
    """Build, render, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, help="keep the PDF here")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    from reports.render import render_pdf  # the imports (WeasyPrint) are part of a real run
    from reports.viewmodel import build_view_model

    imported = time.perf_counter()
    import_children = _megabytes(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    inventory, findings = large_assessment()
    cpu_before = time.process_time()
    view = build_view_model(inventory, findings)
    built = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        output = args.output or Path(folder) / "large.pdf"
        render_pdf(view, output)
        rendered = time.perf_counter()
        cpu_s = time.process_time() - cpu_before
        # Peak memory now, before pdfinfo runs: a forked child starts as big as this process.
        own = _megabytes(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        children = _megabytes(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        size, pages = output.stat().st_size, _pages(output)

    render_s = rendered - imported
    results = sum(1 for f in findings["findings"] if f["status"] == "FAIL")
    print(f"assessment: {len(inventory['hosts'])} devices, {results} FAIL results "
          f"({view.issue_count} issues, {view.accepted_count} accepted risks, "
          f"{len(view.lapsed)} expired acceptances)")
    print(f"import reports + WeasyPrint: {imported - started:.2f} s")
    print(f"view-model: {built - imported:.2f} s; PDF: {rendered - built:.2f} s; "
          f"together {render_s:.2f} s wall time (target < {TIME_TARGET_S:g} s), "
          f"{cpu_s:.2f} s CPU time")
    print(f"PDF: {pages} pages, {size / 1024:.0f} kB")
    if not children:
        helpers = "no child processes"
    elif children == import_children:  # ctypes.util.find_library runs ldconfig, gcc and ld
        helpers = (f"child processes {children:.0f} MB (all while importing WeasyPrint: its "
                   "library lookup runs ldconfig and gcc; none while rendering)")
    else:
        helpers = f"child processes {children:.0f} MB"
    print(f"peak memory: this process {own:.0f} MB, {helpers} (target < {MEMORY_TARGET_MB:g} MB)")
    if view.network is not None:
        counted = ", ".join(view.network.summarised)
        print("network picture: " + (f"drawn as counts: {counted}" if counted
                                     else "every device drawn one by one")
              + f"; {view.network.marked} devices marked with open issues")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
