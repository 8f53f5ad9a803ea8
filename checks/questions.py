"""The on-site interview as a data table: what the consultant asks, and what an answer may be.

Every question can be answered "don't know" (stored as :data:`DONT_KNOW`), which is different
from a question that was never asked (its key is simply absent from the answers). Answers are
normalised to JSON-ready values: dates become ``YYYY-MM-DD`` strings, yes/no questions become
``"yes"``/``"no"``, lists become lists of strings.

:func:`normalise` checks a typed value (from a TOML or JSON file); :func:`from_text` first turns
what someone typed at the prompt into that value. Both raise :class:`ValueError` with a short
explanation, which the interview module turns into a one-line error naming file, line and field.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

DONT_KNOW = "dont_know"
DONT_KNOW_WORDS = frozenset({"dont_know", "don't know", "dont know", "?", "unknown",
                             "don't_know", "not sure"})


class Kind(StrEnum):
    """What shape an answer has."""

    TEXT = "text"  # free text
    COUNT = "count"  # a whole number, 0 or more
    MONEY = "money"  # an amount in the price book's currency, 0 or more
    CHOICE = "choice"  # one of ``choices``
    CHOICES = "choices"  # one or more of ``choices`` (``none`` only on its own)
    YES_NO = "yes_no"  # yes or no
    DATE_OR = "date_or"  # a date (YYYY-MM-DD) or one of ``choices``
    DATE_OR_TEXT = "date_or_text"  # a date or free text
    LIST = "list"  # a list of names (free text, comma-separated at the prompt)


@dataclass(frozen=True)
class Question:
    """One interview question. ``choices`` never lists ``dont_know``: every question allows it."""

    key: str
    text: str
    kind: Kind
    choices: tuple[str, ...] = ()
    default: Any = None  # offered at the prompt; never applied to a file that leaves it out
    help: str = ""


QUESTIONS: tuple[Question, ...] = (
    Question("company", "Company name?", Kind.TEXT,
             help="As it should appear on the report."),
    Question("industry", "What does the business do?", Kind.TEXT,
             help="In the owner's words, e.g. 'dental practice', 'accounting firm'."),
    Question("regulation", "Which rules govern the data it keeps?", Kind.CHOICES,
             ("hipaa", "pci", "legal", "none"),
             help="hipaa = patient data; pci = it takes card payments; legal = client "
                  "privilege or retention rules (law, accounting). Several are allowed."),
    Question("employees", "How many people work here?", Kind.COUNT,
             help="Everyone on the payroll, full or part time."),
    Question("computer_users", "How many of them use a computer for work?", Kind.COUNT,
             help="The plan is priced per computer user; count laptops that are away today."),
    Question("sites", "How many offices or locations?", Kind.COUNT, default=1),
    Question("remote_workers", "How many people work from home or on the road?", Kind.COUNT,
             help="Staff who connect from outside the office at least weekly."),
    Question("current_support", "Who looks after IT today?", Kind.CHOICE,
             ("none", "staff_member", "friend_or_relative", "break_fix", "in_house_it",
              "another_msp"),
             help="staff_member = someone does it beside their job; break_fix = a contractor "
                  "paid by the hour; another_msp = a managed service provider already."),
    Question("monthly_it_spend", "Roughly what does IT support cost a month today?", Kind.MONEY,
             help="Support and contractor invoices averaged over a year; not hardware or "
                  "software licences."),
    Question("hourly_rate_paid", "What does the current IT help charge per hour?", Kind.MONEY,
             help="Used for the year of break/fix instead of the price book's rate."),
    Question("downtime_cost_per_hour",
             "What does an hour with no computers cost the business?", Kind.MONEY,
             help="Lost sales plus idle staff wages for the whole office. If the owner cannot "
                  "say, ask annual revenue instead."),
    Question("annual_revenue", "Roughly what is the annual revenue?", Kind.MONEY,
             help="Only used when the downtime cost is not known: revenue / 2,080 working hours "
                  "gives a cost per hour."),
    Question("last_outage", "When did IT last stop the business, and what happened?",
             Kind.DATE_OR_TEXT, help="A date (YYYY-MM-DD) or a few words."),
    Question("offsite_backup", "Is there a copy of the backups outside this building?",
             Kind.YES_NO, help="A cloud backup or a disk taken home counts."),
    Question("cloud_backup", "Is the cloud data (Microsoft 365 / Google) backed up too?",
             Kind.YES_NO,
             help="Microsoft and Google keep deleted items only for weeks; a separate backup "
                  "service keeps them for years."),
    Question("last_restore_test", "When was a restore from backup last tested?", Kind.DATE_OR,
             ("never",), help="A date (YYYY-MM-DD), or 'never'."),
    Question("av_product", "Which antivirus runs on the PCs?", Kind.TEXT,
             help="The product name, or 'none'."),
    Question("ups_devices", "What is plugged into a battery backup (UPS)?", Kind.LIST,
             help="e.g. server, firewall, switch; 'none' if nothing."),
    Question("email_platform", "Where is email hosted?", Kind.CHOICE,
             ("microsoft365", "google", "onprem_exchange", "other")),
    Question("line_of_business_apps", "Which business applications does the office run on?",
             Kind.LIST, help="e.g. Dentrix, QuickBooks, Clio; 'none' if none."),
)

BY_KEY: dict[str, Question] = {question.key: question for question in QUESTIONS}

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _token(text: str) -> str:
    """A choice as typed, in the table's spelling: lower case, spaces and dashes as '_'."""
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def is_dont_know(value: Any) -> bool:
    """Whether ``value`` is one of the ways of saying "don't know"."""
    return isinstance(value, str) and value.strip().lower() in DONT_KNOW_WORDS


def _iso_date(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and _DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            raise ValueError(f"{value.strip()!r} is not a real date") from None
    return None


def _number(value: Any, whole: bool) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("expected a whole number" if whole else "expected a number")
    if whole and not isinstance(value, int):
        raise ValueError("expected a whole number")
    if not math.isfinite(value):
        raise ValueError("expected a finite number")
    if value < 0:
        raise ValueError("must not be negative")
    return value


def _choice(question: Question, value: Any) -> str:
    if not isinstance(value, str) or _token(value) not in question.choices:
        raise ValueError(f"expected one of: {', '.join((*question.choices, DONT_KNOW))}")
    return _token(value)


def _split(value: Any) -> list[str]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise ValueError("expected a list of names")
    return [item.strip() for item in items if item.strip()]


def _names(value: Any) -> list[str]:
    names = _split(value)
    return [] if [name.lower() for name in names] == ["none"] else names


def normalise(question: Question, value: Any) -> Any:
    """The stored form of a typed answer, or :class:`ValueError` saying what was expected."""
    if is_dont_know(value):
        return DONT_KNOW
    kind = question.kind
    if kind is Kind.TEXT:
        if not isinstance(value, str) or not value.strip():
            raise ValueError("expected text")
        return value.strip()
    if kind in (Kind.COUNT, Kind.MONEY):
        return _number(value, whole=kind is Kind.COUNT)
    if kind is Kind.CHOICE:
        return _choice(question, value)
    if kind is Kind.CHOICES:
        chosen = [_choice(question, item) for item in _split(value)]
        if not chosen or ("none" in chosen and len(chosen) > 1):
            raise ValueError("expected one or more of: "
                             f"{', '.join(question.choices)} ('none' on its own)")
        return list(dict.fromkeys(chosen))
    if kind is Kind.YES_NO:
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, str) and _token(value) in ("yes", "no", "y", "n"):
            return "yes" if _token(value).startswith("y") else "no"
        raise ValueError("expected yes, no or dont_know")
    if kind is Kind.DATE_OR:
        iso = _iso_date(value)
        if iso:
            return iso
        if isinstance(value, str) and _token(value) in question.choices:
            return _token(value)
        raise ValueError(f"expected a date (YYYY-MM-DD) or one of: "
                         f"{', '.join((*question.choices, DONT_KNOW))}")
    if kind is Kind.DATE_OR_TEXT:
        iso = _iso_date(value)
        if iso:
            return iso
        if isinstance(value, str) and value.strip():
            return value.strip()
        raise ValueError("expected a date (YYYY-MM-DD) or a few words")
    return _names(value)  # Kind.LIST


def from_text(question: Question, text: str) -> Any:
    """The stored form of what was typed at the prompt."""
    text = text.strip()
    if question.kind in (Kind.COUNT, Kind.MONEY) and not is_dont_know(text):
        cleaned = text.replace(",", "").replace("$", "").strip()
        try:
            value: Any = int(cleaned) if re.fullmatch(r"-?\d+", cleaned) else float(cleaned)
        except ValueError:
            raise ValueError("expected a whole number" if question.kind is Kind.COUNT
                             else "expected a number") from None
        return normalise(question, value)
    return normalise(question, text)


def to_text(question: Question, value: Any) -> str:
    """How a stored answer is shown as a prompt default (``from_text`` reads it back)."""
    if value == DONT_KNOW:
        return "don't know"
    if isinstance(value, list):
        return ", ".join(value) if value else "none"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def hint(question: Question) -> str:
    """The short description of an acceptable answer, shown after the question."""
    kind = question.kind
    if kind in (Kind.CHOICE, Kind.CHOICES):
        several = ", several allowed" if kind is Kind.CHOICES else ""
        return f"{' / '.join(question.choices)}{several}"
    return {Kind.TEXT: "text", Kind.COUNT: "a number", Kind.MONEY: "an amount",
            Kind.YES_NO: "yes / no", Kind.DATE_OR: "YYYY-MM-DD or never",
            Kind.DATE_OR_TEXT: "YYYY-MM-DD or a few words",
            Kind.LIST: "comma-separated, or none"}[kind]
