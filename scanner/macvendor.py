"""MAC address normalisation and vendor lookup in the offline IEEE registry (netaddr).

No lookup goes to the network. A locally administered MAC (bit 1 of the first octet set) is
reported as private/randomised: phones and virtual machines use them, and "unknown" would
send the consultant looking for a vendor that does not exist.
"""

from __future__ import annotations

import functools
import re

import netaddr

_HEX = re.compile(r"[0-9a-fA-F]{12}")

PRIVATE_VENDOR = "Private (randomised or virtual MAC)"


def normalise_mac(value: str | None) -> str | None:
    """``value`` as lower-case colon-separated MAC, or None if it is not a MAC."""
    if not value:
        return None
    digits = re.sub(r"[^0-9a-fA-F]", "", value)
    if not _HEX.fullmatch(digits):
        return None
    digits = digits.lower()
    return ":".join(digits[i:i + 2] for i in range(0, 12, 2))


def is_locally_administered(mac: str) -> bool:
    """True for a locally administered (randomised, virtual, private) MAC."""
    return bool(int(mac[:2], 16) & 0x02)


@functools.lru_cache(maxsize=4096)
def vendor_for(mac: str) -> str | None:
    """The organisation that registered ``mac``'s OUI, the private marker, or None."""
    if is_locally_administered(mac):
        return PRIVATE_VENDOR
    try:
        return str(netaddr.EUI(mac).oui.registration().org).strip() or None
    except (netaddr.NotRegisteredError, netaddr.AddrFormatError, IndexError):
        return None
