"""sitewalk's history: every assessment of every client, kept so quarters can be compared.

A store (SQLite in the user's data folder by default, PostgreSQL for a team) keeps clients,
their sites and their assessments: the full documents and, beside them, indexed rows for the
devices and check results, so a client's history and the diff of two quarters are cheap
queries. Schema changes are Alembic migrations shipped in ``history/migrations`` and applied
when the store is opened.

Public interface::

    open_store(db=None) -> Store                           history.store
    import_folder(store, folder, client=, site=, taken=)   history.save
    record_scan(folder, client, site, db_url) -> int       history.save (unattended scans)
    list_clients(store), client_history(store, name)       history.queries
    get_assessment(store, id), stored_diff(session, a, b)  history.queries
    diff_snapshots(old, new) -> Diff                       history.diff
    export_assessment(store, id, folder)                   history.export
    quarterly_data(store, client) -> QuarterlyData         history.quarterly
    HistoryError (NotFound, BadInput, StoreUnavailable)    history.errors

SNMP communities are never stored (see :mod:`history.documents`). SQLAlchemy and Alembic are
slow to import, so the names above are imported from here only when first used: the
``sitewalk`` commands that do not touch the history do not pay for it.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_WHERE = {"BadInput": "history.errors", "HistoryError": "history.errors",
          "NotFound": "history.errors", "StoreUnavailable": "history.errors",
          "Store": "history.store", "open_store": "history.store",
          "import_folder": "history.save", "record_scan": "history.save"}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    """The public names, imported on first use (see the module docstring)."""
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'history' has no attribute {name!r}")
