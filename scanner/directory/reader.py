"""The thin interface between the audit and an LDAP library, and the errors it may raise.

Everything the collector needs is a base-scope or subtree search returning plain
``{"dn": str, attribute: value | [values]}`` dictionaries; the backend converts the library's
own types. Keeping the interface this small is what lets the backend change (msldap today,
python-ldap with Kerberos later) without touching the collector.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

Entry = dict[str, Any]


class DirectoryError(Exception):
    """The audit could not run; ``str()`` is one line for the consultant (never a password)."""

    kind = "failed"


class NoControllerError(DirectoryError):
    """No domain controller could be found or reached."""

    kind = "no_dc"


class AuthenticationError(DirectoryError):
    """The controller refused the account's name or password."""

    kind = "bad_credentials"


class BindRefusedError(DirectoryError):
    """The controller refused every transport we offer (signing, TLS) for this bind."""

    kind = "bind_refused"


class AccountRefusedError(BindRefusedError):
    """The controller knows the password but refuses the account (disabled, locked, expired)."""


class DirectoryReader(Protocol):
    """A bound, read-only LDAP session on one domain controller."""

    transport: str  # e.g. "LDAP 389, NTLM with signing and sealing"

    def root_dse(self) -> Entry:
        """The controller's root DSE."""

    def search(self, base: str, ldap_filter: str, attributes: Sequence[str],
               scope: str = "subtree") -> list[Entry]:
        """Every entry under ``base`` matching ``ldap_filter`` (paged); scope subtree or base."""

    def close(self) -> None:
        """Unbind and close the connection."""
