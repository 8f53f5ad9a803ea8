"""A site's scan credentials, kept in the history only when the consultant asks, encrypted.

A probe left on site re-scans every quarter with nobody at the keyboard, so the site's own SNMP
community and SNMPv3 users (and, when asked, the directory audit's account and password) must
come from somewhere. ``sitewalk credentials set CLIENT
--community … --snmp-v3 …`` keeps them in the history's ``site_credentials`` table as one
Fernet token (AES-128-CBC with HMAC-SHA256, from the ``cryptography`` package); the key is a
file outside the database, by default ``$XDG_CONFIG_HOME/sitewalk/credentials.key`` (mode
600), or the file named by ``$SITEWALK_KEY_FILE``. A copy of the database — a backup, the
team's PostgreSQL — is therefore useless without the key, and a wrong or missing key is a
clear error, never a silent scan with the wrong community.

Nothing else in sitewalk stores a credential: assessment documents have their communities
blanked (:func:`history.documents.strip_secrets`), and nothing here is ever printed: the
stored row carries a summary without secrets ("2 SNMP communities, 1 SNMPv3 user (monitor)").
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete, select

from history.errors import HistoryError, NotFound
from history.queries import find_client, find_site
from history.save import DEFAULT_SITE, clean_label, get_or_create_client, get_or_create_site
from history.store import Store
from history.tables import CredentialRow, SiteRow

KEY_ENV = "SITEWALK_KEY_FILE"
KEY_FILE = "credentials.key"
MAX_ITEMS = 16  # communities or users per site
MAX_ITEM_LENGTH = 256


class CredentialError(HistoryError):
    """The credentials cannot be kept or read (no key, the wrong key, bad values)."""


@dataclass(frozen=True)
class SiteCredentials:
    """What is kept for one site. ``snmp_v3`` holds the ``--snmp-v3`` specs as given."""

    communities: tuple[str, ...] = ()
    snmp_v3: tuple[str, ...] = ()
    ad_user: str = ""  # the directory audit's account (name@REALM or DOMAIN\name)
    ad_password: str = field(default="", repr=False)

    def summary(self) -> str:
        """What is kept, without a secret (SNMPv3 user names are sent in clear anyway)."""
        parts = []
        if self.communities:
            count = len(self.communities)
            parts.append(f"{count} SNMP communit{'y' if count == 1 else 'ies'}")
        if self.snmp_v3:
            names = ", ".join(spec.split(":", 1)[0] for spec in self.snmp_v3)
            count = len(self.snmp_v3)
            parts.append(f"{count} SNMPv3 user{'' if count == 1 else 's'} ({names})")
        if self.ad_user:
            parts.append(f"directory audit account {self.ad_user}")
        return ("; ".join(parts) or "nothing")[:200]


@dataclass(frozen=True)
class StoredSummary:
    """A row of ``sitewalk credentials show``: where, what (no secrets), when."""

    client: str
    site: str
    summary: str
    updated_at: datetime


def config_home() -> Path:
    """``$XDG_CONFIG_HOME``, or ``~/.config`` when it is unset or not absolute."""
    value = os.environ.get("XDG_CONFIG_HOME", "")
    if value and Path(value).is_absolute():
        return Path(value)
    return Path.home() / ".config"


def key_path() -> Path:
    """The key file: ``$SITEWALK_KEY_FILE``, else ``$XDG_CONFIG_HOME/sitewalk/credentials.key``."""
    value = os.environ.get(KEY_ENV, "").strip()
    return Path(value).expanduser() if value else config_home() / "sitewalk" / KEY_FILE


def _key_id(key: bytes) -> str:
    return hashlib.sha256(b"sitewalk-key-id\0" + key).hexdigest()[:16]


def read_key(path: Path | None = None) -> bytes:
    """The key in ``path``; :class:`CredentialError` when it is missing, open to others or bad."""
    from cryptography.fernet import Fernet

    path = path or key_path()
    try:
        mode = path.stat().st_mode
        key = path.read_bytes().strip()
    except FileNotFoundError:
        raise CredentialError(f"no credentials key at {path} (set {KEY_ENV} to the key file "
                              "the credentials were kept with)") from None
    except OSError as error:
        raise CredentialError(f"cannot read the credentials key {path}: "
                              f"{error.strerror or error}") from None
    if mode & 0o077:
        raise CredentialError(f"the credentials key {path} can be read by others: "
                              f"chmod 600 {path}")
    try:
        Fernet(key)
    except ValueError:
        raise CredentialError(f"{path} is not a sitewalk credentials key") from None
    return key


def ensure_key(path: Path | None = None) -> tuple[bytes, bool]:
    """The key, made (mode 600, in a folder of mode 700) when there is none; (key, made)."""
    from cryptography.fernet import Fernet

    path = path or key_path()
    if path.exists():
        return read_key(path), False
    key = Fernet.generate_key()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(key + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
    except FileExistsError:  # made by another process a moment ago
        return read_key(path), False
    except OSError as error:
        raise CredentialError(f"cannot write the credentials key {path}: "
                              f"{error.strerror or error}") from None
    return key, True


def _checked(values: tuple[str, ...], what: str) -> tuple[str, ...]:
    if len(values) > MAX_ITEMS:
        raise CredentialError(f"at most {MAX_ITEMS} {what} per site")
    for value in values:
        if not value or len(value) > MAX_ITEM_LENGTH or any(ord(c) < 32 for c in value):
            raise CredentialError(f"each {what[:-1]} must be one line of 1 to "
                                  f"{MAX_ITEM_LENGTH} characters")
    return tuple(dict.fromkeys(values))


def keep(store: Store, client: str, site: str | None, credentials: SiteCredentials,
         key: bytes) -> str:
    """Encrypt and keep the site's credentials (replacing what was kept); the summary."""
    from cryptography.fernet import Fernet

    ad_user = _checked((credentials.ad_user,), "accounts")[0] if credentials.ad_user else ""
    if ad_user and not credentials.ad_password:
        raise CredentialError(f"no password for {ad_user}")
    credentials = SiteCredentials(_checked(credentials.communities, "communities"),
                                  _checked(credentials.snmp_v3, "users"), ad_user,
                                  credentials.ad_password if ad_user else "")
    if not credentials.communities and not credentials.snmp_v3 and not ad_user:
        raise CredentialError("nothing to keep: give --community, --snmp-v3 or --ad-user")
    plain = json.dumps({"communities": list(credentials.communities),
                        "snmp_v3": list(credentials.snmp_v3),
                        **({"ad_user": ad_user, "ad_password": credentials.ad_password}
                           if ad_user else {})}).encode()
    token = Fernet(key).encrypt(plain)
    now = datetime.now(UTC)
    with store.transaction() as session:
        client_row = get_or_create_client(session, clean_label(client, "client"), now)
        site_row = get_or_create_site(session, client_row,
                                      clean_label(site or DEFAULT_SITE, "site"), now)
        session.execute(delete(CredentialRow).where(CredentialRow.site_id == site_row.id))
        session.add(CredentialRow(site_id=site_row.id, token=token, key_id=_key_id(key),
                                  summary=credentials.summary(), updated_at=now))
    return credentials.summary()


def _row(store: Store, client: str, site: str | None) -> tuple[CredentialRow | None, str, str]:
    with store.session() as session:
        client_row = find_client(session, client)
        site_row = find_site(session, client_row, site or DEFAULT_SITE)
        assert site_row is not None
        row = session.get(CredentialRow, site_row.id)
        if row is not None:
            session.expunge(row)
        return row, client_row.name, site_row.name


def load(store: Store, client: str, site: str | None, key: bytes | None = None
         ) -> SiteCredentials | None:
    """The site's kept credentials, decrypted; None when none are kept (or the site is new).

    :class:`CredentialError` when they are kept but the key is missing or is not the one they
    were kept with.
    """
    from cryptography.fernet import Fernet, InvalidToken

    try:
        row, client_name, site_name = _row(store, client, site)
    except NotFound:
        return None
    if row is None:
        return None
    key = key if key is not None else read_key()
    if _key_id(key) != row.key_id:
        raise CredentialError(f"the credentials of {client_name} ({site_name}) were kept with "
                              f"another key than {key_path()}: use that key ({KEY_ENV}) or "
                              "keep them again")
    try:
        data = json.loads(Fernet(key).decrypt(row.token))
    except (InvalidToken, ValueError):
        raise CredentialError(f"the kept credentials of {client_name} ({site_name}) do not "
                              "decrypt: keep them again") from None
    return SiteCredentials(tuple(map(str, data.get("communities", ()))),
                           tuple(map(str, data.get("snmp_v3", ()))),
                           str(data.get("ad_user", "")), str(data.get("ad_password", "")))


def forget(store: Store, client: str, site: str | None) -> bool:
    """Delete the site's kept credentials; False when none were kept."""
    with store.transaction() as session:
        client_row = find_client(session, client)
        site_row = find_site(session, client_row, site or DEFAULT_SITE)
        assert site_row is not None
        done = session.execute(delete(CredentialRow)
                               .where(CredentialRow.site_id == site_row.id))
        return bool(getattr(done, "rowcount", 0))


def kept(store: Store, client: str) -> list[StoredSummary]:
    """Every site of the client with credentials kept: the summaries, no secret, no key needed."""
    with store.session() as session:
        client_row = find_client(session, client)
        rows = session.execute(
            select(SiteRow.name, CredentialRow.summary, CredentialRow.updated_at)
            .join(CredentialRow, CredentialRow.site_id == SiteRow.id)
            .where(SiteRow.client_id == client_row.id).order_by(SiteRow.name)).all()
        return [StoredSummary(client_row.name, name, summary, updated)
                for name, summary, updated in rows]
