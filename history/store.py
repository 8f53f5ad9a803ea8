"""Opening the history store: the engine, the schema migrations, and transactions.

:func:`open_store` connects to SQLite or PostgreSQL (see :mod:`history.location`), brings the
schema up to date with Alembic (the migrations ship inside this package and run from a
``Config`` built here; no ``alembic.ini`` is read at run time), and returns a :class:`Store`.
Every write goes through :meth:`Store.transaction`: one transaction that commits as a whole or
not at all.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from history.errors import StoreUnavailable
from history.location import describe, resolve_db_url

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_MS = 15_000  # an unattended scan may be writing while the consultant reads


def alembic_config(connection: Any | None = None) -> Config:
    """The Alembic configuration, built in code, optionally bound to an open connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest schema revision this sitewalk ships."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at (None for an empty database)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database to ``revision`` (a no-op when it is there already)."""
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def _sqlite_engine(url: URL) -> Engine:
    database = url.database or ""
    if database and database != ":memory:":
        path = Path(database)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.exists():
            # The history describes clients' weaknesses: readable by its owner only.
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_MS / 1000})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        # Foreign keys for ON DELETE CASCADE; WAL so readers do not block a writing scan.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cursor.close()

    # pysqlite's own transaction handling defers BEGIN; let SQLAlchemy emit it, so that a
    # transaction really starts where the session says it does.
    @event.listens_for(engine, "connect")
    def _no_autobegin(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


def create_store_engine(url: URL) -> Engine:
    """An engine for ``url`` with the settings the store relies on."""
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})


class Store:
    """An open history database: sessions for reading, one transaction per write."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.backend = engine.dialect.name
        self.location = describe(engine.url)
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A read session; rolled back at the end, so nothing it does is kept."""
        with self._sessions() as session:
            try:
                yield session
            except SQLAlchemyError as error:
                raise StoreUnavailable(self._message("cannot read", error)) from None
            finally:
                session.rollback()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write session: committed when the block ends, rolled back whole if it raises.

        A conflict with a concurrent writer (:class:`sqlalchemy.exc.IntegrityError`) is raised
        as it is, so the caller can retry; other database errors become
        :class:`history.errors.StoreUnavailable`.
        """
        with self._sessions() as session:
            try:
                with session.begin():
                    yield session
            except IntegrityError:
                raise
            except SQLAlchemyError as error:
                raise StoreUnavailable(self._message("cannot write", error)) from None

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _message(self, what: str, error: SQLAlchemyError) -> str:
        return f"{what} the history at {self.location}: {_one_line(error)}"


def _one_line(error: BaseException) -> str:
    original = getattr(error, "orig", None) or error
    text = " ".join(str(original).split())
    return (text[:240] + "…") if len(text) > 240 else text or error.__class__.__name__


def open_store(db: str | None = None, *, upgrade: bool = True) -> Store:
    """Open (and by default migrate) the store named by ``db``, ``$SITEWALK_DB`` or the default.

    Raises :class:`history.errors.StoreUnavailable` with one line when the database cannot be
    reached, or is newer than this sitewalk.
    """
    url = resolve_db_url(db)
    try:
        engine = create_store_engine(url)
        if upgrade:
            current, head = current_revision(engine), head_revision()
            if current != head:
                known = {s.revision for s in ScriptDirectory.from_config(
                    alembic_config()).walk_revisions()}
                if current is not None and current not in known:
                    raise StoreUnavailable(
                        f"the history at {describe(url)} has schema {current}, newer than this "
                        f"sitewalk knows ({head}): upgrade sitewalk")
                migrate(engine)
    except (SQLAlchemyError, OSError) as error:
        raise StoreUnavailable(f"cannot open the history at {describe(url)}: "
                               f"{_one_line(error)}") from None
    return Store(engine)
