"""The LDAP backend: msldap (MIT, pure Python) with NTLM signing and sealing, or LDAPS.

Why msldap: measured against Samba 4.17 (shared/research/ad-audit-anchors.md §3) it is the
one maintained pure-Python client whose NTLM bind carries signing and sealing on port 389 —
what Samba and Microsoft's LDAP-signing guidance demand — and it also binds simply over
LDAPS. ldap3 cannot sign, python-ldap has no NTLM. Kerberos is not offered (msldap's
Kerberos failed against Samba 4.17 in that measurement).

Order of attempts: NTLM with signing/sealing on 389, then a simple bind over LDAPS (636) only
when the first transport was refused for a reason other than the password. A wrong password
is never retried on another transport (each failure counts towards the account's lockout).
Clear-text simple binds on 389 are never tried.
"""

from __future__ import annotations

import asyncio
import re
import ssl
from collections.abc import Sequence
from typing import Any

from scanner.directory.account import AdAccount
from scanner.directory.reader import (
    AccountRefusedError,
    AuthenticationError,
    BindRefusedError,
    DirectoryError,
    Entry,
    NoControllerError,
)

CONNECT_TIMEOUT = 8  # seconds per connection attempt
ROOT_DSE_ATTRIBUTES = ("defaultNamingContext", "configurationNamingContext",
                       "schemaNamingContext", "rootDomainNamingContext", "dnsHostName",
                       "domainFunctionality", "forestFunctionality",
                       "domainControllerFunctionality", "serverName", "isGlobalCatalogReady",
                       "supportedSASLMechanisms")
_UNREACHABLE_MARKS = ("connectionrefused", "timeout", "unreachable", "connectcallfailed",
                      "noroutetohost", "errno113", "errno111")
_BAD_PASSWORD_MARKS = ("invalidcredentials", "52e", "logon_failure", "wrong_password",
                       "status_logon_failure", "nt_status_wrong_password")


# The "data NNN" of an AD bind failure (AcceptSecurityContext): why the account was refused.
ACCOUNT_REFUSALS = {"533": "the account is disabled", "775": "the account is locked out",
                    "532": "the account's password has expired",
                    "773": "the account must change its password first",
                    "701": "the account has expired",
                    "530": "the account may not log on at this time",
                    "531": "the account may not log on from this computer"}
_DATA_CODE = re.compile(r"data\s+([0-9a-f]{3})", re.IGNORECASE)


def _classify(exc: BaseException, address: str, transport: str) -> DirectoryError:
    """One line for the consultant from whatever the library raised."""
    text = f"{exc.__class__.__name__}: {exc}"
    low = text.lower().replace(" ", "")
    code = _DATA_CODE.search(text)
    if code and code.group(1).lower() in ACCOUNT_REFUSALS:
        return AccountRefusedError(f"the domain controller {address} refused the bind: "
                                   f"{ACCOUNT_REFUSALS[code.group(1).lower()]}")
    if any(mark in low for mark in _BAD_PASSWORD_MARKS):
        return AuthenticationError(f"the domain controller {address} refused the account's "
                                   "name or password")
    if isinstance(exc, (ConnectionRefusedError, TimeoutError, asyncio.TimeoutError)) or \
            any(mark in low for mark in _UNREACHABLE_MARKS):
        return NoControllerError(f"no LDAP answer from {address} ({transport})")
    detail = " ".join(str(exc).split())[:160] or exc.__class__.__name__
    return BindRefusedError(f"the domain controller {address} refused the bind over "
                            f"{transport}: {detail}")


class MsldapReader:
    """A bound msldap session behind the :class:`~scanner.directory.reader.DirectoryReader` API."""

    def __init__(self, client: Any, loop: asyncio.AbstractEventLoop, transport: str) -> None:
        self._client = client
        self._loop = loop
        self.transport = transport

    @classmethod
    def connect(cls, address: str, account: AdAccount) -> MsldapReader:
        """Bind as ``account`` on ``address``; :class:`DirectoryError` when that fails."""
        loop = asyncio.new_event_loop()
        try:
            return cls._connect(address, account, loop)
        except BaseException:
            loop.close()
            raise

    @classmethod
    def _connect(cls, address: str, account: AdAccount,
                 loop: asyncio.AbstractEventLoop) -> MsldapReader:
        attempts = (("LDAP 389 with NTLM signing and sealing", 389, False),
                    ("LDAPS 636 with a simple bind", 636, True))
        last: DirectoryError | None = None
        for transport, port, tls in attempts:
            client = _client(address, port, tls, account)
            try:
                ok, err = loop.run_until_complete(
                    asyncio.wait_for(client.connect(), CONNECT_TIMEOUT + 2))
            except Exception as exc:  # the library raises many types; classify them all
                ok, err = False, exc
            if ok:
                return cls(client, loop, transport)
            failure = _classify(err or RuntimeError("bind failed"), address, transport)
            _quiet_close(client, loop)
            if isinstance(failure, (AuthenticationError, AccountRefusedError)):
                raise failure  # the account, not the transport: never retry elsewhere
            # A refusal says more than a closed port: keep the first refusal.
            if last is None or not isinstance(last, BindRefusedError):
                last = failure
        assert last is not None
        raise last

    def _run(self, coroutine: Any) -> Any:
        return self._loop.run_until_complete(coroutine)

    def root_dse(self) -> Entry:
        """The root DSE with the functional levels (msldap's own server info lacks them)."""
        entries = self.search("", "(objectClass=*)", ROOT_DSE_ATTRIBUTES, scope="base")
        return entries[0] if entries else {}

    def search(self, base: str, ldap_filter: str, attributes: Sequence[str],
               scope: str = "subtree") -> list[Entry]:
        """Paged subtree search, or a base-scope read."""
        return self._run(self._search(base, ldap_filter, attributes, scope))

    async def _search(self, base: str, ldap_filter: str, attributes: Sequence[str],
                      scope: str) -> list[Entry]:
        wanted = [a.encode() for a in attributes]
        entries: list[Entry] = []
        if scope == "base":
            stream = self._client._con.search(base, ldap_filter, wanted, search_scope=0,
                                              size_limit=1)
        else:
            stream = self._client._con.pagedsearch(base, ldap_filter, wanted,
                                                   search_scope=2, size_limit=500)
        async for entry, err in stream:
            if err is not None:
                if "nosuchobject" in str(err).lower().replace(" ", ""):
                    return entries
                raise DirectoryError(f"LDAP search under {base or 'the root DSE'} failed: "
                                     + " ".join(str(err).split())[:160])
            if not entry or not entry.get("objectName") and not entry.get("attributes"):
                continue
            record: Entry = dict(entry.get("attributes") or {})
            record["dn"] = entry.get("objectName") or ""
            entries.append(record)
        return entries

    def close(self) -> None:
        """Unbind and close; never raises."""
        _quiet_close(self._client, self._loop)
        self._loop.close()


def _client(address: str, port: int, tls: bool, account: AdAccount) -> Any:
    from asyauth.common.constants import asyauthSecret
    from asyauth.common.credentials import UniCredential
    from asyauth.common.credentials.ntlm import NTLMCredential
    from asysocks.unicomm.common.target import UniProto
    from msldap.client import MSLDAPClient
    from msldap.commons.target import MSLDAPTarget

    if tls:
        # A small office's DC usually has a self-signed certificate: the bind is encrypted
        # but the certificate is not validated (recorded as such in directory.json).
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        target = MSLDAPTarget(address, port, UniProto.CLIENT_SSL_TCP, timeout=CONNECT_TIMEOUT,
                              ssl_ctx=context)
        from asyauth.common.constants import asyauthProtocol

        credential: Any = UniCredential(secret=account.password,
                                        username=f"{account.domain}\\{account.name}",
                                        domain=account.domain, stype=asyauthSecret.PASSWORD,
                                        protocol=asyauthProtocol.SIMPLE)
    else:
        target = MSLDAPTarget(address, port, UniProto.CLIENT_TCP, timeout=CONNECT_TIMEOUT)
        credential = NTLMCredential(account.password, account.name, account.domain,
                                    asyauthSecret.PASSWORD)
    return MSLDAPClient(target, credential)


def _quiet_close(client: Any, loop: asyncio.AbstractEventLoop) -> None:
    try:
        loop.run_until_complete(asyncio.wait_for(client.disconnect(), 3))
    except Exception:  # closing a half-open connection may fail in many ways; nothing to do
        pass
