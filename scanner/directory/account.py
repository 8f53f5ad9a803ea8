"""The audit account: ``name@REALM`` or ``DOMAIN\\name``, and where its password comes from.

The password is read from ``SITEWALK_AD_PASSWORD`` (and removed from this process's
environment at once, so nmap and other children never inherit it) or from a hidden prompt at
a terminal. It is never taken from the command line and never written anywhere.
"""

from __future__ import annotations

import getpass
import os
import re
import sys
from dataclasses import dataclass, field

PASSWORD_ENV = "SITEWALK_AD_PASSWORD"
_NAME = re.compile(r"^[^\s\\/@\"\[\]:;|=+*?<>,]{1,64}$")
_DOMAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,252}$")


class AccountError(ValueError):
    """A malformed ``--ad-user`` or a missing password; the message is one line."""


@dataclass(frozen=True)
class AdAccount:
    """Who the audit binds as. ``domain`` is a NetBIOS name or a DNS realm."""

    name: str
    domain: str
    realm: str = ""  # the DNS realm when given as name@REALM
    password: str = field(default="", repr=False, compare=False)

    @property
    def display(self) -> str:
        """How reports and logs name the account (never with its password)."""
        return f"{self.name}@{self.realm}" if self.realm else f"{self.domain}\\{self.name}"


def parse_account(spec: str) -> AdAccount:
    """``name@REALM`` or ``DOMAIN\\name`` as an :class:`AdAccount` without a password."""
    spec = spec.strip()
    if "\\" in spec:
        domain, _, name = spec.partition("\\")
        realm = ""
    elif "@" in spec:
        name, _, realm = spec.rpartition("@")
        domain = realm.split(".")[0]
    else:
        raise AccountError(f"--ad-user {spec[:80]!r}: give name@REALM or DOMAIN\\name")
    if not _NAME.match(name) or not _DOMAIN.match(domain) or (realm and not _DOMAIN.match(realm)):
        raise AccountError(f"--ad-user {spec[:80]!r}: give name@REALM or DOMAIN\\name")
    return AdAccount(name=name, domain=domain.upper(), realm=realm.lower())


def read_password(account: AdAccount, *, interactive: bool | None = None) -> AdAccount:
    """``account`` with its password from the environment or a hidden prompt.

    Raises :class:`AccountError` when neither gives one (no terminal, variable unset).
    """
    password = os.environ.pop(PASSWORD_ENV, None)
    if password is None:
        if interactive is None:
            interactive = sys.stdin.isatty()
        if not interactive:
            raise AccountError(f"no password for {account.display}: set {PASSWORD_ENV} or run "
                               "at a terminal to be asked")
        password = getpass.getpass(f"Password for {account.display} (not shown): ")
    if not password:
        raise AccountError(f"empty password for {account.display}")
    return AdAccount(account.name, account.domain, account.realm, password)
