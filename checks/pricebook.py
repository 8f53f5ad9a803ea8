"""The consultant's price book: tiers, one-time projects, onboarding and the break/fix model.

A TOML file (the default ships as ``checks/data/pricebook.toml``; ``docs/pricebook.md``
explains every key). :func:`load_price_book` validates it completely and raises
:class:`PriceBookError` with a one-line message naming the file and the key, so a typo never
turns into a silently wrong price. ``fit``, ``counting`` and ``rules`` may be left out (the
defaults below apply); every price and model input must be in the file.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from checks.model import FAMILY_AREA
from checks.questions import BY_KEY
from scanner.model import DEVICE_CLASSES

DEFAULT_SOURCE = "default"
REGULATIONS = tuple(c for c in BY_KEY["regulation"].choices if c != "none")
PROJECT_UNITS = ("site", "device")


class PriceBookError(ValueError):
    """A price book that cannot be used; the message is one line naming file and key."""


@dataclass(frozen=True)
class FitSettings:
    """The prospect a flat-rate plan is built for: the bands of the sweet-spot verdict."""

    min_users: int = 10
    max_users: int = 100
    monthly_min: float = 1000
    monthly_max: float = 2000
    min_downtime_cost_per_hour: float = 250
    server_needed_from_users: int = 20


@dataclass(frozen=True)
class Counting:
    """Which scanned device classes are billed as servers and as network devices."""

    server_classes: tuple[str, ...] = ("server", "domain_controller", "hypervisor")
    network_device_classes: tuple[str, ...] = ("firewall", "router", "switch", "access_point",
                                               "ups", "nas", "backup_appliance", "printer")


@dataclass(frozen=True)
class Tier:
    """One managed plan: its monthly prices and the services it includes."""

    id: str
    name: str
    per_user: float
    per_server: float
    per_network_device: float
    site_minimum: float
    onsite_hours_per_month: float
    services: tuple[str, ...]
    description: str = ""


@dataclass(frozen=True)
class Project:
    """A one-time fix: hours (and hardware) once per site or per failed device."""

    key: str  # price-book key: projects.checks.<ID> or projects.services.<service>
    title: str
    hours: float
    per: str  # "site" or "device"
    hardware: float = 0


@dataclass(frozen=True)
class Onboarding:
    """The one-time cost of taking on a client, in hours at the project rate."""

    title: str
    base_hours: float
    hours_per_user: float
    hours_per_server: float
    hours_per_network_device: float


@dataclass(frozen=True)
class BreakFix:
    """What a year of hourly support costs: labour and the wait for it."""

    hourly_rate: float
    incidents_per_user_per_year: float
    hours_per_incident: float
    downtime_hours_per_incident: float
    site_outages_per_year: float
    downtime_hours_per_site_outage: float


@dataclass(frozen=True)
class FlatRate:
    """The residual downtime under the plan (the same incidents, fixed faster)."""

    downtime_hours_per_incident: float
    downtime_hours_per_site_outage: float


@dataclass(frozen=True)
class PriceBook:
    """A validated price book. ``source`` is ``default`` or the file's path."""

    name: str
    currency: str
    source: str
    tiers: tuple[Tier, ...]
    project_hourly_rate: float
    check_projects: Mapping[str, Project]
    service_projects: Mapping[str, Project]
    onboarding: Onboarding
    break_fix: BreakFix
    flat_rate: FlatRate
    fit: FitSettings = field(default_factory=FitSettings)
    counting: Counting = field(default_factory=Counting)
    regulated_minimum_tier: Mapping[str, str] = field(default_factory=dict)

    def tier(self, tier_id: str) -> Tier:
        """The tier with this ID."""
        return next(t for t in self.tiers if t.id == tier_id)

    def project_for(self, check_id: str, service: str) -> Project | None:
        """The estimate for a failed check: its own entry, else its service's, else None."""
        return self.check_projects.get(check_id) or self.service_projects.get(service)


_REQUIRED: Any = object()


class _Table:
    """One TOML table being read: typed getters that name the key in every error."""

    def __init__(self, data: Any, key: str, path: str) -> None:
        self.path, self.key = path, key
        if not isinstance(data, dict):
            self.fail("", f"expected a table, got {type(data).__name__}")
        self.data: dict[str, Any] = data
        self.read: set[str] = set()

    def where(self, name: str) -> str:
        return ".".join(part for part in (self.key, name) if part) or "top level"

    def fail(self, name: str, message: str) -> None:
        raise PriceBookError(f"{self.path}: key {self.where(name)}: {message}")

    def _get(self, name: str, default: Any) -> tuple[Any, bool]:
        self.read.add(name)
        if name in self.data:
            return self.data[name], True
        if default is _REQUIRED:
            self.fail(name, "missing")
        return default, False

    def number(self, name: str, default: Any = _REQUIRED) -> Any:
        value, present = self._get(name, default)
        if present and (isinstance(value, bool) or not isinstance(value, int | float)
                        or not math.isfinite(value) or value < 0):
            self.fail(name, f"expected a number, 0 or more (got {value!r:.40})")
        return value

    def whole(self, name: str, default: Any = _REQUIRED) -> Any:
        value = self.number(name, default)
        if not isinstance(value, int):
            self.fail(name, f"expected a whole number (got {value!r})")
        return value

    def text(self, name: str, default: Any = _REQUIRED) -> Any:
        value, present = self._get(name, default)
        if present and (not isinstance(value, str) or not value.strip()):
            self.fail(name, f"expected text (got {value!r:.40})")
        return value.strip() if present else value

    def texts(self, name: str, default: Any = _REQUIRED) -> Any:
        value, present = self._get(name, default)
        if not present:
            return value
        if not isinstance(value, list) or not value or not all(
                isinstance(item, str) and item.strip() for item in value):
            self.fail(name, "expected a non-empty list of text")
        if len(set(value)) != len(value):
            self.fail(name, "lists the same entry twice")
        return tuple(item.strip() for item in value)

    def table(self, name: str, required: bool = True) -> _Table:
        value, _present = self._get(name, _REQUIRED if required else {})
        return _Table(value, self.where(name), self.path)

    def done(self) -> None:
        unknown = sorted(set(self.data) - self.read)
        if unknown:
            self.fail(unknown[0], f"unknown key (known here: {', '.join(sorted(self.read))})")


FIT_COUNTS = ("min_users", "max_users", "server_needed_from_users")  # whole numbers; the rest
# of [fit] are amounts


def _fit(table: _Table) -> FitSettings:
    base = FitSettings()
    fit = FitSettings(**{name: (table.whole if name in FIT_COUNTS else table.number)(
        name, getattr(base, name)) for name in base.__dataclass_fields__})
    table.done()
    if fit.min_users > fit.max_users:
        table.fail("min_users", "must not be above max_users")
    if fit.monthly_min > fit.monthly_max:
        table.fail("monthly_min", "must not be above monthly_max")
    return fit


def _counting(table: _Table) -> Counting:
    base = Counting()
    counting = Counting(server_classes=table.texts("server_classes", base.server_classes),
                        network_device_classes=table.texts("network_device_classes",
                                                           base.network_device_classes))
    table.done()
    for name in ("server_classes", "network_device_classes"):
        unknown = [c for c in getattr(counting, name) if c not in DEVICE_CLASSES]
        if unknown:
            table.fail(name, f"unknown device class {unknown[0]!r} "
                             f"(known: {', '.join(DEVICE_CLASSES)})")
    if set(counting.server_classes) & set(counting.network_device_classes):
        table.fail("network_device_classes", "a device class is also a server class")
    return counting


def _tier(tier_id: str, table: _Table) -> Tier:
    tier = Tier(
        id=tier_id, name=table.text("name"), description=table.text("description", ""),
        per_user=table.number("per_user"), per_server=table.number("per_server"),
        per_network_device=table.number("per_network_device"),
        site_minimum=table.number("site_minimum"),
        onsite_hours_per_month=table.number("onsite_hours_per_month"),
        services=table.texts("services"))
    table.done()
    return tier


def _project(key: str, table: _Table) -> Project:
    project = Project(key=key, title=table.text("title"), hours=table.number("hours"),
                      per=table.text("per"), hardware=table.number("hardware", 0))
    if project.per not in PROJECT_UNITS:
        table.fail("per", f"expected one of: {', '.join(PROJECT_UNITS)} (got {project.per!r})")
    table.done()
    return project


CHECK_ID = re.compile(rf"^({'|'.join(FAMILY_AREA)})-[0-9]{{3}}$")


def _projects(table: _Table, group: str) -> dict[str, Project]:
    projects = table.table(group, required=False)
    if group == "checks":
        for name in projects.data:
            if not CHECK_ID.match(name):
                projects.fail(name, "not a check ID (like FW-001)")
    result = {name: _project(projects.where(name), projects.table(name))
              for name in list(projects.data)}
    projects.done()
    return result


def _rules(table: _Table, tier_ids: list[str]) -> dict[str, str]:
    minimum = table.table("regulated_minimum_tier", required=False)
    rules = {}
    for regulation in list(minimum.data):
        if regulation not in REGULATIONS:
            minimum.fail(regulation, f"unknown regulation (known: {', '.join(REGULATIONS)})")
        rules[regulation] = minimum.text(regulation)
        if rules[regulation] not in tier_ids:
            minimum.fail(regulation, f"no tier {rules[regulation]!r} "
                                     f"(tiers: {', '.join(tier_ids)})")
    minimum.done()
    table.done()
    return rules


def _build(data: dict[str, Any], source: str) -> PriceBook:
    top = _Table(data, "", source)
    tiers_table = top.table("tiers")
    tiers = tuple(_tier(tier_id, tiers_table.table(tier_id)) for tier_id in list(tiers_table.data))
    if not tiers:
        tiers_table.fail("", "at least one tier is needed")
    projects = top.table("projects")
    hourly_rate = projects.number("hourly_rate")
    check_projects, service_projects = _projects(projects, "checks"), _projects(projects,
                                                                                "services")
    projects.done()
    onboarding_table = top.table("onboarding")
    onboarding = Onboarding(**{name: (onboarding_table.text if name == "title"
                                      else onboarding_table.number)(name)
                               for name in Onboarding.__dataclass_fields__})
    onboarding_table.done()
    break_fix_table = top.table("break_fix")
    break_fix = BreakFix(**{name: break_fix_table.number(name)
                            for name in BreakFix.__dataclass_fields__})
    break_fix_table.done()
    flat_table = top.table("flat_rate")
    flat_rate = FlatRate(**{name: flat_table.number(name)
                            for name in FlatRate.__dataclass_fields__})
    flat_table.done()
    book = PriceBook(
        name=top.text("name"), currency=top.text("currency"), source=source, tiers=tiers,
        project_hourly_rate=hourly_rate,
        check_projects=MappingProxyType(check_projects),
        service_projects=MappingProxyType(service_projects),
        onboarding=onboarding, break_fix=break_fix, flat_rate=flat_rate,
        fit=_fit(top.table("fit", required=False)),
        counting=_counting(top.table("counting", required=False)),
        regulated_minimum_tier=MappingProxyType(
            _rules(top.table("rules", required=False), [t.id for t in tiers])))
    top.done()
    return book


def parse_price_book(text: str, source: str) -> PriceBook:
    """A validated price book from TOML text; ``source`` names it in errors and traces."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PriceBookError(f"{source}: not valid TOML ({exc})") from None
    return _build(data, source)


def load_price_book(path: Path | None = None) -> PriceBook:
    """The consultant's price book at ``path``, or the default one shipped with sitewalk."""
    if path is None:
        text = resources.files("checks").joinpath("data/pricebook.toml").read_text("utf-8")
        return parse_price_book(text, DEFAULT_SOURCE)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PriceBookError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PriceBookError(f"{path}: cannot read ({exc.__class__.__name__})") from None
    return parse_price_book(text, str(path))
