"""SNMPv3 users given on the command line (``user:authproto:authkey:privproto:privkey``).

The keys live only in :class:`V3User` objects in memory: their ``repr`` hides them, and nothing
that writes the inventory, the evidence or a message ever reads them. Protocol names are the
ones net-snmp uses (``SHA``, ``SHA-256``, ``AES``, ``AES-256`` …), case-insensitive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Names of pysnmp's protocol constants (resolved when used, so importing this module and
# parsing the option do not load pysnmp).
AUTH_PROTOCOLS = {
    "none": "USM_AUTH_NONE", "md5": "USM_AUTH_HMAC96_MD5",
    "sha": "USM_AUTH_HMAC96_SHA", "sha1": "USM_AUTH_HMAC96_SHA",
    "sha224": "USM_AUTH_HMAC128_SHA224", "sha-224": "USM_AUTH_HMAC128_SHA224",
    "sha256": "USM_AUTH_HMAC192_SHA256", "sha-256": "USM_AUTH_HMAC192_SHA256",
    "sha384": "USM_AUTH_HMAC256_SHA384", "sha-384": "USM_AUTH_HMAC256_SHA384",
    "sha512": "USM_AUTH_HMAC384_SHA512", "sha-512": "USM_AUTH_HMAC384_SHA512",
}
PRIV_PROTOCOLS = {
    "none": "USM_PRIV_NONE", "des": "USM_PRIV_CBC56_DES",
    "3des": "USM_PRIV_CBC168_3DES", "aes": "USM_PRIV_CFB128_AES",
    "aes128": "USM_PRIV_CFB128_AES", "aes-128": "USM_PRIV_CFB128_AES",
    "aes192": "USM_PRIV_CFB192_AES", "aes-192": "USM_PRIV_CFB192_AES",
    "aes256": "USM_PRIV_CFB256_AES", "aes-256": "USM_PRIV_CFB256_AES",
}
MIN_KEY_LENGTH = 8  # RFC 3414: passphrases shorter than 8 characters are refused by agents


class V3UserError(ValueError):
    """A ``--snmp-v3`` value that cannot be used; the message never contains a key."""


@dataclass(frozen=True)
class V3User:
    """One SNMPv3 user; ``repr`` shows the user and protocols, never the keys."""

    name: str
    auth_protocol: str = "none"
    auth_key: str = field(default="", repr=False)
    priv_protocol: str = "none"
    priv_key: str = field(default="", repr=False)

    @property
    def security_level(self) -> str:
        """noAuthNoPriv, authNoPriv or authPriv."""
        if self.auth_protocol == "none":
            return "noAuthNoPriv"
        return "authNoPriv" if self.priv_protocol == "none" else "authPriv"


def parse_v3_user(spec: str) -> V3User:
    """A user from ``user[:authproto:authkey[:privproto:privkey]]``."""
    parts = spec.split(":")
    name = parts[0].strip()
    if not name or len(parts) not in (1, 3, 5):
        raise V3UserError("--snmp-v3 takes user, user:authproto:authkey or "
                          "user:authproto:authkey:privproto:privkey")
    auth = parts[1].strip().lower() if len(parts) > 1 else "none"
    priv = parts[3].strip().lower() if len(parts) > 3 else "none"
    if auth not in AUTH_PROTOCOLS:
        raise V3UserError(f"--snmp-v3 user {name!r}: unknown auth protocol "
                          f"(one of {', '.join(sorted(AUTH_PROTOCOLS))})")
    if priv not in PRIV_PROTOCOLS:
        raise V3UserError(f"--snmp-v3 user {name!r}: unknown privacy protocol "
                          f"(one of {', '.join(sorted(PRIV_PROTOCOLS))})")
    auth_key = parts[2] if len(parts) > 2 else ""
    priv_key = parts[4] if len(parts) > 4 else ""
    if auth != "none" and len(auth_key) < MIN_KEY_LENGTH:
        raise V3UserError(f"--snmp-v3 user {name!r}: the auth key is shorter than "
                          f"{MIN_KEY_LENGTH} characters")
    if priv != "none" and (auth == "none" or len(priv_key) < MIN_KEY_LENGTH):
        raise V3UserError(f"--snmp-v3 user {name!r}: privacy needs an auth protocol and a "
                          f"key of at least {MIN_KEY_LENGTH} characters")
    return V3User(name, auth, auth_key, priv, priv_key)


def usm_data(user: V3User) -> Any:
    """pysnmp's credentials (``UsmUserData``) for ``user``."""
    from pysnmp.hlapi.v3arch import asyncio as hlapi

    return hlapi.UsmUserData(
        user.name, authKey=user.auth_key or None, privKey=user.priv_key or None,
        authProtocol=getattr(hlapi, AUTH_PROTOCOLS[user.auth_protocol]),
        privProtocol=getattr(hlapi, PRIV_PROTOCOLS[user.priv_protocol]))
