"""Refreshing the lifecycle table from endoflife.date's public API (v1).

``update_table`` asks ``<base>/products/<id>/`` for every product of the table in use, turns
each answer into the bundled table's shape, checks the whole result parses, and only then
replaces the user's copy atomically (a temporary file in the same folder, then a rename), so a
failed or interrupted update never leaves a half-written table. The new table records the day
it was fetched and where from; the upstream licence is copied beside it.

Network failures before anything useful arrived mean "offline" (:class:`Offline`); a source
that answers with something else is :class:`UpdateError`. A product the API no longer knows
(404) keeps its previous entry, and the table says which ones were carried over.

The API's booleans mean what the snapshot's do (``isEol: true`` = ended), unlike the deprecated
v0 API: an ``eolFrom`` date wins over the flag, as in the snapshot.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from checks.lifecycle.table import (
    BUNDLED_TABLE,
    FORMAT_VERSION,
    load_table,
    parse_table,
    user_table_path,
)

DEFAULT_SOURCE = "https://endoflife.date/api/v1"
SOURCE_ENV = "SITEWALK_LIFECYCLE_SOURCE"
REQUEST_TIMEOUT = 15.0
TOTAL_DEADLINE = 180.0
MAX_BODY = 4 * 1024 * 1024
USER_AGENT = "sitewalk-data-update (+https://endoflife.date)"


class UpdateError(Exception):
    """The source answered, but not with usable lifecycle data; nothing was changed."""


class Offline(UpdateError):
    """The source could not be reached at all; nothing was changed."""


Fetcher = Callable[[str, float], bytes | None]


def http_get(url: str, timeout: float) -> bytes | None:
    """The body at ``url``, None for a 404; :class:`Offline` when it cannot be reached."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT,
                                                   "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            body = answer.read(MAX_BODY + 1)
    except urllib.error.HTTPError as error:
        if error.code in (404, 410):
            return None
        raise UpdateError(f"{url} answered HTTP {error.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise Offline(f"cannot reach {url}: {str(reason)[:120]}") from None
    if len(body) > MAX_BODY:
        raise UpdateError(f"{url} answered more than {MAX_BODY} bytes")
    return body


def _when(value: Any, flag: Any) -> str | bool:
    """A date when the API gives one, else its boolean flag (False when it gives neither)."""
    if isinstance(value, str) and value:
        datetime.date.fromisoformat(value)  # refuse anything that is not a date
        return value
    return bool(flag)


def convert_release(raw: dict[str, Any]) -> dict[str, Any]:
    """One API v1 release in the bundled table's release shape."""
    latest = raw.get("latest") or {}
    release: dict[str, Any] = {
        "cycle": str(raw["name"]), "label": str(raw.get("label") or raw["name"]),
        "releaseDate": raw.get("releaseDate"), "eol": _when(raw.get("eolFrom"), raw.get("isEol")),
        "lts": bool(raw.get("isLts")), "latest": latest.get("name") if isinstance(latest, dict)
        else None}
    if raw.get("codename"):
        release["codename"] = str(raw["codename"])
    for field in ("eoas", "eoes"):
        if f"is{field.capitalize()}" in raw or f"{field}From" in raw:
            release[field] = _when(raw.get(f"{field}From"), raw.get(f"is{field.capitalize()}"))
    return release


def convert_product(answer: dict[str, Any]) -> dict[str, Any]:
    """One API v1 product answer (``{"result": {...}}``) in the bundled table's shape."""
    result = answer["result"]
    labels = result.get("labels") or {}
    links = result.get("links") or {}
    product: dict[str, Any] = {"label": str(result.get("label") or result["name"]),
                               "category": result.get("category"),
                               "tags": list(result.get("tags") or []),
                               "releasePolicyLink": links.get("releasePolicy") or ""}
    for field in ("eol", "eoas", "eoes"):
        if labels.get(field):
            product[f"{field}Column"] = str(labels[field])
    product["releases"] = [convert_release(r) for r in result["releases"]]
    if not product["releases"]:
        raise ValueError(f"product {result.get('name')!r} has no releases")
    return product


def fetch_table(base_url: str, today: datetime.date, fetch: Fetcher = http_get,
                deadline: float = TOTAL_DEADLINE) -> dict[str, Any]:
    """A whole new table from the API at ``base_url``, for the products of the table in use."""
    current = json.loads(load_table().path.read_text(encoding="utf-8"))
    started = time.monotonic()
    products: dict[str, Any] = {}
    carried: list[str] = []
    base = base_url.rstrip("/")
    for index, key in enumerate(sorted(current["products"])):
        remaining = deadline - (time.monotonic() - started)
        if remaining <= 0:
            raise UpdateError(f"the update took longer than {deadline:.0f} s; nothing changed")
        try:
            body = fetch(f"{base}/products/{key}/", min(REQUEST_TIMEOUT, remaining))
        except Offline:
            if index == 0:
                raise
            raise UpdateError(f"the connection to {base} broke during the update; "
                              "nothing changed") from None
        if body is None:
            products[key] = current["products"][key]
            carried.append(key)
            continue
        try:
            products[key] = convert_product(json.loads(body))
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise UpdateError(f"{base}/products/{key}/ is not lifecycle data: "
                              f"{str(error)[:100]}") from None
    if len(carried) == len(products):
        raise UpdateError(f"{base} knows none of the products; is it the endoflife.date API?")
    table = {"formatVersion": FORMAT_VERSION,
             "provenance": {"source": "endoflife.date API", "repository": base,
                            "taken": today.isoformat(), "fetched_from": base,
                            "licence": "MIT (Copyright 2020 endoflife.date contributors); "
                                       "see LICENSE beside this file",
                            "carried_over": carried, "built_by": "sitewalk data update"},
             "products": products}
    try:
        parse_table(table, Path(base))
    except (ValueError, KeyError, TypeError) as error:
        raise UpdateError(f"the data from {base} does not form a valid table: "
                          f"{str(error)[:120]}") from None
    return table


def write_table(table: dict[str, Any], target: Path | None = None) -> Path:
    """Replace the user's table atomically (temporary file + rename); copy the licence."""
    target = target or user_table_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".lifecycle-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(table, out, indent=1, ensure_ascii=False)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    shutil.copyfile(BUNDLED_TABLE.with_name("LICENSE"), target.with_name("LICENSE"))
    return target


def update_table(base_url: str | None = None, today: datetime.date | None = None,
                 fetch: Fetcher = http_get) -> tuple[Path, dict[str, Any]]:
    """Fetch and install a new table; the path written and the table."""
    source = base_url or os.environ.get(SOURCE_ENV) or DEFAULT_SOURCE
    if not source.startswith(("http://", "https://")):
        raise ValueError(f"--source must be an http(s) URL, not {source[:80]!r}")
    table = fetch_table(source, today or datetime.datetime.now(datetime.UTC).date(), fetch)
    return write_table(table), table
