"""Where the history lives: a database URL from ``--db``, ``SITEWALK_DB`` or the default.

The default is a SQLite file in the user's data folder (XDG: ``$XDG_DATA_HOME/sitewalk/
sitewalk.db``, ``~/.local/share/sitewalk/sitewalk.db`` when unset), so one consultant keeps one
history without configuring anything. A team shares one history by pointing every machine at
the same PostgreSQL database (``postgresql://user@host/sitewalk``).

A value without ``://`` is taken as the path of a SQLite file. ``postgresql://`` and
``postgres://`` URLs use psycopg 3 (``postgresql+psycopg://``).
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from history.errors import BadInput

DB_ENV = "SITEWALK_DB"
DB_FILE = "sitewalk.db"
BACKENDS = ("sqlite", "postgresql")


def data_home() -> Path:
    """``$XDG_DATA_HOME``, or ``~/.local/share`` when it is unset or not absolute."""
    value = os.environ.get("XDG_DATA_HOME", "")
    if value and Path(value).is_absolute():
        return Path(value)
    return Path.home() / ".local" / "share"


def default_db_path() -> Path:
    """The SQLite file used when neither ``--db`` nor ``SITEWALK_DB`` names a database."""
    return data_home() / "sitewalk" / DB_FILE


def resolve_db_url(db: str | None = None) -> URL:
    """The database URL to open: ``db``, else ``$SITEWALK_DB``, else the default SQLite file."""
    value = (db or os.environ.get(DB_ENV) or "").strip()
    if not value:
        return URL.create("sqlite", database=str(default_db_path()))
    if "://" not in value:
        return URL.create("sqlite", database=str(Path(value).expanduser().resolve()))
    try:
        url = make_url(value)
    except ArgumentError:
        raise BadInput(f"--db: {value[:80]!r} is not a database URL "
                       "(postgresql://user@host/name, or a SQLite file path)") from None
    if url.drivername in ("postgresql", "postgres", "postgresql+psycopg"):
        return url.set(drivername="postgresql+psycopg")
    if url.drivername == "sqlite":
        return url
    raise BadInput(f"--db: {url.drivername!r} databases are not supported "
                   "(use PostgreSQL or a SQLite file)")


def describe(url: URL) -> str:
    """The URL as it may be printed: the password hidden."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.set(drivername=url.get_backend_name()).render_as_string(hide_password=True)
