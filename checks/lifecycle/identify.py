"""From a scanned host to the products it runs and their support verdicts.

Reads (never changes) what :class:`scanner.model.Host` carries: SMB's OS string, SNMP's
sysDescr, sysObjectID and vendor identity values, the LDAP root DSE, the firmware that
identification chose, nmap's service products and versions, and HTTP Server headers. Each
product seen becomes a :class:`Sighting` with its :class:`SupportVerdict`.

Distribution-packaged software is judged by the distribution's support, never by upstream's
branch dates: ``OpenSSH_9.2p1 Debian-2+deb12u3`` says Debian 12. Upstream versions of
packaged software are not judged at all (a distribution backports fixes into them).
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from checks.lifecycle.model import UNKNOWN, SupportVerdict
from checks.lifecycle.products import FIRMWARE_PRODUCTS, FirmwareProduct
from checks.lifecycle.table import (
    data_source,
    load_table,
    release_name,
    support,
    unknown,
    verdict_for,
)
from checks.lifecycle.windows import windows_support
from scanner.model import Host, Inventory

BANNERS_FILE = Path(__file__).with_name("data") / "distro_banners.json"
MAX_SEEN = 160
SERVER_CLASSES = ("server", "domain_controller", "hypervisor")
WINDOWS_SNMP_KIND = {"1.3.6.1.4.1.311.1.1.3.1.1": "Windows",
                     "1.3.6.1.4.1.311.1.1.3.1.2": "Windows Server",
                     "1.3.6.1.4.1.311.1.1.3.1.3": "Windows Server"}
# rootDSE domainControllerFunctionality: the DC's own Windows Server level (MS-ADTS 3.1.1.3.2.25).
DC_LEVELS = {"0": "2000", "2": "2003", "3": "2008", "4": "2008 R2", "5": "2012", "6": "2012 R2",
             "10": "2025"}


@dataclass(frozen=True)
class Sighting:
    """One product seen on a host, with the evidence and the support verdict."""

    area: str  # windows_server, windows_client, firewall, storage, hypervisor, bmc, distribution
    seen: str  # what was seen, for messages, e.g. "FortiOS 7.2.6"
    evidence: str  # where it was read
    verdict: SupportVerdict


def scan_day(inventory: Inventory) -> datetime.date:
    """The day the scan finished (support is judged as of then), else today."""
    for stamp in (inventory.finished_at, inventory.started_at):
        try:
            return datetime.datetime.fromisoformat(stamp).date()
        except (TypeError, ValueError):
            continue
    return datetime.date.today()


def _short(text: str) -> str:
    text = " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", text or "").split())
    return text if len(text) <= MAX_SEEN else text[:MAX_SEEN - 1] + "…"


# --- Windows -----------------------------------------------------------------------------

def _samba(host: Host) -> bool:
    """Samba answers SMB and LDAP like Windows (an AD DC even reports a functional level), but
    its support is not Windows': such a host is never judged as Windows."""
    return any("samba" in f"{s.product} {s.extra_info}".lower() for s in host.services) or \
        any("samba" in (output or "").lower() for s in host.services
            for output in s.scripts.values())


# IIS ships with Windows and its version names the Windows release line (Microsoft's IIS
# release history); 10.0 covers every release since Windows 10 / Server 2016, so says nothing.
IIS_WINDOWS = {"6.0": "5.2", "7.0": "6.0", "7.5": "6.1", "8.0": "6.2", "8.5": "6.3"}


def _iis_release(host: Host) -> tuple[str, str] | None:
    """(Windows major.minor, evidence) from an IIS version in a service or Server header."""
    texts = [(f"{s.product} {s.version}", f"{s.port}/{s.protocol} {s.product} {s.version}")
             for s in host.services if "iis" in (s.product or "").lower()]
    texts += [(w.server, f"{w.port}/tcp Server: {w.server}") for w in host.web if w.server]
    for text, evidence in texts:
        match = re.search(r"(?:Microsoft-IIS/|IIS httpd )(\d+\.\d+)", text, re.IGNORECASE)
        if match and match.group(1) in IIS_WINDOWS:
            return (IIS_WINDOWS[match.group(1)],
                    f"{_short(evidence)} (IIS {match.group(1)} ships only with Windows "
                    f"{IIS_WINDOWS[match.group(1)]})")
    return None


def _dc_level(host: Host) -> str:
    for service in host.services:
        for output in service.scripts.values():
            match = re.search(r"domainControllerFunctionality:\s*(\d+)", output or "")
            if match:
                return match.group(1)
    return ""


def windows_sighting(host: Host, today: datetime.date) -> Sighting | None:
    """The Windows release of a host, from SMB, then SNMP, then the LDAP root DSE."""
    snmp = host.snmp
    descr = snmp.sys_descr if snmp and "windows" in snmp.sys_descr.lower() else ""
    tries: list[tuple[str, str, str]] = []  # (name, version, evidence)
    samba = _samba(host) or bool(host.smb and "samba" in host.smb.os.lower())
    if host.smb and host.smb.os and not samba:
        tries.append((host.smb.os, descr, f"SMB OS {_short(host.smb.os)!r}"
                      + (f", SNMP {_short(descr)!r}" if descr else "")))
    if descr:
        kind = next((k for prefix, k in WINDOWS_SNMP_KIND.items()
                     if snmp and snmp.sys_object_id.startswith(prefix)), "Windows")
        if kind == "Windows" and host.device_class in SERVER_CLASSES:
            kind = ""  # the class says server, the OID does not: let the build decide
        tries.append((kind or "Windows", descr, f"SNMP sysDescr {_short(descr)!r}"))
    iis = _iis_release(host)
    if iis and not samba:
        version, evidence = iis
        kind = next((k for prefix, k in WINDOWS_SNMP_KIND.items()
                     if snmp and snmp.sys_object_id.startswith(prefix)), "Windows")
        tries.append((kind, f"Windows Version {version}", evidence))
    level = "" if samba else _dc_level(host)
    if level:
        name = (f"Windows Server {DC_LEVELS[level]}" if level in DC_LEVELS else "")
        evidence = f"LDAP rootDSE domainControllerFunctionality {level}"
        if name:
            tries.append((name, "", evidence))
        else:
            tries.append(("Windows Server", "", evidence + " (2016, 2019 or 2022 report 7)"))
    if not tries:
        return None
    verdicts = [(windows_support(name, version, today), name, evidence)
                for name, version, evidence in tries]
    verdict, name, evidence = next((t for t in verdicts if t[0].status != UNKNOWN), verdicts[0])
    title = release_title(verdict) or name
    # A server-class host is judged as a server even when it runs a desktop release.
    is_server = (verdict.product.endswith("Server") or "server" in name.lower()
                 or host.device_class in SERVER_CLASSES)
    return Sighting("windows_server" if is_server else "windows_client",
                    _short(title), evidence, verdict)


def release_title(verdict: SupportVerdict) -> str:
    """``"Windows 11 24H2 Home/Pro"``, ``"Debian 12 (Bookworm)"``: the placed release's name."""
    if not verdict.cycle:
        return ""
    table = load_table()
    product = next((p for p in table.products.values() if p.label == verdict.product), None)
    release = product.release(verdict.cycle) if product else None
    if product is None or release is None:
        return ""
    if product.key == "windows":
        from checks.lifecycle.windows import release_display

        return release_display(product, release)
    return release_name(product, release)


# --- firmware and appliances -------------------------------------------------------------

def _maker_matches(product: FirmwareProduct, host: Host) -> bool:
    maker = (host.manufacturer or "").lower()
    if not maker or not any(re.search(rf"\b{re.escape(m)}\b", maker) for m in product.makers):
        return False
    return not product.device_classes or host.device_class in product.device_classes


def _firmware_version(product: FirmwareProduct, host: Host) -> tuple[bool, str, str]:
    """(recognised, version, evidence) for one firmware product on one host."""
    identity = host.snmp.identity if host.snmp else {}
    for key in product.identity_keys:
        if identity.get(key):
            return True, identity[key], f"SNMP {key} {_short(identity[key])!r}"
    descr = host.snmp.sys_descr if host.snmp else ""
    match = product.sys_descr.search(descr) if product.sys_descr and descr else None
    if match:
        return True, match.group("version"), f"SNMP sysDescr {_short(descr)!r}"
    if product.service_product:
        for service in host.services:
            if product.service_product.search(service.product or ""):
                return (True, service.version,
                        f"{service.port}/{service.protocol} {_short(service.product)} "
                        f"{_short(service.version)}".strip())
    if _maker_matches(product, host):
        return (True, host.firmware or "",
                f"identified as {_short(host.manufacturer or '')} {_short(host.model or '')}"
                .strip() + (f", firmware {_short(host.firmware)!r}" if host.firmware else ""))
    return False, "", ""


def firmware_sightings(host: Host, today: datetime.date) -> list[Sighting]:
    """Firewall, NAS, hypervisor and BMC systems recognised on a host (first match per area)."""
    found: dict[str, Sighting] = {}
    for product in FIRMWARE_PRODUCTS:
        if product.area in found:
            continue
        recognised, version, evidence = _firmware_version(product, host)
        if not recognised:
            continue
        version = version.strip()
        shown = re.search(r"\d+(?:\.\d+)+[\w.-]*", version)
        seen = _short(f"{product.name} {shown.group(0) if shown else ''}".strip())
        if product.lifecycle is None:
            page = f"; the vendor's page: {product.vendor_page}" if product.vendor_page else ""
            verdict = unknown(product.name, f"{evidence}: endoflife.date has no lifecycle data "
                              f"for {product.name}, so its support was not judged{page}")
        elif not version:
            verdict = unknown(product.name, f"{evidence}: the {product.name} version was not "
                              "read, so its release cycle cannot be placed")
        else:
            verdict = support(product.lifecycle, version, today, evidence)
        found[product.area] = Sighting(product.area, seen, evidence, verdict)
    return list(found.values())


# --- Linux distributions -----------------------------------------------------------------

@lru_cache(maxsize=1)
def _banners() -> dict[str, Any]:
    return json.loads(BANNERS_FILE.read_text(encoding="utf-8"))


def _package_release(package: str, upstream: str, distro: str, revision: str) -> str:
    for entry in _banners()["packages"]:
        if (entry["package"], entry["distro"], entry["upstream"]) == (package, distro,
                                                                      upstream) \
                and revision.startswith(entry["revision"]):
            return entry["release"]
    return ""


def _distro_from_text(package: str, text: str) -> tuple[str, str, bool] | None:
    """(distribution, release or "", ESM marker) from a packaged banner, or None."""
    marker = re.search(_banners()["debian_marker"], text)
    if marker:
        return "debian", marker.group(1), False
    if package == "openssh":
        match = re.search(r"(?:OpenSSH[_ ])?(\d+\.\d+p\d+)\s+(Debian|Ubuntu)[- ](\S+)", text,
                          re.IGNORECASE)
        if match:
            distro = match.group(2).lower()
            return (distro, _package_release("openssh", match.group(1), distro, match.group(3)),
                    "+esm" in match.group(3))
    if package == "apache":
        match = re.search(r"(?:Apache/|Apache httpd )(\d+\.\d+\.\d+).*?\((Ubuntu|Debian)\)", text,
                          re.IGNORECASE)
        if match:
            distro = match.group(2).lower()
            release = _package_release("apache", match.group(1), distro, "")
            return distro, release, False
    return None


def _kernel_distro(descr: str) -> tuple[list[str], str] | None:
    """Candidate ``product:cycle`` pairs from a Linux kernel string in sysDescr."""
    if not descr.lower().startswith("linux"):
        return None
    backport = re.search(r"\.deb(\d+)\.", descr)
    if backport:
        return [f"debian:{backport.group(1)}"], "a Debian kernel built for that release"
    debian = re.search(r"\bDebian (\d+\.\d+)\.", descr)
    if debian and debian.group(1) in _banners()["debian_kernels"]:
        return [f"debian:{_banners()['debian_kernels'][debian.group(1)]}"], "Debian's kernel"
    enterprise = re.search(r"\.(el\d+)", descr)
    if enterprise and enterprise.group(1) in _banners()["enterprise_kernels"]:
        return (_banners()["enterprise_kernels"][enterprise.group(1)],
                f"an Enterprise Linux kernel ({enterprise.group(1)})")
    return None


def _texts(host: Host) -> list[tuple[str, str, str]]:
    """(package, text, evidence) of the banners that can name a distribution."""
    texts = []
    for service in host.services:
        words = " ".join(p for p in (service.product, service.version, service.extra_info) if p)
        product = (service.product or "").lower()
        package = "openssh" if "openssh" in product else "apache" if "apache" in product else ""
        if package:
            texts.append((package, words, f"{service.port}/{service.protocol} {_short(words)}"))
    for web in host.web:
        if web.server:
            texts.append(("apache", web.server, f"{web.port}/tcp Server: {_short(web.server)}"))
    return texts


LABELS = {"debian": "Debian", "ubuntu": "Ubuntu"}


def distribution_sighting(host: Host, today: datetime.date) -> Sighting | None:
    """The Linux distribution release named by a packaged banner or a kernel string."""
    first_unplaced: Sighting | None = None
    for package, text, evidence in _texts(host):
        found = _distro_from_text(package, text)
        if found is None:
            continue
        distro, release, esm = found
        if not release:
            first_unplaced = first_unplaced or Sighting(
                "distribution", LABELS[distro], evidence,
                unknown(LABELS[distro], f"{evidence}: a {LABELS[distro]} package, but its "
                        "version is not one the table ties to a release"))
            continue
        verdict = support(distro, release, today, evidence)
        if esm and verdict.status != UNKNOWN:
            verdict = _with_extended(distro, verdict, today, evidence)
        title = release_title(verdict) or f"{LABELS[distro]} {release}"
        return Sighting("distribution", title, evidence, verdict)
    descr = host.snmp.sys_descr if host.snmp else ""
    kernel = _kernel_distro(descr)
    if kernel:
        pairs, what = kernel
        evidence = f"SNMP sysDescr {_short(descr)!r} ({what})"
        verdicts = [support(p.split(":")[0], p.split(":")[1], today, evidence) for p in pairs]
        statuses = {v.status for v in verdicts}
        if len(statuses) == 1:
            chosen = max(verdicts, key=lambda v: v.eol or datetime.date.min)
            return Sighting("distribution", release_title(chosen) or chosen.product, evidence,
                            chosen)
        listed = "; ".join(f"{v.product} {v.cycle} {v.status.replace('_', ' ')}"
                           for v in verdicts)
        return Sighting("distribution", "Enterprise Linux", evidence, unknown(
            "Enterprise Linux", f"{evidence}: the distributions it fits disagree: {listed}"))
    return first_unplaced


def _with_extended(distro: str, verdict: SupportVerdict, today: datetime.date,
                   evidence: str) -> SupportVerdict:
    """A verdict from the extended phase: the package itself shows the machine receives it."""
    table = load_table()
    product = table.products[distro]
    release = product.release(verdict.cycle)
    if release is None or not hasattr(release.eoes, "isoformat"):
        return verdict
    from dataclasses import replace

    extended = replace(release, eol=release.eoes)
    judged = verdict_for(product, extended, today, table.source, evidence)
    return replace(judged, reason=judged.reason + " (the package carries '+esm': the machine "
                                                  "receives Expanded Security Maintenance)")


# --- Microsoft server applications --------------------------------------------------------

def _sql_server_cycle(version: str) -> tuple[str, str]:
    """The mssqlserver cycle of a build like ``12.00.6024.00``, or "" with the reason."""
    match = re.match(r"(\d+)\.(\d+)\.(\d+)", version)
    if not match:
        return "", f"SQL Server version {version[:30]!r} is not a build number"
    major, build = int(match.group(1)), int(match.group(3))
    product = load_table().products.get("mssqlserver")
    if product is None:
        return "", "the lifecycle data has no SQL Server"
    cycles = []
    for release in product.releases:
        head = re.match(r"(\d+)\.(\d+)", release.cycle)
        latest = re.match(r"\d+\.\d+\.(\d+)", release.latest)
        if head and latest and int(head.group(1)) == major \
                and int(head.group(2)) == int(match.group(2)):
            cycles.append((int(latest.group(1)), release.cycle))
    if len(cycles) == 1:
        return cycles[0][1], ""
    # Service packs raise the build: the cycle is the one whose latest build is the first at
    # or above this one (2014 SP3 builds are 12.0.6xxx, its cycle's latest 12.0.6449).
    above = sorted(c for c in cycles if c[0] >= build)
    if above:
        return above[0][1], ""
    return "", f"SQL Server build {version[:30]} is newer than the data's cycles"


def _exchange_cycle(version: str) -> str:
    match = re.match(r"(\d+)\.(\d+)(?:\.(\d+))?", version)
    if not match:
        return ""
    major, minor, build = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    if (major, minor) == (15, 2):
        # Subscription Edition continues 2019's numbering from RTM build 15.2.2562.
        return "subscription" if build >= 2562 else ("2019" if build else "")
    return {(15, 1): "2016", (15, 0): "2013", (14, 3): "2010", (14, 2): "2010",
            (14, 1): "2010", (14, 0): "2010", (8, 3): "2007", (6, 5): "2003",
            (6, 0): "2000"}.get((major, minor), "")


def application_sightings(host: Host, today: datetime.date) -> list[Sighting]:
    """SQL Server and Exchange versions that nmap read from their services."""
    from checks.lifecycle.table import support_of_cycle

    found = []
    for service in host.services:
        product = service.product or ""
        version = (service.version or "").strip()
        evidence = _short(f"{service.port}/{service.protocol} {product} {version} "
                          f"{service.extra_info}".strip())
        if re.search(r"Microsoft SQL Server", product) and version:
            cycle, why = _sql_server_cycle(version)
            verdict = (support_of_cycle("mssqlserver", cycle, today, evidence) if cycle
                       else unknown("Microsoft SQL Server", f"{evidence}: {why}"))
        elif re.search(r"Microsoft Exchange", product) and version:
            cycle = _exchange_cycle(version)
            verdict = (support_of_cycle("msexchange", cycle, today, evidence) if cycle
                       else unknown("Microsoft Exchange", f"{evidence}: version {version[:30]} "
                                    "is not one the table can place"))
        else:
            continue
        found.append(Sighting("application", release_title(verdict) or _short(product),
                              evidence, verdict))
    return found[:8]


def host_sightings(host: Host, today: datetime.date) -> list[Sighting]:
    """Every product recognised on ``host``, each with its verdict."""
    found = []
    windows = windows_sighting(host, today)
    if windows is not None:
        found.append(windows)
    found.extend(firmware_sightings(host, today))
    distribution = distribution_sighting(host, today)
    if distribution is not None and windows is None:
        found.append(distribution)
    found.extend(application_sightings(host, today))
    return found


def source_note() -> str:
    """How findings name the data: ``"endoflife.date snapshot 2026-08-22"``."""
    return data_source()
