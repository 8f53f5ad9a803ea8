"""Windows and Windows Server support, from the names and builds that AD, SMB and SNMP report.

Inputs are what the network says: AD's ``operatingSystem`` / ``operatingSystemVersion``
(``"Windows 10 Pro"``, ``"10.0 (19045)"``), an SMB OS string (``"Windows Server 2008 R2
Standard 7601 Service Pack 1"``) or SNMP's sysDescr (``"… Windows Version 6.3 (Build 17763
Multiprocessor Free)"``). The build number places the feature update: the table's own ``latest``
build of each cycle (endoflife.date records ``10.0.19045`` for Windows 10 22H2), so no build list
is kept here. The edition then picks among cycles that share a build, because Microsoft supports
them differently: Home/Pro ``(W)``, Enterprise/Education ``(E)``, LTSC, IoT LTSC.

When the evidence fits several cycles that disagree (the edition is not named, the build is
missing, name and build contradict each other), the answer is ``"unknown"`` with the reason.
When all the cycles it fits agree (every Windows 7 cycle has ended), that shared answer is
given, with the most favourable date for the machine.
"""

from __future__ import annotations

import datetime
import re

from checks.lifecycle.model import ENDED, UNKNOWN, SupportVerdict
from checks.lifecycle.table import Product, Release, load_table, unknown, verdict_for

MAX_TEXT = 200
FIRST_WINDOWS_10_BUILD = 10240
FIRST_WINDOWS_11_BUILD = 22000
CONTROL = re.compile(r"[\x00-\x1f\x7f]")

SERVER_YEAR = re.compile(r"server\s+(2000|2003|2008|2012|2016|2019|2022|2025)(\s*r2)?")
SERVER_CYCLES = {("2000", False): "2000", ("2003", False): "2003-sp2", ("2003", True): "2003-sp2",
                 ("2008", False): "2008-sp2", ("2008", True): "2008-r2-sp1",
                 ("2012", False): "2012", ("2012", True): "2012-r2"}
CLIENT_FAMILY = re.compile(r"windows\s+(xp|vista|7|8\.1|8|10|11)\b")
OLD_CLIENT_CYCLES = {"xp": "5-sp3", "vista": "6-sp2", "7": "7-sp1", "8": "8", "8.1": "8.1"}

# The edition classes of endoflife.date's Windows cycles, by the suffix of the cycle id.
EDITION_NAMES = {"w": "Home/Pro", "e": "Enterprise/Education", "e-lts": "Enterprise LTSC",
                 "iot-lts": "IoT Enterprise LTSC", "iot": "IoT", "all": "all editions"}


def _clean(text: str) -> str:
    """Bounded, one line, without control characters or trademark signs (AD writes
    ``Windows Server® 2008 Standard`` and ``Windows Vista™ Business``)."""
    text = CONTROL.sub(" ", text or "")[:MAX_TEXT]
    text = re.sub(r"®|™|\((?:R|TM)\)", "", text, flags=re.IGNORECASE)
    return " ".join(text.split())


def parse_build(os_name: str, os_version: str) -> tuple[int, int, int] | None:
    """(major, minor, build) from ``"10.0 (19045)"``, ``"10.0.22631"`` or an OS string."""
    for text in (os_version, os_name):
        match = (re.search(r"(\d+)\.(\d+)\s*\((\d{3,5})\)", text)
                 or re.search(r"\b(\d+)\.(\d+)\.(\d{3,5})\b", text))
        if match:
            return int(match.group(1)), int(match.group(2)), int(match.group(3))
    for text in (os_version, os_name):
        version = re.search(r"version\s+(\d+)\.(\d+)", text, re.IGNORECASE)
        build = re.search(r"build\s+(\d{3,5})", text, re.IGNORECASE)
        if build:
            number = int(build.group(1))
            if number >= FIRST_WINDOWS_10_BUILD:  # SNMP says "Version 6.3" for Windows 10 too
                return 10, 0, number
            if version:
                return int(version.group(1)), int(version.group(2)), number
    # SMB OS strings put the bare build after the edition: "Windows 10 Pro 19045".
    for number in re.findall(r"\b(\d{4,5})\b", os_name):
        if not 1990 <= int(number) <= 2040:
            value = int(number)
            return (10, 0, value) if value >= FIRST_WINDOWS_10_BUILD else (0, 0, value)
    version = re.search(r"version\s+(\d+)\.(\d+)", os_name + " " + os_version, re.IGNORECASE)
    if version:
        return int(version.group(1)), int(version.group(2)), 0
    return None


def edition_class(os_name: str) -> str | None:
    """The cycle suffix class the edition names, or None when the name gives no edition."""
    name = os_name.lower()
    if "ltsc" in name or "ltsb" in name:
        return "iot-lts" if "iot" in name else "e-lts"
    if "pro education" in name or re.search(r"\b(home|pro|professional|workstations)\b", name):
        return "w"
    if re.search(r"\b(enterprise|education)\b", name):
        return "e"
    return None


def _cycle_class(cycle: str) -> str:
    for suffix in ("iot-lts", "e-lts", "iot", "e", "w"):
        if cycle.endswith("-" + suffix):
            return suffix
    return "all"


def _latest_build(release: Release) -> tuple[int, int, int] | None:
    match = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", release.latest.strip())
    return (int(match.group(1)), int(match.group(2)), int(match.group(3))) if match else None


def _same_release_line(build: tuple[int, int, int], release: Release) -> bool:
    """Windows 10 and later: the same build; older Windows: the same major.minor version."""
    latest = _latest_build(release)
    if latest is None:
        return False
    if build[0] >= 10:
        return latest == build
    if build[0] == 0:  # a bare build from an SMB string: compare the build alone
        return latest[2] == build[2] or (latest[2] // 10 == build[2] // 10 and latest[2] < 10000)
    return latest[:2] == build[:2]


def _describe(release: Release) -> str:
    """``"11 24H2 Home/Pro"``: the cycle with its edition class spelled out."""
    label = re.sub(r"\s*\((W|E)\)$", "", release.label)
    edition = _cycle_class(release.cycle)
    if release.label.startswith("Windows Server") or edition == "all":
        return label
    return f"{label} {EDITION_NAMES[edition]}".replace(" IoT IoT", " IoT")


def release_display(product: Product, release: Release) -> str:
    """A Windows cycle as people name it: ``"Windows 11 24H2 Home/Pro"``."""
    return _name(product, release)


def _name(product: Product, release: Release) -> str:
    if product.key == "windows":
        return f"Windows {_describe(release)}"
    return release.label


def _agree(product_of: dict[str, Product], candidates: list[tuple[str, Release]],
           today: datetime.date, source: str, what: str, ambiguity: str) -> SupportVerdict:
    """The shared verdict of all candidate cycles, or unknown when they disagree."""
    verdicts = [verdict_for(product_of[key], release, today, source, what,
                            _name(product_of[key], release)) for key, release in candidates]
    statuses = {v.status for v in verdicts}
    if len(statuses) == 1:
        dated = [v for v in verdicts if v.eol is not None]
        if len(verdicts) == 1 or not dated:
            return verdicts[0]
        # Most favourable date for the machine: the latest end of those already over,
        # the earliest of those still running.
        chosen = (max(dated, key=lambda v: v.eol) if verdicts[0].status == ENDED
                  else min(dated, key=lambda v: v.eol))
        others = "; ".join(_name(product_of[k], r) for k, r in candidates)
        return SupportVerdict(chosen.product, chosen.cycle, chosen.status, chosen.eol,
                              f"{chosen.reason} (every cycle the evidence fits agrees: "
                              f"{others})", source)
    listed = "; ".join(f"{_name(product_of[k], r)} {v.status.replace('_', ' ')}"
                       f"{' ' + v.eol.isoformat() if v.eol else ''}"
                       for (k, r), v in zip(candidates, verdicts, strict=True))
    label = verdicts[0].product
    return SupportVerdict(label, "", UNKNOWN, None,
                          f"{what}: {ambiguity}, and the cycles it fits disagree: {listed}",
                          source)


def windows_support(os_name: str, os_version: str, today: datetime.date) -> SupportVerdict:
    """Whether a Windows or Windows Server machine is supported on ``today``.

    ``os_name`` as AD, SMB or SNMP report it (``"Windows 11 Enterprise"``, ``"Windows Server
    2012 R2 Standard"``); ``os_version`` like ``"10.0 (19045)"`` or ``"10.0.22631"`` (may be
    empty). "ending_soon" means support ends within six months. Extended Security Updates
    are never assumed. Thin or contradictory evidence gives "unknown" with the reason.
    """
    table = load_table()
    source = table.source
    name, version = _clean(os_name), _clean(os_version)
    lowered = name.lower()
    build = parse_build(name, version)
    what = " ".join(p for p in (name, f"version {version}" if version else "") if p) or "Windows"
    if "windows" not in lowered and not ("version" in lowered and build):
        return unknown("Microsoft Windows", f"{what[:80]!r} does not name a Windows release",
                       source)
    if "embedded" in lowered:
        return unknown("Microsoft Windows Embedded", f"{what}: Windows Embedded editions are "
                       "not mapped to their own lifecycle", source)
    windows, server = table.products.get("windows"), table.products.get("windows-server")
    if windows is None or server is None:
        return unknown("Microsoft Windows", "the lifecycle data has no Windows products", source)
    product_of = {"windows": windows, "windows-server": server}
    year = SERVER_YEAR.search(lowered)
    if year:
        return _server_by_year(server, year, build, today, source, what)
    is_server = "server" in lowered
    family = CLIENT_FAMILY.search(lowered)
    if is_server and build is None:
        return unknown(server.label, f"{what}: neither the release year nor the build is known",
                       source)
    if not is_server and build is None:
        if family and family.group(1) in OLD_CLIENT_CYCLES:
            release = windows.release(OLD_CLIENT_CYCLES[family.group(1)])
            if release is not None:
                return verdict_for(windows, release, today, source, what,
                                   _name(windows, release))
        return unknown(windows.label, f"{what}: the build is not known, so the feature update "
                       "(and its end of support) cannot be placed", source)
    assert build is not None
    keys = ["windows-server"] if is_server else (["windows"] if family else
                                                  ["windows", "windows-server"])
    candidates = [(key, r) for key in keys for r in product_of[key].releases
                  if _same_release_line(build, r)]
    shown_build = ".".join(map(str, build)) if build[0] else str(build[2])
    if family and build[0] >= 10 and family.group(1) in OLD_CLIENT_CYCLES:
        return unknown(windows.label, f"{what}: the name says Windows {family.group(1)} but "
                       f"the build {shown_build} is Windows 10 or later", source)
    if not candidates:
        return unknown(product_of[keys[0]].label, f"{what}: no release cycle in the data has "
                       f"build {shown_build} (newer than the data, or not a release build)",
                       source)
    edition = None if is_server else edition_class(name)
    if edition is not None:
        fitting = [(k, r) for k, r in candidates if _cycle_class(r.cycle) in (edition, "all")]
        if not fitting:
            return unknown(windows.label, f"{what}: no {EDITION_NAMES[edition]} cycle has "
                           f"build {shown_build}", source)
        candidates = fitting
    if family and family.group(1) in ("10", "11"):
        major = "11" if build[2] >= FIRST_WINDOWS_11_BUILD else "10"
        if major != family.group(1):
            what += f" (build {build[2]} is Windows {major}: older tools report Windows 11 as 10)"
    ambiguity = ("the edition is not named" if edition is None and not is_server and
                 len(candidates) > 1 else f"build {shown_build} fits several cycles")
    return _agree(product_of, candidates, today, source, what, ambiguity)


def _server_by_year(server: Product, year: re.Match[str], build: tuple[int, int, int] | None,
                    today: datetime.date, source: str, what: str) -> SupportVerdict:
    """A Windows Server named with its year: the cycle is the year's, checked against the build."""
    cycle = SERVER_CYCLES.get((year.group(1), bool(year.group(2))), year.group(1))
    release = server.release(cycle)
    if release is None:
        return unknown(server.label, f"{what}: the data has no cycle {cycle!r}", source)
    if build is not None and build[0] >= 10:
        latest = _latest_build(release)
        if latest is not None and latest != build:
            return unknown(server.label, f"{what}: the name says {release.label} but build "
                           f"{'.'.join(map(str, build))} belongs to another release", source)
    return verdict_for(server, release, today, source, what)
