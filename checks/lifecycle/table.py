"""The lifecycle table in use, and lookups of a product version in it.

Two copies can exist: the table bundled in the package (built by ``build_table.py`` from an
endoflife.date snapshot) and a newer one that ``sitewalk data update`` writes to the user's data
folder (``$SITEWALK_DATA_DIR``, else ``$XDG_DATA_HOME/sitewalk``, else
``~/.local/share/sitewalk``). The user copy takes precedence when it loads and has the expected
shape; a damaged user copy is ignored (the bundled table is used, and :func:`table_problem`
says why) rather than judged from.
"""

from __future__ import annotations

import datetime
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from checks.lifecycle.model import ENDED, SUPPORTED, UNKNOWN, SupportVerdict, status_for

BUNDLED_TABLE = Path(__file__).with_name("data") / "lifecycle.json"
TABLE_FILE = "lifecycle.json"
DATA_DIR_ENV = "SITEWALK_DATA_DIR"
FORMAT_VERSION = 1
STALE_MONTHS = 6

# Products whose "extended" support (``eoes``) is free and arrives through the normal update
# channel, so a machine gets it without buying or enrolling anything: Debian LTS publishes to
# the regular security archive (https://wiki.debian.org/LTS). These are judged by ``eoes``.
# Paid or enrolment-based extended support (Microsoft ESU, Ubuntu ESM, RHEL ELS, SLES LTSS) is
# never assumed.
FREE_EXTENDED_SUPPORT = {"debian": "Debian LTS, free through the regular security archive"}


@dataclass(frozen=True)
class Release:
    """One release cycle as the table has it; ``eol`` etc. are a date or upstream's boolean."""

    cycle: str
    label: str
    release_date: datetime.date | None
    eol: datetime.date | bool
    eoes: datetime.date | bool | None
    latest: str
    estimated: bool  # upstream marks the end date as an estimate


@dataclass(frozen=True)
class Product:
    """A product of the table: its id, display name, vendor policy page and cycles."""

    key: str
    label: str
    policy_link: str
    releases: tuple[Release, ...]
    extended_name: str = ""  # what upstream calls the extended-support phase (eoes)

    def release(self, cycle: str) -> Release | None:
        """The release cycle with this id, if the table has it."""
        return next((r for r in self.releases if r.cycle == cycle), None)


@dataclass(frozen=True)
class LifecycleTable:
    """The products, keyed by endoflife.date id, with where the data came from."""

    products: dict[str, Product]
    taken: datetime.date
    source: str  # e.g. "endoflife.date snapshot 2026-08-22"
    path: Path
    problem: str = ""  # why a user copy was ignored, if one was


def user_data_dir() -> Path:
    """Where ``sitewalk data update`` writes: ``$SITEWALK_DATA_DIR`` or the XDG data folder."""
    value = os.environ.get(DATA_DIR_ENV, "")
    if value:
        return Path(value).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME", "")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / "sitewalk"


def user_table_path() -> Path:
    """The user's copy of the lifecycle table (it may not exist)."""
    return user_data_dir() / TABLE_FILE


def _date(value: Any) -> datetime.date | bool | None:
    if isinstance(value, bool) or value is None:
        return value
    return datetime.date.fromisoformat(str(value))


def _release(raw: dict[str, Any]) -> Release:
    eol = _date(raw["eol"])
    if eol is None:
        raise ValueError(f"cycle {raw.get('cycle')!r} has no end-of-life value")
    released = _date(raw.get("releaseDate"))
    return Release(cycle=str(raw["cycle"]), label=str(raw.get("label") or raw["cycle"]),
                   release_date=released if isinstance(released, datetime.date) else None,
                   eol=eol, eoes=_date(raw.get("eoes")), latest=str(raw.get("latest") or ""),
                   estimated="eol" in (raw.get("notes") or {}) and "estimat" in str(
                       raw["notes"]["eol"]).lower())


def parse_table(raw: dict[str, Any], path: Path) -> LifecycleTable:
    """A :class:`LifecycleTable` from the JSON document; ValueError when its shape is wrong."""
    if not isinstance(raw, dict) or raw.get("formatVersion") != FORMAT_VERSION:
        raise ValueError(f"not a lifecycle table of format {FORMAT_VERSION}")
    provenance = raw.get("provenance") or {}
    taken = datetime.date.fromisoformat(str(provenance.get("taken")))
    products = {}
    for key, product in dict(raw["products"]).items():
        releases = tuple(_release(r) for r in product["releases"])
        heading = product.get("eoesColumn")
        extended = re.sub(r"<[^>]*>", "", heading) if isinstance(heading, str) else ""
        products[key] = Product(key=key, label=str(product.get("label") or key),
                                policy_link=str(product.get("releasePolicyLink") or ""),
                                releases=releases, extended_name=extended)
    if not products:
        raise ValueError("the table lists no products")
    source = f"{provenance.get('source') or 'endoflife.date'} {taken.isoformat()}"
    return LifecycleTable(products=products, taken=taken, source=source, path=path)


@lru_cache(maxsize=8)
def _load(path: Path, stamp: tuple[int, int]) -> LifecycleTable:
    return parse_table(json.loads(path.read_text(encoding="utf-8")), path)


def _load_path(path: Path) -> LifecycleTable:
    stat = path.stat()
    return _load(path, (stat.st_mtime_ns, stat.st_size))


def load_table() -> LifecycleTable:
    """The table in use: the user's updated copy when it is valid, else the bundled one."""
    user = user_table_path()
    problem = ""
    if user.is_file():
        try:
            return _load_path(user)
        except (OSError, ValueError, KeyError, TypeError) as error:
            problem = f"ignored {user}: {str(error)[:120]}"
    bundled = _load_path(BUNDLED_TABLE)
    if problem:
        return LifecycleTable(bundled.products, bundled.taken, bundled.source, bundled.path,
                              problem)
    return bundled


def data_date() -> datetime.date:
    """The date of the lifecycle data in use (the snapshot or the last ``data update``)."""
    return load_table().taken


def data_source() -> str:
    """How reports name the data in use, e.g. ``"endoflife.date snapshot 2026-08-22"``."""
    return load_table().source


def table_problem() -> str:
    """Why the user's updated copy was ignored; empty when it was not."""
    return load_table().problem


def provenance() -> dict[str, str]:
    """What ``findings.json`` records about the lifecycle data its verdicts came from."""
    table = load_table()
    record = {"date": table.taken.isoformat(), "source": table.source,
              "licence": "endoflife.date data, MIT licence"}
    if table.problem:
        record["problem"] = table.problem
    return record


def stale_warning(today: datetime.date) -> str:
    """One line when the data in use is older than six months on ``today``; empty otherwise."""
    from checks.lifecycle.model import add_months

    taken = data_date()
    if add_months(taken, STALE_MONTHS) < today:
        return (f"warning: the lifecycle data is from {taken.isoformat()}, more than "
                f"{STALE_MONTHS} months old; run 'sitewalk data update' when online")
    return ""


def _numbers(text: str) -> tuple[int, ...] | None:
    match = re.fullmatch(r"v?(\d+(?:\.\d+)*)", text.strip().lower())
    return tuple(int(p) for p in match.group(1).split(".")) if match else None


def find_cycle(product: Product, version: str) -> tuple[Release | None, str]:
    """The release cycle a dotted version belongs to, or None with the reason it has none.

    A cycle matches when its numbers are a leading part of the version's (``7.2.5`` is in
    ``7.2``, ``12.5`` in ``12``); the longest match wins. Nothing is guessed: a version less
    precise than the cycles, or newer than the data knows, has no cycle.
    """
    wanted = re.match(r"v?\d+(?:\.\d+)*", version.strip().lower())
    numbers = _numbers(wanted.group(0)) if wanted else None
    if not numbers:
        return None, f"version {version[:40]!r} is not a dotted version number"
    best: Release | None = None
    best_length = 0
    for release in product.releases:
        cycle = _numbers(release.cycle)
        if cycle and numbers[:len(cycle)] == cycle and len(cycle) > best_length:
            best, best_length = release, len(cycle)
    if best is not None:
        return best, ""
    known = [r.cycle for r in product.releases if _numbers(r.cycle)]
    shown = ".".join(str(n) for n in numbers)
    if known and any(_numbers(c)[:len(numbers)] == numbers for c in known):
        return None, (f"version {shown} is not precise enough to place among the "
                      f"{product.label} cycles ({', '.join(known[:6])} …)")
    return None, (f"the data has no {product.label} cycle for version {shown} (known: "
                  f"{', '.join(known[:6])}{' …' if len(known) > 6 else ''})")


def release_name(product: Product, release: Release) -> str:
    """``"Windows Server 2019"``, ``"Debian 12 'Bookworm'"``: the release as people name it."""
    first = release.label.split()[0].lower() if release.label.split() else ""
    if first and first in product.label.lower().split():
        return release.label
    return f"{product.label} {release.label}".strip()


def verdict_for(product: Product, release: Release, today: datetime.date, source: str,
                what: str = "", label: str = "") -> SupportVerdict:
    """The verdict for one known release cycle on ``today``; ``what`` names the evidence.

    ``label`` replaces the release's display name in the reason when given.
    """
    name = label or release_name(product, release)
    end = release.eol
    text = ""
    free = FREE_EXTENDED_SUPPORT.get(product.key)
    if free and not isinstance(release.eoes, bool) and release.eoes is not None \
            and (isinstance(end, bool) or release.eoes > end):
        if not isinstance(end, bool) and end <= today:
            text = f"regular security support ended on {end.isoformat()}; "
        end = release.eoes
        text += f"{free}, "
    status = status_for(end, today)
    if isinstance(end, bool):
        text += ("support has ended (no date published)" if end else
                 "still supported; the vendor has published no end date")
        eol = None
    else:
        eol = end
        verb = "ended on" if status == ENDED else "ends on"
        text += f"security support {verb} {eol.isoformat()}"
        if release.estimated:
            text += " (an estimated date)"
    if status == ENDED and not free and isinstance(release.eoes, datetime.date) \
            and release.eoes > today:
        phase = product.extended_name or "paid extended support"
        text += (f"; extended support ({phase}) runs until {release.eoes.isoformat()} "
                 "for machines enrolled in it, which is not assumed")
    prefix = f"{what}: " if what else ""
    return SupportVerdict(product=product.label, cycle=release.cycle, status=status, eol=eol,
                          reason=f"{prefix}{name}: {text}", source=source)


def unknown(product: str, reason: str, source: str | None = None) -> SupportVerdict:
    """An UNKNOWN verdict with its reason."""
    return SupportVerdict(product=product, cycle="", status=UNKNOWN, eol=None, reason=reason,
                          source=source if source is not None else data_source())


def support(product_key: str, version: str, today: datetime.date,
            what: str = "") -> SupportVerdict:
    """Look ``version`` of the endoflife.date product ``product_key`` up on ``today``.

    ``what`` names the evidence for the reason text (e.g. ``"SNMP sysDescr"``). Products the
    table does not carry, and versions it cannot place, come back ``"unknown"`` with the reason.
    """
    table = load_table()
    product = table.products.get(product_key)
    if product is None:
        return unknown(product_key, f"the lifecycle data has no product {product_key!r}",
                       table.source)
    release, why = find_cycle(product, version)
    if release is None:
        return unknown(product.label, f"{what + ': ' if what else ''}{why}", table.source)
    return verdict_for(product, release, today, table.source, what)


def support_of_cycle(product_key: str, cycle: str, today: datetime.date,
                     what: str = "") -> SupportVerdict:
    """Like :func:`support`, for an exact upstream cycle id (``"2012-r2"``, ``"11-24h2-w"``)."""
    table = load_table()
    product = table.products.get(product_key)
    release = product.release(cycle) if product else None
    if product is None or release is None:
        return unknown(product.label if product else product_key,
                       f"the lifecycle data has no cycle {cycle!r} of {product_key!r}",
                       table.source)
    return verdict_for(product, release, today, table.source, what)


__all__ = ["ENDED", "SUPPORTED", "LifecycleTable", "Product", "Release", "data_date",
           "data_source", "find_cycle", "load_table", "provenance", "stale_warning", "support",
           "support_of_cycle", "table_problem", "user_table_path", "verdict_for"]
