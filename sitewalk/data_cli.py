"""``sitewalk data``: the lifecycle data that end-of-support checks judge from.

``sitewalk data update`` refreshes the table from endoflife.date's public API (``--source URL``
or ``$SITEWALK_LIFECYCLE_SOURCE`` for a mirror) into the user's data folder, atomically, and
prints the new date. Offline it says so in one line, exits 1 and keeps the data in use.
``sitewalk data status`` prints the date, source and file of the data in use.

Exit codes as for every command: 0 success, 1 the work failed (offline, a bad answer), 2 bad
input (a --source that is not an http(s) URL).
"""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path

import click

from checks.lifecycle.table import load_table, stale_warning
from checks.lifecycle.update import SOURCE_ENV, Offline, UpdateError, update_table

EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


@click.group()
def data() -> None:
    """Lifecycle data: where the end-of-support dates come from."""


@data.command()
@click.option("--source", metavar="URL", envvar=SOURCE_ENV, show_envvar=True,
              help="Base URL of the endoflife.date API v1 (default: "
                   "https://endoflife.date/api/v1).")
def update(source: str | None) -> None:
    """Refresh the lifecycle table from endoflife.date when online."""
    before = load_table()
    keeping = f"keeping the lifecycle data of {before.taken.isoformat()} ({before.source})"
    try:
        path, table = update_table(source)
    except ValueError as error:
        click.echo(f"sitewalk: error: {error}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except Offline as error:
        click.echo(f"sitewalk: offline: {error}; {keeping}", err=True)
        sys.exit(EXIT_FAILED)
    except UpdateError as error:
        click.echo(f"sitewalk: error: {error}; {keeping}", err=True)
        sys.exit(EXIT_FAILED)
    provenance = table["provenance"]
    releases = sum(len(p["releases"]) for p in table["products"].values())
    carried = provenance.get("carried_over") or []
    note = f" ({len(carried)} kept from before: {', '.join(carried[:5])})" if carried else ""
    click.echo(f"lifecycle data updated to {provenance['taken']}: {len(table['products'])} "
               f"products, {releases} releases from {provenance['fetched_from']}{note}")
    click.echo(f"written: {path}")


@data.command()
def status() -> None:
    """Show the date, source and file of the lifecycle data in use."""
    table = load_table()
    click.echo(f"lifecycle data: {table.source}")
    click.echo(f"file: {table.path}")
    if table.problem:
        click.echo(f"note: {table.problem}")
    warn_if_stale()


def warn_if_stale(today: datetime.date | None = None) -> None:
    """One line on stderr when the lifecycle data in use is older than six months."""
    line = stale_warning(today or datetime.date.today())
    if line:
        click.echo(f"sitewalk: {line}", err=True)


def warn_if_stale_findings(folder: Path, today: datetime.date | None = None) -> None:
    """One line on stderr when the findings being reported were judged from lifecycle data
    older than six months (as recorded in their ``findings.json``)."""
    from checks.lifecycle.model import add_months
    from checks.lifecycle.table import STALE_MONTHS

    try:
        record = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
        taken = datetime.date.fromisoformat(record["lifecycle_data"]["date"])
    except (OSError, ValueError, KeyError, TypeError):
        return  # older findings without the record: nothing to say
    if add_months(taken, STALE_MONTHS) < (today or datetime.date.today()):
        click.echo(f"sitewalk: warning: these findings were judged from lifecycle data of "
                   f"{taken.isoformat()}, more than {STALE_MONTHS} months old; run 'sitewalk "
                   "data update' when online, then assess again", err=True)
