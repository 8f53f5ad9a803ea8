"""``sitewalk ad-audit`` and ``scan --ad-user``: the directory audit from the command line.

    sitewalk scan TARGETS … --ad-user audit@AD.EXAMPLE.LAN
    sitewalk ad-audit FOLDER --ad-user 'OFFICE\\audit' [--dc ADDRESS]

The password comes from ``SITEWALK_AD_PASSWORD`` or a hidden prompt at a terminal, never from
the command line; it is asked for before the scan starts and lives only in memory. A failed
audit (no controller, wrong password, bind refused) prints one line and the rest of the
assessment goes on; the command then exits 1 (the work partly failed, nothing is lost).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from scanner.directory.account import AccountError, AdAccount, parse_account, read_password

EXIT_FAILED = 1
EXIT_BAD_INPUT = 2

ad_user_option = click.option(
    "--ad-user", "ad_user", metavar="USER",
    help="Also audit Active Directory as this read-only domain account (name@REALM or "
         "DOMAIN\\name); password from SITEWALK_AD_PASSWORD or a hidden prompt.")


def prepare_account(spec: str | None) -> AdAccount | None:
    """The account with its password, read before any packet leaves; exit 2 on bad input."""
    if spec is None:
        return None
    try:
        return read_password(parse_account(spec))
    except AccountError as exc:
        click.echo(f"sitewalk: error: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)


def kept_account(client: str, site: str | None, db: str | None) -> AdAccount | None:
    """The directory audit account kept with the site's credentials, if any (unattended).

    ``sitewalk credentials set CLIENT --ad-user USER`` keeps it, encrypted; an unreadable
    store was already reported by the scan's own read of the kept credentials.
    """
    from history.credentials import load
    from history.errors import HistoryError
    from history.store import open_store

    try:
        with open_store(db) as store:
            kept = load(store, client, site)
    except HistoryError:
        return None
    if kept is None or not kept.ad_user:
        return None
    try:
        account = parse_account(kept.ad_user)
    except AccountError:
        return None
    return AdAccount(account.name, account.domain, account.realm, kept.ad_password)


def run_audit(folder: Path, account: AdAccount, dc: str | None = None,
              inventory: Any = None) -> bool:
    """Audit and print one line either way; True when the audit succeeded."""
    from scanner.directory.audit import audit_directory
    from scanner.directory.reader import DirectoryError

    started = time.monotonic()
    try:
        document = audit_directory(folder, account, dc=dc, inventory=inventory)
    except DirectoryError as exc:
        click.echo(f"sitewalk: directory audit failed: {exc}; the network assessment is not "
                   "affected", err=True)
        return False
    enabled = sum(1 for u in document["users"] if u["enabled"])
    sysvol = document["sources"].get("sysvol", "")
    note = "" if sysvol == "ok" else f"; SYSVOL {sysvol}"
    click.echo(f"directory audit of {document['domain']['dns_name']} from "
               f"{document['controller']['address']} ({document['controller']['transport']}): "
               f"{enabled} enabled users, {len(document['computers'])} computers in "
               f"{time.monotonic() - started:.1f} s{note}; {folder / 'directory.json'}")
    return True


def audit_after_scan(folder: Path, account: AdAccount | None, inventory: Any) -> Callable[[], None]:
    """Run the audit after a scan; returns what the scan calls last (exit 1 if it failed)."""
    if account is None or run_audit(folder, account, inventory=inventory):
        return lambda: None
    return lambda: sys.exit(EXIT_FAILED)


@click.command(name="ad-audit")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--ad-user", "ad_user", required=True, metavar="USER",
              help="Read-only domain account: name@REALM or DOMAIN\\name.")
@click.option("--dc", metavar="ADDRESS", help="The domain controller to ask (default: found "
              "by DNS SRV records, then by the scan).")
def ad_audit(folder: Path, ad_user: str, dc: str | None) -> None:
    """Add the directory audit (directory.json) to an assessment FOLDER."""
    from scanner.folder import FolderError, load_inventory

    inventory = None
    if (folder / "inventory.json").exists():
        try:
            inventory = load_inventory(folder)
        except FolderError as exc:
            click.echo(f"sitewalk: error: {exc}", err=True)
            sys.exit(EXIT_BAD_INPUT)
    elif not folder.is_dir():
        click.echo(f"sitewalk: error: {folder}: no such assessment folder", err=True)
        sys.exit(EXIT_BAD_INPUT)
    account = prepare_account(ad_user)
    assert account is not None
    if not run_audit(folder, account, dc=dc, inventory=inventory):
        sys.exit(EXIT_FAILED)
