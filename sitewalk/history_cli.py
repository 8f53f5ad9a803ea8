"""The history commands: clients, client, history, show, import-assessment, export, diff.

Each command parses, calls one function of the :mod:`history` package, and prints, for a person
or (``--json``) for a program. ``register(main)`` adds them to the ``sitewalk`` group.

The store is ``--db URL`` (a PostgreSQL URL or a SQLite file), else ``$SITEWALK_DB``, else
``~/.local/share/sitewalk/sitewalk.db``. Exit codes as for every command: 0 success, 1 the
work failed (for example the database cannot be reached), 2 bad input (an unknown client or
assessment, a folder that is not an assessment), each with a one-line error.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from history.errors import BadInput, HistoryError
from history.text import day, safe, score_text

if TYPE_CHECKING:
    from history.diff import Diff
    from history.facts import Snapshot
    from history.store import Store


def db_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options every history command shares: ``--db``."""
    return click.option(
        "--db", metavar="URL", envvar="SITEWALK_DB", show_envvar=True,
        help="History database: postgresql://user@host/name or a SQLite file "
             "(default: ~/.local/share/sitewalk/sitewalk.db).")(command)


def json_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--json``: print for a program."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON.")(command)


@contextmanager
def _store(db: str | None) -> Iterator[Store]:
    """The open store; a :class:`HistoryError` becomes one line on stderr and an exit code.

    The history's modules (SQLAlchemy, Alembic) are imported here, when a history command
    runs, not when ``sitewalk`` starts.
    """
    from history.store import open_store

    try:
        with open_store(db) as store:
            yield store
    except HistoryError as error:
        click.echo(f"sitewalk: error: {error}", err=True)
        sys.exit(error.exit_code)


def _echo_json(data: Any) -> None:
    from history.records import to_json_data

    click.echo(json.dumps(to_json_data(data), indent=2, ensure_ascii=False))


def _table(*columns: str) -> Table:
    return Table(*columns, box=None, pad_edge=False, header_style="bold")


def _print(table: Table) -> None:
    # Piped output is for reading later or for grep: do not wrap it at 80 columns.
    Console(highlight=False, width=None if sys.stdout.isatty() else 200).print(table)


def _cells(*values: object) -> list[Text]:
    # Text(), not str: names come from the network and must not be read as rich markup.
    return [Text(safe(value, 60)) for value in values]


@click.command()
@db_option
@json_option
def clients(db: str | None, as_json: bool) -> None:
    """List the clients in the history with their latest assessment."""
    from history.queries import list_clients

    with _store(db) as store:
        rows = list_clients(store)
    if as_json:
        _echo_json(rows)
        return
    if not rows:
        click.echo("The history is empty: `sitewalk import-assessment FOLDER` adds one.")
        return
    table = _table("Client", "Status", "Sites", "Assessments", "Quarters", "Latest risk",
                   "Open")
    for row in rows:
        quarters = row.first_quarter if row.first_quarter == row.last_quarter else \
            f"{row.first_quarter} – {row.last_quarter}"
        table.add_row(*_cells(row.name, row.status, len(row.sites), row.assessments, quarters,
                              f"{score_text(row.last_score)} {row.last_band}".strip(),
                              row.last_open))
    _print(table)


@click.command(name="client")
@click.argument("name")
@click.option("--signed-on", metavar="DATE", help="Mark as a signed client from DATE "
              "(YYYY-MM-DD; 'today' for today).")
@click.option("--prospect", is_flag=True, help="Mark as a prospect (not signed).")
@db_option
@json_option
def client(name: str, signed_on: str | None, prospect: bool, db: str | None,
           as_json: bool) -> None:
    """Show a client, or mark it as signed or as a prospect (the quarterly review differs)."""
    from history.documents import parse_moment
    from history.queries import client_summary, set_client_status

    with _store(db) as store:
        if signed_on and prospect:
            raise click.UsageError("--signed-on and --prospect exclude each other")
        if signed_on:
            when = date.today() if signed_on == "today" else \
                parse_moment(signed_on, "--signed-on").date()
            summary = set_client_status(store, name, "signed", when)
        elif prospect:
            summary = set_client_status(store, name, "prospect")
        else:
            summary = client_summary(store, name)
    if as_json:
        _echo_json(summary)
        return
    status = f"signed on {summary.signed_on}" if summary.status == "signed" else "prospect"
    click.echo(f"{safe(summary.name)}: {status}; {summary.assessments} assessment(s) of "
               f"{', '.join(safe(s) for s in summary.sites) or 'no site'}")


@click.command(name="history")
@click.argument("client_name", metavar="CLIENT")
@click.option("--site", help="Only this site of the client.")
@db_option
@json_option
def history_command(client_name: str, site: str | None, db: str | None, as_json: bool) -> None:
    """A client's assessments, oldest first, with the risk score and open findings of each."""
    from history.queries import client_history

    with _store(db) as store:
        found = client_history(store, client_name, site)
    if as_json:
        _echo_json(found)
        return
    table = _table("ID", "Quarter", "Taken", "Site", "Risk", "Change", "Open", "Devices",
                   "Verdict")
    previous: dict[str, float | None] = {}
    for row in found.assessments:
        before = previous.get(row.site)
        change = "" if before is None or row.overall_score is None else \
            f"{row.overall_score - before:+g}"
        previous[row.site] = row.overall_score
        table.add_row(*_cells(row.id, row.quarter, day(row.taken_at), row.site,
                              f"{score_text(row.overall_score)} {row.overall_band}".strip(),
                              change, row.open_count, row.host_count, row.verdict))
    click.echo(f"{safe(found.client.name)} ({found.client.status}): "
               f"{len(found.assessments)} assessment(s)")
    _print(table)


@click.command()
@click.argument("assessment_id", metavar="ASSESSMENT", type=int)
@db_option
@json_option
def show(assessment_id: int, db: str | None, as_json: bool) -> None:
    """One assessment: when, the scores, and every open finding with its age."""
    from history.queries import aged_open_findings, get_assessment, stored_snapshot
    from history.records import to_json_data

    with _store(db) as store:
        stored = get_assessment(store, assessment_id)
        with store.session() as session:
            open_findings = aged_open_findings(session, stored_snapshot(session, assessment_id))
    summary = stored.summary
    if as_json:
        _echo_json({"assessment": summary, "areas": stored.areas,
                    "open_findings": [{**to_json_data(c.finding), "asset": c.finding.asset,
                                       "first_seen": c.first_seen, "first_quarter":
                                       c.first_quarter, "quarters_open": c.quarters_open}
                                      for c in open_findings]})
        return
    click.echo(f"Assessment {summary.id}: {safe(summary.client)} — {safe(summary.site)}")
    click.echo(f"Taken {day(summary.taken_at)} ({summary.quarter}); imported "
               f"{day(summary.imported_at)} ({summary.source}"
               f"{': ' + safe(summary.source_path, 200) if summary.source_path else ''})")
    click.echo(f"Risk {score_text(summary.overall_score)} ({safe(summary.overall_band)}); "
               f"verdict: {safe(summary.verdict_label or summary.verdict)}")
    click.echo(f"{summary.host_count} devices; {summary.open_count} open findings")
    click.echo("Areas: " + "; ".join(f"{a.area} {score_text(a.score)}" for a in stored.areas))
    if summary.secrets_removed:
        click.echo(f"{summary.secrets_removed} SNMP communities were removed before saving "
                   "(never stored).")
    for change in open_findings:
        facts = change.finding
        click.echo(f"  {facts.severity:8} {safe(facts.check_id, 12):8} {safe(facts.title, 70)}"
                   f" — {safe(facts.asset, 60)} [open {change.quarters_open} quarter(s), "
                   f"since {change.first_quarter}]" + (" [accepted]" if facts.accepted else ""))


@click.command(name="import-assessment")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--client", "client_name", help="Client name (default: the inventory's).")
@click.option("--site", help="Site of the client (default: 'Main office').")
@click.option("--taken-at", "taken_at_text", metavar="DATE",
              help="When the assessment was taken (default: the scan's start time).")
@db_option
@json_option
def import_assessment(folder: Path, client_name: str | None, site: str | None,
                      taken_at_text: str | None, db: str | None, as_json: bool) -> None:
    """Add an assessed folder (inventory.json + findings.json) to the history."""
    from history.documents import parse_moment
    from history.save import import_folder

    with _store(db) as store:
        moment = parse_moment(taken_at_text) if taken_at_text else None
        saved = import_folder(store, folder, client=client_name, site=site, taken=moment)
    if as_json:
        _echo_json(saved)
        return
    verb = "saved as" if saved.created else "already in the history as"
    click.echo(f"{folder}: {verb} assessment {saved.assessment_id} "
               f"({safe(saved.client)}, {safe(saved.site)}, {saved.quarter})")
    if saved.secrets_removed:
        click.echo(f"{saved.secrets_removed} SNMP communities were not stored.")


@click.command()
@click.argument("assessment_id", metavar="ASSESSMENT", type=int)
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite an assessment already in FOLDER.")
@db_option
def export(assessment_id: int, folder: Path, force: bool, db: str | None) -> None:
    """Write a stored assessment into FOLDER, ready for `sitewalk report FOLDER`."""
    from history.export import export_assessment

    with _store(db) as store:
        written = export_assessment(store, assessment_id, folder, overwrite=force)
    click.echo(str(written))


def _snapshot(store: Store, reference: str, which: str) -> Snapshot:
    """A stored assessment (an ID) or an assessment folder."""
    from history.documents import read_folder, taken_at
    from history.facts import snapshot_from_documents
    from history.queries import stored_snapshot

    path = Path(reference)
    if path.is_dir():
        documents = read_folder(path)
        return snapshot_from_documents(documents, str(path), taken_at(documents))
    if reference.isdigit():
        with store.session() as session:
            return stored_snapshot(session, int(reference))
    raise BadInput(f"{which}: {reference[:80]!r} is neither an assessment ID nor an "
                   "assessment folder")


def compare(store: Store, old: str, new: str) -> Diff:
    """The diff of two assessments, each an ID in the store or a folder."""
    from history.diff import diff_snapshots
    from history.queries import age_diff

    diff = diff_snapshots(_snapshot(store, old, "OLD"), _snapshot(store, new, "NEW"))
    with store.session() as session:
        return age_diff(session, diff)


@click.command(name="diff")
@click.argument("old")
@click.argument("new")
@db_option
@json_option
def diff_command(old: str, new: str, db: str | None, as_json: bool) -> None:
    """What changed from OLD to NEW (assessment IDs or folders): devices, findings, score."""
    from history.text import diff_json, diff_lines

    with _store(db) as store:
        diff = compare(store, old, new)
    if as_json:
        click.echo(json.dumps(diff_json(diff), indent=2, ensure_ascii=False))
        return
    click.echo("\n".join(diff_lines(diff)))


COMMANDS = (clients, client, history_command, show, import_assessment, export, diff_command)


def register(group: click.Group) -> None:
    """Add the history commands to the ``sitewalk`` command group."""
    for command in COMMANDS:
        group.add_command(command)


@functools.cache
def standalone() -> click.Group:
    """The history commands as a group of their own (tests, and before registration)."""
    group = click.Group(name="sitewalk")
    register(group)
    return group
