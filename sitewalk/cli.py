"""The sitewalk command line. Each command parses, calls one library function, and prints.

Exit codes: 0 success; 1 the work failed (nothing already collected is lost) — for ``scan``
also a scan that ran to its end but is partial (nmap killed, the network link lost: one
``scan partial: …`` line says why); 2 bad input (arguments, files) with a one-line error.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from checks.assess import assess_folder
from checks.exceptions import ExceptionsError, load_exceptions
from checks.interview import InterviewError, ask, load_answers, load_saved_answers, save_answers
from checks.pricebook import PriceBookError, load_price_book
from checks.profiles import ProfileError, load_profile
from checks.registry import all_checks
from scanner.folder import FolderError
from scanner.importer import import_nmap_xml
from scanner.nmap_scan import NmapMissing
from scanner.profiles import DEFAULT_PROFILE, PROFILES
from scanner.targets import TargetError, default_targets, resolve_targets
from sitewalk.ad_cli import (
    ad_audit,
    ad_user_option,
    audit_after_scan,
    kept_account,
    prepare_account,
)
from sitewalk.credentials_cli import credentials
from sitewalk.data_cli import data, warn_if_stale, warn_if_stale_findings
from sitewalk.history_cli import register as register_history_commands
from sitewalk.identify_cli import identify

EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    click.echo(f"sitewalk: error: {message}", err=True)
    sys.exit(code)


class _OneLineErrors(click.Group):
    """A group whose usage errors, aborts and unexpected failures print one line, no traceback.

    Set SITEWALK_DEBUG=1 to see the traceback of an unexpected failure.
    """

    def main(self, *args: Any, **kwargs: Any) -> Any:  # noqa: D102 - click's entry point
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except click.exceptions.Abort:
            click.echo("sitewalk: interrupted", err=True)
            sys.exit(EXIT_FAILED)
        except click.ClickException as exc:
            click.echo(f"sitewalk: error: {exc.format_message()}", err=True)
            sys.exit(EXIT_BAD_INPUT if isinstance(exc, click.UsageError) else exc.exit_code)
        except OSError as exc:
            click.echo(f"sitewalk: error: {exc.strerror or exc}"
                       + (f": {exc.filename}" if exc.filename else ""), err=True)
            sys.exit(EXIT_FAILED)
        except Exception as exc:
            if os.environ.get("SITEWALK_DEBUG"):
                raise
            click.echo(f"sitewalk: internal error: {exc.__class__.__name__}: {exc} "
                       "(SITEWALK_DEBUG=1 shows the traceback)", err=True)
            sys.exit(EXIT_FAILED)
        sys.exit(code if isinstance(code, int) else 0)


@click.group(cls=_OneLineErrors)
@click.version_option(package_name="sitewalk")
def main() -> None:
    """sitewalk: assess a small office network and write the in-depth review."""


@main.command()
@click.argument("targets", nargs=-1)
@click.option("--client", help="The prospect or client's name.")
@click.option("--out", "folder", type=click.Path(file_okay=False, path_type=Path),
              help="Assessment folder to write.")
@click.option("--resume", "resume_folder", type=click.Path(file_okay=False, path_type=Path),
              help="Complete the interrupted scan in this folder (same targets and profile).")
@click.option("--profile", type=click.Choice(sorted(PROFILES)), default=DEFAULT_PROFILE,
              show_default=True, help="How deep the port scan goes.")
@click.option("--community", "communities", multiple=True, default=("public",),
              show_default=True, help="SNMP v1/v2c community to try (repeatable).")
@click.option("--snmp-v3", "snmp_v3", multiple=True, metavar="USER:AUTH:KEY:PRIV:KEY",
              help="SNMPv3 user to try, e.g. monitor:SHA-256:authpass:AES:privpass "
                   "(repeatable; keys are never saved or shown).")
@click.option("--exclude", multiple=True, help="Address, CIDR or range never to scan.")
@click.option("--allow-public", is_flag=True,
              help="Allow non-private targets (only with written authorisation).")
@click.option("--allow-large", is_flag=True,
              help="Confirm a range of more than 4096 addresses (at most 65536, a /16).")
@click.option("--unattended", is_flag=True,
              help="Site probe: assess with the client's last interview answers and save "
                   "the assessment into the history (default folder: CLIENT-DATE).")
@click.option("--site", help="With --unattended: the client's site (default: Main office).")
@click.option("--db", metavar="URL", envvar="SITEWALK_DB",
              help="With --unattended: the history database (as for `sitewalk history`).")
@click.option("--authorised-by", "authorised_by", metavar="NAME",
              help='Who gave the written authorisation to scan, e.g. "Maria Chen, owner".')
@click.option("--authorised-on", "authorised_on", metavar="YYYY-MM-DD",
              help="The date the written authorisation was given.")
@click.option("--authorisation-ref", "authorisation_ref", metavar="TEXT",
              help='Which document, e.g. "signed engagement letter 2026-11-03".')
@ad_user_option
def scan(targets: tuple[str, ...], client: str | None, folder: Path | None,
         resume_folder: Path | None, profile: str, communities: tuple[str, ...],
         snmp_v3: tuple[str, ...], exclude: tuple[str, ...], allow_public: bool,
         allow_large: bool,
         unattended: bool, site: str | None, db: str | None, authorised_by: str | None,
         authorised_on: str | None, authorisation_ref: str | None, ad_user: str | None) -> None:
    """Scan TARGETS (CIDRs, addresses or ranges; default: this LAN) into an assessment folder.

    Exit 1 when the scan is partial: it ran to its end, but lost results (nmap killed, the
    network link gone); what it found is kept, and assess and report still work on it.
    """
    from scanner.authorisation import AuthorisationError, parse_authorisation
    from scanner.pipeline import ScanRequest, partial_summary, run_scan
    from scanner.snmp.v3 import V3UserError, parse_v3_user
    from sitewalk.progress import RichProgress

    if unattended and client and folder is None and resume_folder is None:
        folder = _unattended_folder(client)
    if resume_folder is None and (client is None or folder is None):
        _fail("--client and --out are required (or --resume FOLDER)")
    if unattended and not (client or "").strip():
        _fail("--unattended needs --client (the history is kept per client)")
    folder = resume_folder or folder
    console = Console(stderr=True)
    if unattended:
        kept_communities, kept_v3 = _kept_credentials(client or "", site, db)
        communities = tuple(dict.fromkeys((*kept_communities, *communities)))
        snmp_v3 = (*kept_v3, *snmp_v3)
    try:
        v3_users = tuple(parse_v3_user(spec) for spec in snmp_v3)
    except V3UserError as exc:
        _fail(str(exc))
    try:
        authorisation = parse_authorisation(authorised_by, authorised_on, authorisation_ref)
    except AuthorisationError as exc:
        _fail(str(exc))
    ad_account = prepare_account(ad_user) or (kept_account(client or "", site, db)
                                              if unattended else None)
    request = ScanRequest(client=client or "", folder=folder, targets=targets, exclude=exclude,
                          profile=profile, communities=communities, allow_public=allow_public,
                          allow_large=allow_large,
                          snmp_v3_users=v3_users, authorisation=authorisation)
    started = time.monotonic()

    def on_targets(specs: list[str]) -> None:
        # The targets are valid and no packet has left yet: the moment to warn.
        if authorisation is None and resume_folder is None:
            click.echo("sitewalk: warning: no authorisation record given (--authorised-by, "
                       "--authorised-on): scan only with the client's written authorisation",
                       err=True)
        console.print(f"Scanning {', '.join(specs)}", markup=False)

    try:
        with RichProgress(console) as progress:
            inventory = run_scan(request, progress, resume=resume_folder is not None,
                                 on_targets=on_targets)
    except (TargetError, FolderError) as exc:
        _fail(str(exc))
    except NmapMissing as exc:
        _fail(str(exc), EXIT_FAILED)
    except KeyboardInterrupt:
        _fail(f"interrupted; what was found so far is in {folder / 'inventory.json'}",
              EXIT_FAILED)
    click.echo(f"{len(inventory.hosts)} devices found in {time.monotonic() - started:.1f} s; "
               f"inventory: {folder / 'inventory.json'}")
    finish_audit = audit_after_scan(folder, ad_account, inventory)
    if resume_folder is not None and inventory.authorisation is None:
        click.echo("sitewalk: warning: this scan has no authorisation record", err=True)
    if inventory.partial:
        # One line, no markup: the reason may quote nmap or the network.
        click.echo(f"sitewalk: scan partial: {partial_summary(inventory)}; what it found before "
                   f"is kept in {folder / 'inventory.json'}"
                   + ("; not saved into the history (finish by hand once the scan is whole)"
                      if unattended else ""), err=True)
        sys.exit(EXIT_FAILED)
    if unattended:
        _assess_and_record(folder, client or inventory.client, site, db)
    finish_audit()


def _unattended_folder(client: str) -> Path:
    """``harbor-dental-group-2026-11-22-0600`` in the working directory."""
    import re
    from datetime import datetime

    slug = re.sub(r"[^a-z0-9]+", "-", client.casefold()).strip("-")[:60] or "client"
    return Path(f"{slug}-{datetime.now().strftime('%Y-%m-%d-%H%M')}")


def _kept_credentials(client: str, site: str | None, db: str | None
                      ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The site's kept communities and SNMPv3 specs (``sitewalk credentials set``), if any.

    Read before any packet leaves: a key that is missing or wrong stops the scan with one
    line, rather than a quarter's scan run with the wrong community.
    """
    from history.credentials import load
    from history.errors import HistoryError
    from history.store import open_store

    try:
        with open_store(db) as store:
            kept = load(store, client, site)
    except HistoryError as exc:
        _fail(f"{exc} (the site's kept credentials could not be read; nothing was scanned)",
              exc.exit_code)
    return (kept.communities, kept.snmp_v3) if kept else ((), ())


def _assess_and_record(folder: Path, client: str, site: str | None, db: str | None) -> None:
    """The unattended end of a scan: assess with last time's answers, save into the history.

    A failure here leaves the scanned folder as it is; the message says how to finish by hand.
    """
    from history.errors import HistoryError
    from history.save import previous_answers, record_scan

    by_hand = (f"the scan is kept in {folder}; finish with `sitewalk assess {folder}` and "
               f"`sitewalk import-assessment {folder}`")
    try:
        answers = previous_answers(client, site, db)
        document = assess_folder(folder, answers, load_price_book(None))
        assessment_id = record_scan(folder, client, site, db)
    except (HistoryError, InterviewError, FolderError, PriceBookError) as exc:
        _fail(f"{exc}; {by_hand}", EXIT_FAILED)
    overall = document["scores"]["overall"]
    click.echo(f"assessed with {'last visit' if answers else 'no'} interview answers; risk "
               f"score {overall['score']} ({overall['band']}); saved as assessment "
               f"{assessment_id} in the history")


@main.command()
@click.argument("targets", nargs=-1)
@click.option("--exclude", multiple=True, help="Address, CIDR or range never to ask.")
@click.option("--allow-public", is_flag=True,
              help="Allow non-private targets (only with written authorisation).")
@click.option("--allow-large", is_flag=True,
              help="Confirm a range of more than 4096 addresses (at most 65536, a /16).")
@click.option("--json", "as_json", is_flag=True, help="Print the devices as JSON.")
def discover(targets: tuple[str, ...], exclude: tuple[str, ...], allow_public: bool,
             allow_large: bool, as_json: bool) -> None:
    """The first look on arrival: live hosts with IP, MAC, vendor and name."""
    from dataclasses import asdict

    from rich.table import Table
    from rich.text import Text

    from scanner.discovery import first_look
    from scanner.netinfo import default_route, local_addresses

    console = Console(stderr=True)
    local = local_addresses()
    try:
        specs = list(targets) or default_targets(local, default_route())
        addresses = resolve_targets(specs, allow_public=allow_public, exclude=exclude,
                                    own_addresses=[a.ip for a in local],
                                    allow_large=allow_large)
    except TargetError as exc:
        _fail(str(exc))
    privileged = os.geteuid() == 0
    if not privileged:
        console.print("note: not root, so no ARP: hosts that ignore ping will be missed.",
                      markup=False)
    rows = first_look(addresses, privileged, on_error=lambda m: console.print(m, markup=False))
    if as_json:
        click.echo(json.dumps([asdict(r) for r in rows], indent=2))
        return
    table = Table("IP", "MAC", "Vendor", "Name", "Found by")
    for row in rows:
        # Text(), not str: names come from the network and must not be read as rich markup.
        table.add_row(*(Text(cell) for cell in (row.ip, row.mac or "", row.vendor or "",
                                                ", ".join(row.names), row.method)))
    Console().print(table, markup=False)
    console.print(f"{len(rows)} live hosts in {', '.join(specs)}", markup=False)


@main.command(name="wan-scan")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.argument("target")
def wan_scan(folder: Path, target: str) -> None:
    """Scan the firewall's public address TARGET from outside; add it to FOLDER as wan_view.

    Run it from outside the office network (a phone hotspot), with the client's authorisation:
    TARGET must be exactly one address, the office's own.
    """
    from scanner.folder import load_inventory
    from scanner.wan import merge_wan_view, scan_wan, wan_target

    try:
        address = wan_target(target)
        load_inventory(folder)  # fail before any traffic if the folder cannot take the result
        view = scan_wan(address, folder, os.geteuid() == 0)
        merge_wan_view(folder, view)
    except (TargetError, FolderError) as exc:
        _fail(str(exc))
    except NmapMissing as exc:
        _fail(str(exc), EXIT_FAILED)
    opened = ", ".join(f"{s.port}/{s.protocol}" for s in view.services) or "nothing"
    click.echo(f"from outside, {address} answers on: {opened}"
               + (" (every port silently dropped)" if view.filtered else ""))
    for error in view.errors:
        click.echo(f"note: {error}", err=True)


@main.command(name="import")
@click.argument("xml_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--client", required=True, help="The prospect or client's name.")
@click.option("--out", "folder", type=click.Path(file_okay=False, path_type=Path),
              required=True, help="Assessment folder to write.")
def import_nmap(xml_file: Path, client: str, folder: Path) -> None:
    """Build an inventory from an existing nmap XML report (nmap -oX)."""
    try:
        inventory = import_nmap_xml(xml_file, client, folder)
    except FolderError as exc:
        _fail(str(exc))
    click.echo(f"{len(inventory.hosts)} devices imported; inventory: {folder / 'inventory.json'}")


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--answers", type=click.Path(dir_okay=False, path_type=Path),
              help="Interview answers (TOML), saved into the folder.")
@click.option("--price-book", "price_book", type=click.Path(dir_okay=False, path_type=Path),
              help="Your price book (TOML); default: the one shipped with sitewalk.")
@click.option("--exceptions", type=click.Path(dir_okay=False, path_type=Path),
              help="Accepted risks (TOML): kept and flagged, left out of the score.")
@click.option("--profile", "profile_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Check profile (TOML): checks to disable, severities to change.")
def assess(folder: Path, answers: Path | None, price_book: Path | None,
           exceptions: Path | None, profile_file: Path | None) -> None:
    """Run the checks on FOLDER's inventory and write findings.json."""
    known = {c.meta.id for c in all_checks()}
    try:
        document = assess_folder(
            folder, load_answers(answers) if answers else None, load_price_book(price_book),
            load_exceptions(exceptions, known) if exceptions else None,
            load_profile(profile_file, known) if profile_file else None)
    except (FolderError, InterviewError, PriceBookError, ExceptionsError,
            ProfileError) as exc:
        _fail(str(exc))
    failed = sum(1 for f in document["findings"] if f["status"] == "FAIL")
    overall = document["scores"]["overall"]
    click.echo(f"{failed} problems found; risk score {overall['score']} ({overall['band']}); "
               f"verdict: {document['verdict']['label']}")
    click.echo(f"findings: {folder / 'findings.json'}")
    warn_if_stale()


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def interview(folder: Path) -> None:
    """Ask the on-site interview and save FOLDER/interview.json (? = don't know, - = skip)."""
    try:
        answers = ask(lambda text, default: click.prompt(text, default=default,
                                                         show_default=bool(default)),
                      load_saved_answers(folder))
        path = save_answers(folder, answers)
    except InterviewError as exc:
        _fail(str(exc))
    click.echo(f"{len(answers)} answers saved: {path}")


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["pdf", "html", "json", "csv", "xlsx"]),
              default="pdf", show_default=True)
@click.option("--output", type=click.Path(path_type=Path),
              help="File or folder to write (default: FOLDER/report.FORMAT; csv writes "
                   "report-assets.csv and report-findings.csv).")
@click.option("--branding", type=click.Path(dir_okay=False, path_type=Path),
              help="The consultant's branding profile (TOML).")
@click.option("--quarterly", is_flag=True,
              help="FOLDER is a client's name: render its quarterly business review from "
                   "the history (PDF or HTML).")
@click.option("--quarter", help="With --quarterly: the quarter, e.g. 2026-Q3 (default: latest).")
@click.option("--site", help="With --quarterly: the site, when the client has several.")
@click.option("--db", metavar="URL", envvar="SITEWALK_DB",
              help="With --quarterly: the history database (as for `sitewalk history`).")
def report(folder: Path, fmt: str, output: Path | None, branding: Path | None,
           quarterly: bool, quarter: str | None, site: str | None, db: str | None) -> None:
    """Render FOLDER's assessment as PDF or HTML, or export it as JSON, CSV or XLSX.

    With --quarterly, FOLDER is a client's name and the quarterly review is rendered.
    """
    from reports.errors import ReportError

    if quarterly:
        _quarterly_report(str(folder), fmt, output, branding, quarter, site, db)
        return
    target = output or folder / f"report.{fmt}"
    try:
        if fmt in ("pdf", "html"):
            from reports.render import render_report

            written: tuple[Path, ...] = (render_report(folder, fmt, target, branding),)
        else:
            from reports.exports import export, exported_files

            export(folder, fmt, target)
            written = tuple(exported_files(fmt, target))
    except ReportError as exc:
        _fail(str(exc))
    for path in written:
        click.echo(str(path))
    warn_if_stale_findings(folder)


def _quarterly_report(client: str, fmt: str, output: Path | None, branding: Path | None,
                      quarter: str | None, site: str | None, db: str | None) -> None:
    from history.errors import HistoryError
    from reports.errors import ReportError
    from reports.quarterly_render import render_quarterly_report

    if fmt not in ("pdf", "html"):
        _fail("--quarterly renders pdf or html")
    try:
        written = render_quarterly_report(client, output, db=db, site=site, quarter=quarter,
                                          branding=branding, fmt=fmt)
    except ReportError as exc:
        _fail(str(exc))
    except HistoryError as exc:
        _fail(str(exc), exc.exit_code)
    click.echo(str(written))


@main.group(name="checks")
def checks_group() -> None:
    """The catalogue of checks."""


@checks_group.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print the catalogue as JSON.")
@click.option("--markdown", is_flag=True, help="Print the catalogue as Markdown (docs/checks.md).")
def checks_list(as_json: bool, markdown: bool) -> None:
    """List every check with its ID, severity and title."""
    if markdown:
        from checks.catalogue import catalogue_markdown

        click.echo(catalogue_markdown(all_checks()), nl=False)
        return
    catalogue = [c.meta for c in all_checks()]
    if as_json:
        click.echo(json.dumps([{"id": m.id, "area": m.area, "severity": m.severity.value,
                                "title": m.title, "risk": m.risk,
                                "remediation": list(m.remediation), "service": m.service,
                                "references": list(m.references)} for m in catalogue],
                              indent=2))
        return
    for meta in catalogue:
        click.echo(f"{meta.id:8} {meta.severity.value:8} {meta.title}")


register_history_commands(main)
main.add_command(credentials)
main.add_command(ad_audit)
main.add_command(data)
main.add_command(identify)
