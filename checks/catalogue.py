"""The published catalogue of checks, generated from their metadata (docs/checks.md)."""

from __future__ import annotations

from collections.abc import Iterable

from checks.model import AREAS, FAMILY_AREA
from checks.registry import RegisteredCheck

AREA_TITLES = {"firewall": "Firewall and gateway (FW)", "backup": "Backup (BAK)",
               "av": "Antivirus and endpoint protection (AV)", "power": "Power protection (PWR)",
               "servers": "Servers and domain (SRV)", "network": "Network design (NET)",
               "exposure": "Exposure and hygiene (SEC)", "fit": "Fit for managed IT (FIT)",
               "directory": "Active Directory (AD)"}


def catalogue_markdown(checks: Iterable[RegisteredCheck]) -> str:
    """Every check as Markdown: ID, title, severity, what it looks at, risk, fix, references."""
    checks = list(checks)
    lines = ["# sitewalk checks", "",
             "Generated from the checks' own metadata by `sitewalk checks list --markdown`; "
             "do not edit by hand.", "",
             f"{len(checks)} checks. Results are PASS, FAIL, NOT_APPLICABLE or UNKNOWN (with "
             "the reason); IDs are stable and never reused. FIT checks are facts about the "
             "business: they inform the verdict and carry no weight in the risk score.", ""]
    for area in AREAS:
        in_area = [c for c in checks if FAMILY_AREA[c.meta.id.split("-")[0]] == area]
        if not in_area:
            continue
        lines += [f"## {AREA_TITLES[area]}", ""]
        for registered in in_area:
            meta = registered.meta
            looks_at = " ".join((registered.run.__doc__ or "").split())
            lines += [f"### {meta.id} — {meta.title}", "",
                      f"*Severity:* {meta.severity.value} · *Plan service:* {meta.service}", "",
                      f"*What it looks at:* {looks_at}", "", f"*Why it matters:* {meta.risk}", "",
                      "*How to fix it:*", "", *(f"{n}. {step}" for n, step in
                                                enumerate(meta.remediation, start=1)), "",
                      *([f"*Threshold:* {meta.threshold}", ""] if meta.threshold else []),
                      *([f"*Follows:* {', '.join(meta.anchors)}", ""] if meta.anchors else []),
                      "*References:* " + ", ".join(f"<{r}>" for r in meta.references), ""]
    return "\n".join(lines)
