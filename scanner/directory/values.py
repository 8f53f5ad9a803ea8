"""Converting LDAP attribute values (as the backend hands them over) into plain JSON values.

Active Directory stores times as FILETIME (100 ns since 1601) or generalized time, intervals
as negative 100 ns counts, flags as integers. Backends differ in how much they convert, so
every function here accepts the raw and the converted forms. Every string is hostile
(scanner.textsafe bounds it).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from scanner.textsafe import bounded, bounded_name

# userAccountControl bits (MS-ADTS 2.2.16)
UAC_DISABLED = 0x2
UAC_PASSWD_NOTREQD = 0x20
UAC_ENCRYPTED_TEXT_PWD = 0x80
UAC_SERVER_TRUST = 0x2000
UAC_DONT_EXPIRE = 0x10000
UAC_TRUSTED_FOR_DELEGATION = 0x80000
UAC_NOT_DELEGATED = 0x100000
UAC_USE_DES_KEY_ONLY = 0x200000
UAC_DONT_REQ_PREAUTH = 0x400000
UAC_PARTIAL_SECRETS = 0x4000000

_EPOCH_1601 = datetime(1601, 1, 1, tzinfo=UTC)
MAX_VALUES = 500  # per multi-valued attribute we keep (SPNs, members)


def first(value: Any) -> Any:
    """The first value of a possibly multi-valued attribute."""
    if isinstance(value, (list, tuple)):
        return value[0] if value else None
    return value


def many(value: Any) -> list[Any]:
    """Every value of a possibly multi-valued attribute, as a list."""
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def to_int(value: Any) -> int | None:
    """An integer attribute, or None."""
    value = first(value)
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def to_time(value: Any) -> str | None:
    """A FILETIME or generalized time as ISO 8601 UTC; None for "never" (0 or the far future)."""
    value = first(value)
    if value is None:
        return None
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    elif isinstance(value, (int, str, bytes)):
        text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
        if text.isascii() and text.isdigit():
            ticks = int(text)
            if ticks <= 0 or ticks >= 0x7FFFFFFFFFFFFFFF:
                return None
            moment = _EPOCH_1601 + timedelta(microseconds=ticks // 10)
        else:
            try:  # generalized time 20261204164810.0Z
                moment = datetime.strptime(text[:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
            except ValueError:
                return None
    else:
        return None
    if moment.year < 1700 or moment.year > 9000:
        return None
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def to_days(value: Any) -> float | None:
    """An AD interval (negative 100 ns ticks, or a timedelta) in days; None for "never"."""
    value = first(value)
    if value is None:
        return None
    if isinstance(value, timedelta):
        seconds = abs(value.total_seconds())
    else:
        ticks = to_int(value)
        if ticks is None:
            return None
        if ticks in (-0x8000000000000000, 0x7FFFFFFFFFFFFFFF):
            return None
        seconds = abs(ticks) / 10_000_000
    if seconds == 0 or seconds > 3650 * 86400 * 10:
        return 0.0 if seconds == 0 else None
    return round(seconds / 86400, 4)


def to_minutes(value: Any) -> float | None:
    """An AD interval in minutes (lockout duration, observation window)."""
    days = to_days(value)
    return None if days is None else float(round(days * 1440))


def name(value: Any) -> str:
    """A bounded one-line name."""
    return bounded_name(first(value))


def text(value: Any, limit: int = 512) -> str:
    """A bounded text value."""
    return bounded(first(value), limit).replace("\n", " ")


def names(value: Any, limit: int = MAX_VALUES) -> list[str]:
    """A bounded list of bounded names."""
    return [bounded_name(v) for v in many(value)[:limit]]


def sid_text(value: Any) -> str:
    """An objectSid as its S-1-… string (the backend may hand over bytes)."""
    value = first(value)
    if isinstance(value, bytes) and len(value) >= 8:
        revision, count = value[0], value[1]
        authority = int.from_bytes(value[2:8], "big")
        subs = [int.from_bytes(value[8 + 4 * i:12 + 4 * i], "little") for i in range(count)]
        return "-".join(["S", str(revision), str(authority), *map(str, subs)])
    return bounded_name(value)


def rid(sid: str) -> int | None:
    """The relative identifier at the end of a SID."""
    tail = sid.rsplit("-", 1)[-1]
    return int(tail) if tail.isascii() and tail.isdigit() else None
