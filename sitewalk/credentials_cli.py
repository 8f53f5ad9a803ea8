"""``sitewalk credentials``: keep a site's SNMP credentials for unattended scans, encrypted.

    sitewalk credentials set CLIENT [--site NAME] --community C … --snmp-v3 SPEC …
    sitewalk credentials show CLIENT          # what is kept, never the secrets
    sitewalk credentials forget CLIENT [--site NAME]

``sitewalk scan --client NAME --unattended`` uses what is kept for that site. Secrets are never
printed; the key file is outside the database (:mod:`history.credentials`).
"""

from __future__ import annotations

import click

from sitewalk.history_cli import _store, db_option


@click.group()
def credentials() -> None:
    """Keep a site's SNMP credentials (encrypted) for its unattended quarterly scans."""


@credentials.command(name="set")
@click.argument("client_name", metavar="CLIENT")
@click.option("--site", help="The client's site (default: Main office).")
@click.option("--community", "communities", multiple=True,
              help="An SNMP v1/v2c community of this site (repeatable).")
@click.option("--snmp-v3", "snmp_v3", multiple=True, metavar="USER:AUTH:KEY:PRIV:KEY",
              help="An SNMPv3 user of this site (repeatable).")
@click.option("--ad-user", "ad_user", metavar="USER",
              help="The directory audit's read-only account; its password from "
                   "SITEWALK_AD_PASSWORD or a hidden prompt.")
@db_option
def set_command(client_name: str, site: str | None, communities: tuple[str, ...],
                snmp_v3: tuple[str, ...], ad_user: str | None, db: str | None) -> None:
    """Encrypt and keep the site's credentials, replacing what was kept before."""
    from history.credentials import SiteCredentials, ensure_key, keep, key_path
    from scanner.snmp.v3 import V3UserError, parse_v3_user
    from sitewalk.ad_cli import prepare_account

    account = prepare_account(ad_user)

    try:
        for spec in snmp_v3:
            parse_v3_user(spec)
    except V3UserError as error:
        raise click.UsageError(str(error)) from None
    with _store(db) as store:  # a CredentialError, like any HistoryError, is one line
        key, made = ensure_key()
        if made:
            click.echo(f"made a new credentials key: {key_path()} (keep a copy; without it "
                       "the kept credentials cannot be read)")
        summary = keep(store, client_name, site, SiteCredentials(
            communities, snmp_v3, account.display if account else "",
            account.password if account else ""), key)
    click.echo(f"kept, encrypted: {summary}")


@credentials.command(name="show")
@click.argument("client_name", metavar="CLIENT")
@db_option
def show_command(client_name: str, db: str | None) -> None:
    """What is kept for each site of the client (never the secrets themselves)."""
    from history.credentials import kept
    from history.text import safe

    with _store(db) as store:
        rows = kept(store, client_name)
    if not rows:
        click.echo(f"no credentials kept for {safe(client_name)}")
    for row in rows:
        click.echo(f"{safe(row.client)} / {safe(row.site)}: {row.summary} "
                   f"(kept {row.updated_at:%Y-%m-%d})")


@credentials.command(name="forget")
@click.argument("client_name", metavar="CLIENT")
@click.option("--site", help="The client's site (default: Main office).")
@db_option
def forget_command(client_name: str, site: str | None, db: str | None) -> None:
    """Delete the site's kept credentials."""
    from history.credentials import forget

    with _store(db) as store:
        done = forget(store, client_name, site)
    click.echo("forgotten" if done else "nothing was kept for that site")
