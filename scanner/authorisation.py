"""The written authorisation to scan, as the consultant records it on the command line.

``sitewalk scan --authorised-by "Name, role" --authorised-on YYYY-MM-DD
[--authorisation-ref "signed engagement letter"]`` is checked here and stored in
``inventory.json`` as :class:`scanner.model.Authorisation`; the report names it. Every problem
is an :class:`AuthorisationError` whose message is one line for the user.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from scanner.model import Authorisation

MAX_BY = 200
MAX_REFERENCE = 300
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class AuthorisationError(ValueError):
    """An authorisation record that cannot be stored; the message is one line."""


def _text(option: str, value: str, limit: int) -> str:
    text = value.strip()
    if _CONTROL.search(text):
        raise AuthorisationError(f"{option} must be one line of text")
    if len(text) > limit:
        raise AuthorisationError(f"{option} is longer than {limit} characters")
    return text


def parse_date(value: str, today: date | None = None) -> str:
    """``value`` as an ISO date string, if it is a real calendar date not in the future.

    A day of slack allows for the consultant's and the client's time zones.
    """
    text = value.strip()
    if not _ISO_DATE.fullmatch(text):
        raise AuthorisationError(f"--authorised-on {text[:40]!r} is not a date (YYYY-MM-DD)")
    try:
        given = date.fromisoformat(text)
    except ValueError:
        raise AuthorisationError(f"--authorised-on {text!r} is not a real date") from None
    if given > (today or date.today()) + timedelta(days=1):
        raise AuthorisationError(f"--authorised-on {text} is in the future")
    return given.isoformat()


def parse_authorisation(by: str | None, on: str | None, reference: str | None,
                        today: date | None = None) -> Authorisation | None:
    """The record from the three options; None when none was given.

    Who and when go together: one without the other is an error, and so is a reference alone.
    """
    if by is None and on is None and reference is None:
        return None
    if by is None or on is None:
        raise AuthorisationError("--authorised-by and --authorised-on go together "
                                 "(who gave the written authorisation, and when)")
    name = _text("--authorised-by", by, MAX_BY)
    if not name:
        raise AuthorisationError("--authorised-by is empty")
    return Authorisation(by=name, on=parse_date(on, today),
                         reference=_text("--authorisation-ref", reference or "", MAX_REFERENCE))


def describe(authorisation: Authorisation | None) -> str:
    """One line for the consultant: whose authorisation the scan runs under."""
    if authorisation is None:
        return "no authorisation record"
    return (f"authorised in writing by {authorisation.by} on {authorisation.on}"
            + (f" ({authorisation.reference})" if authorisation.reference else ""))
