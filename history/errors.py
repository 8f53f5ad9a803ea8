"""The errors the history store raises, each with a one-line message and an exit code.

The CLI prints ``str(error)`` as it is and exits with :attr:`HistoryError.exit_code`: 2 for
bad input (an unknown client, an assessment ID that does not exist, a folder that is not an
assessment), 1 when the work itself failed (the database cannot be reached or written).
"""

from __future__ import annotations


class HistoryError(Exception):
    """Something the history store cannot do; the message is one line for the user."""

    exit_code = 2


class NotFound(HistoryError):
    """A client, site or assessment that is not in the store."""


class BadInput(HistoryError):
    """A folder, date or option the store cannot use."""


class StoreUnavailable(HistoryError):
    """The database cannot be opened, migrated or written."""

    exit_code = 1
