"""Shared helpers of the AD checks: the no-audit UNKNOWN, object lists, ages and admin sets.

Thresholds are absolute and per object, for offices of 10–100 people: percentage rules of
larger-domain tools (PingCastle's S-Inactive needs >10 active users and ≥25 %) never fire
there. Every FAIL lists the objects behind it in its evidence, so the consultant can act.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import TypeVar

from checks.context import Context
from checks.model import Result, Status
from scanner.directory.model import Directory, DirUser
from scanner.directory.privilege import ADMIN_GROUPS

STALE_DAYS = 90  # an enabled account unused this long is stale (Netwrix 60 d, PingCastle 180 d)
NEVER_USED_GRACE_DAYS = 30  # a new account may wait this long for its first logon
MAX_EVIDENCE = 60  # object lines per finding; the rest is counted
T = TypeVar("T")

PINGCASTLE = "https://github.com/netwrix/pingcastle"
ANSSI = "https://www.cert.ssi.gouv.fr/uploads/ad_checklist.html"
MS_BEST_PRACTICES = ("https://learn.microsoft.com/en-us/windows-server/identity/ad-ds/plan/"
                     "security-best-practices/best-practices-for-securing-active-directory")


def no_audit(ctx: Context) -> Result | None:
    """UNKNOWN with the reason when no directory audit ran or it failed; None when it ran."""
    directory = ctx.directory
    if directory is None:
        return Result(Status.UNKNOWN, "The directory was not audited.",
                      reason="no directory audit ran (sitewalk ad-audit FOLDER --ad-user USER, "
                             "or scan --ad-user)")
    if not directory.ok:
        return Result(Status.UNKNOWN, "The directory could not be audited.",
                      reason=f"the directory audit failed: {directory.error}"[:300])
    return None


def audited(check: Callable[[Context, Directory], Iterator[Result]]
            ) -> Callable[[Context], Iterator[Result]]:
    """Run ``check`` only with a directory; otherwise the UNKNOWN of :func:`no_audit`."""
    def run(ctx: Context) -> Iterator[Result]:
        missing = no_audit(ctx)
        if missing is not None:
            yield missing
            return
        assert ctx.directory is not None
        yield from check(ctx, ctx.directory)

    run.__doc__ = check.__doc__
    run.__name__ = check.__name__
    run.__qualname__ = check.__qualname__
    return run


def evidence(objects: Iterable[T], line: Callable[[T], str]) -> tuple[str, ...]:
    """One line per object, bounded; the rest counted on a last line."""
    objects = list(objects)
    lines = [line(o) for o in objects[:MAX_EVIDENCE]]
    if len(objects) > MAX_EVIDENCE:
        lines.append(f"… and {len(objects) - MAX_EVIDENCE} more")
    return tuple(lines)


def listed(objects: Iterable[T], message: Callable[[int], str], line: Callable[[T], str],
           pass_message: str) -> Iterator[Result]:
    """One FAIL naming every object (``message(count)``), or one PASS when there is none."""
    objects = list(objects)
    if objects:
        yield Result(Status.FAIL, message(len(objects)), evidence=evidence(objects, line))
    else:
        yield Result(Status.PASS, pass_message)


def days_since(moment: datetime | None, now: datetime) -> int | None:
    """Whole days from ``moment`` to ``now``; None when there is no moment."""
    return None if moment is None else max(0, (now - moment).days)


def logon_text(user_or_computer: object, now: datetime) -> str:
    """``last logon 2026-05-08 (210 days ago)`` or ``never logged on``."""
    moment = getattr(user_or_computer, "last_logon", None)
    if moment is None:
        return "never logged on"
    return f"last logon {moment.date().isoformat()} ({days_since(moment, now)} days ago)"


def admin_groups_of(directory: Directory) -> dict[str, list[str]]:
    """Each account name in Administrators, Domain/Enterprise/Schema Admins → its groups."""
    found: dict[str, list[str]] = {}
    for key in ADMIN_GROUPS:
        group = directory.group(key)
        for member in group.members if group else ():
            found.setdefault(member.name, []).append(group.name if group else key)
    return found


def admin_users(directory: Directory) -> list[tuple[DirUser, list[str]]]:
    """The user accounts with admin rights over the domain, with their admin groups."""
    groups = admin_groups_of(directory)
    return [(u, groups[u.name]) for u in directory.users if u.name in groups]


def user_line(user: DirUser, now: datetime, extra: str = "") -> str:
    """``name (Display Name): last logon … · extra``."""
    display = f" ({user.display_name})" if user.display_name else ""
    state = "" if user.enabled else "disabled, "
    return f"{user.name}{display}: {state}{logon_text(user, now)}" + (f" · {extra}"
                                                                       if extra else "")
