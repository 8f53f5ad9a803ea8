"""Alembic's environment for the history store: migrations run on a connection we hand it.

:func:`history.store.migrate` builds the Alembic ``Config`` in code and passes an open
connection in ``config.attributes["connection"]``; no ``alembic.ini`` is read. On PostgreSQL a
transaction-scoped advisory lock keeps two machines that open the shared store at the same time
from migrating it twice.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from history.tables import Base

ADVISORY_LOCK_KEY = 0x5173_7761  # any constant shared by every sitewalk: "sitewalk" history


def run_migrations_online() -> None:
    """Upgrade through the connection :func:`history.store.migrate` provides."""
    connection = context.config.attributes["connection"]
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite",
                      transaction_per_migration=False)
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                               {"key": ADVISORY_LOCK_KEY})
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("the history store migrates online only (history.store.migrate)")
run_migrations_online()
