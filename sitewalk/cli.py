"""The sitewalk command line. Each command parses, calls one library function, and prints.

Exit codes: 0 success; 1 the work failed (nothing already collected is lost); 2 bad input
(arguments, files) with a one-line error.
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
from scanner.pipeline import ScanRequest, run_scan
from scanner.profiles import DEFAULT_PROFILE, PROFILES
from scanner.targets import TargetError, default_targets, resolve_targets

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
@click.option("--exclude", multiple=True, help="Address, CIDR or range never to scan.")
@click.option("--allow-public", is_flag=True,
              help="Allow non-private targets (only with written authorisation).")
def scan(targets: tuple[str, ...], client: str | None, folder: Path | None,
         resume_folder: Path | None, profile: str, communities: tuple[str, ...],
         exclude: tuple[str, ...], allow_public: bool) -> None:
    """Scan TARGETS (CIDRs, addresses or ranges; default: this LAN) into an assessment folder."""
    from sitewalk.progress import RichProgress

    if resume_folder is None and (client is None or folder is None):
        _fail("--client and --out are required (or --resume FOLDER)")
    folder = resume_folder or folder
    console = Console(stderr=True)
    request = ScanRequest(client=client or "", folder=folder, targets=targets, exclude=exclude,
                          profile=profile, communities=communities, allow_public=allow_public)
    started = time.monotonic()
    try:
        with RichProgress(console) as progress:
            inventory = run_scan(request, progress, resume=resume_folder is not None,
                                 on_targets=lambda t: console.print(f"Scanning {', '.join(t)}",
                                                                    markup=False))
    except (TargetError, FolderError) as exc:
        _fail(str(exc))
    except NmapMissing as exc:
        _fail(str(exc), EXIT_FAILED)
    except KeyboardInterrupt:
        _fail(f"interrupted; what was found so far is in {folder / 'inventory.json'}",
              EXIT_FAILED)
    click.echo(f"{len(inventory.hosts)} devices found in {time.monotonic() - started:.1f} s; "
               f"inventory: {folder / 'inventory.json'}")


@main.command()
@click.argument("targets", nargs=-1)
@click.option("--exclude", multiple=True, help="Address, CIDR or range never to ask.")
@click.option("--allow-public", is_flag=True,
              help="Allow non-private targets (only with written authorisation).")
@click.option("--json", "as_json", is_flag=True, help="Print the devices as JSON.")
def discover(targets: tuple[str, ...], exclude: tuple[str, ...], allow_public: bool,
             as_json: bool) -> None:
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
                                    own_addresses=[a.ip for a in local])
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
def report(folder: Path, fmt: str, output: Path | None, branding: Path | None) -> None:
    """Render FOLDER's assessment as PDF or HTML, or export it as JSON, CSV or XLSX."""
    from reports.errors import ReportError

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
