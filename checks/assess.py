"""Running the checks over an inventory and writing ``findings.json``.

A check that raises is reported as UNKNOWN with the error as its reason: one broken check must
never stop the assessment or hide the others.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from checks.common import account_for_gaps
from checks.context import Context, reading, watched
from checks.exceptions import Acceptance, apply_exceptions
from checks.interview import load_saved_answers, save_answers
from checks.lifecycle.table import provenance as lifecycle_provenance
from checks.model import Finding, Result, Status
from checks.plan import recommend
from checks.pricebook import PriceBook, load_price_book
from checks.profiles import Profile
from checks.registry import RegisteredCheck, all_checks
from checks.scoring import score
from checks.verdict import decide
from scanner import __version__
from scanner.directory.model import Directory, directory_from_dict
from scanner.directory.store import load_raw as load_directory_raw
from scanner.folder import load_inventory, write_json_atomic
from scanner.model import Inventory

FINDINGS_SCHEMA_VERSION = "1.0"
FINDINGS_FILE = "findings.json"


def run_checks(context: Context, checks: list[RegisteredCheck] | None = None) -> list[Finding]:
    """Every result of every check, as findings with host identity attached.

    What a check read on a host that was not fully scanned is accounted for
    (:func:`checks.common.account_for_gaps`): never a PASS drawn from a stage that did not run.
    """
    findings = []
    seen = watched(context)
    for registered in checks if checks is not None else all_checks():
        with reading() as reads:
            try:
                results = list(registered.run(seen))
            except Exception as exc:  # a broken check is reported, never fatal
                results = [Result(Status.UNKNOWN, "The check could not run.",
                                  reason=f"internal error: {exc.__class__.__name__}: {exc}"[:300])]
        results = account_for_gaps(results, reads, seen.inventory.hosts)
        for result in results:
            host = context.inventory.host(result.ip) if result.ip else None
            findings.append(Finding(
                check=registered.meta, result=result, mac=host.mac if host else None,
                host_name=host.display_name if host else None,
                asset_key=host.asset_key if host else "site"))
    return findings


def _finding_dict(finding: Finding) -> dict[str, Any]:
    return {"uid": finding.uid, "check_id": finding.check.id,
            "status": finding.result.status.value, "severity": finding.check.severity.value,
            "title": finding.check.title, "area": finding.check.area, "ip": finding.result.ip,
            "mac": finding.mac, "host_name": finding.host_name, "asset_key": finding.asset_key,
            **({"resource": finding.result.resource} if finding.result.resource else {}),
            "message": finding.result.message, "evidence": list(finding.result.evidence),
            "reason": finding.result.reason, "accepted": _acceptance_dict(finding)}


def _acceptance_dict(finding: Finding) -> dict[str, Any] | None:
    acceptance = finding.acceptance
    if acceptance is None:
        return None
    return {"by": acceptance.accepted_by, "reason": acceptance.reason,
            "until": acceptance.until.isoformat(), "in_force": finding.muted}


def _check_dict(registered: RegisteredCheck) -> dict[str, Any]:
    meta = registered.meta
    return {"id": meta.id, "title": meta.title, "area": meta.area,
            "severity": meta.severity.value, "risk": meta.risk,
            "remediation": list(meta.remediation), "service": meta.service,
            "references": list(meta.references),
            **({"threshold": meta.threshold} if meta.threshold else {}),
            **({"anchors": list(meta.anchors)} if meta.anchors else {})}


def assess(inventory: Inventory, interview: dict[str, Any] | None = None,
           price_book: PriceBook | None = None, acceptances: list[Acceptance] | None = None,
           profile: Profile | None = None, today: date | None = None,
           directory: Directory | None = None) -> dict[str, Any]:
    """The whole ``findings.json`` document for an inventory and interview answers.

    ``acceptances`` mute the FAILs they match until their date (``today``, default the real
    date: an acceptance lapses in time, whenever the scan was); ``profile`` chooses the checks
    and their severities.
    """
    interview = interview or {}
    price_book = price_book or load_price_book()
    profile = profile or Profile()
    checks = profile.apply(all_checks())
    findings = run_checks(Context(inventory=inventory, interview=interview,
                                  directory=directory), checks)
    findings = apply_exceptions(findings, acceptances or [], today or date.today())
    plan = recommend(inventory, findings, interview, price_book, directory)
    return {
        "schema_version": FINDINGS_SCHEMA_VERSION,
        "tool_version": __version__,
        "client": inventory.client,
        "assessed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "inventory_schema_version": inventory.schema_version,
        "profile": profile.name,
        "findings": [_finding_dict(f) for f in findings],
        "checks": [_check_dict(c) for c in checks],
        "scores": score(findings, inventory),
        "verdict": decide(findings, interview, inventory, plan, price_book.fit,
                          directory=directory),
        "plan": plan,
        "lifecycle_data": lifecycle_provenance(),
    }


def assess_folder(folder: Path, answers: dict[str, Any] | None = None,
                  price_book: PriceBook | None = None,
                  acceptances: list[Acceptance] | None = None,
                  profile: Profile | None = None) -> dict[str, Any]:
    """Assess an assessment folder and write its ``findings.json``.

    New interview answers are saved as ``interview.json`` first; without them, answers saved
    earlier are used, so re-assessing in the office gives the same input as on site.
    """
    inventory = load_inventory(folder)
    if answers is not None:
        save_answers(folder, answers)
    else:
        answers = load_saved_answers(folder)
    raw_directory = load_directory_raw(folder)
    directory = directory_from_dict(raw_directory) if raw_directory else None
    document = assess(inventory, answers, price_book, acceptances, profile, directory=directory)
    write_json_atomic(folder / FINDINGS_FILE, document)
    return document
