"""The inventory part of the view-model: table rows, counts by class, what the scan did."""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from typing import Any

from reports import dates
from reports.labels import DEVICE_CLASS_ORDER, SERVICE_ALIASES, device_class_label
from reports.text import clean_name, clean_text
from reports.view import ClassCount, InventoryRow, ScanError, ScanInfo

MAX_SERVICES = 40
MAX_SERVICE_NAME = 24  # nmap's names are short; a longer one is noise and must not overflow
MAX_ERRORS = 60
_DNS_NAME = re.compile(r"[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+\.?")
_MAC = re.compile(r"[0-9a-f]{2}(:[0-9a-f]{2}){5}")


def dicts(value: object) -> list[dict[str, Any]]:
    """The dict items of a JSON array (anything else is ignored)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def ip_sort_key(ip: str) -> tuple[int, int | str]:
    """Numeric order for addresses; anything unparseable sorts after them."""
    try:
        return (0, int(ipaddress.ip_address(ip)))
    except ValueError:
        return (1, ip)


def display_name(host: dict[str, Any]) -> tuple[str, bool]:
    """The name a person would use for a host, and whether it is the device's own name.

    The device's own name is its first DNS name (shortened to the host part) or its SNMP
    sysName. A device without one is called by what it is ("SonicWall TZ 400",
    "Unidentified"), which reads better in a finding than its address twice.
    """
    hostnames = [clean_name(n) for n in host.get("hostnames") or [] if isinstance(n, str)]
    hostnames = [n for n in hostnames if n]
    if hostnames:
        full = hostnames[0]
        # Only shorten real DNS names; anything else is shown whole, as it was seen.
        return (full.split(".")[0] if _DNS_NAME.fullmatch(full) else full), True
    snmp = host.get("snmp") if isinstance(host.get("snmp"), dict) else {}
    sys_name = clean_name(snmp.get("sys_name"))
    if sys_name:
        return sys_name, True
    device_class = clean_name(host.get("device_class")) or "unknown"
    return (_make_model(host) or device_class_label(device_class)), False


def service_label(service: dict[str, Any]) -> str:
    """``"22/ssh"``, ``"443/https"``, ``"161/snmp (udp)"``."""
    port = service.get("port")
    port_text = str(port) if isinstance(port, int) else "?"
    name = clean_name(service.get("name"))[:MAX_SERVICE_NAME]
    name = SERVICE_ALIASES.get(name, name)
    if name in ("", "unknown"):
        name = ""
    elif service.get("tunnel") == "ssl" and name == "http":
        name = "https"
    label = f"{port_text}/{name}" if name else port_text
    return label + (" (udp)" if service.get("protocol") == "udp" else "")


def _make_model(host: dict[str, Any]) -> str:
    maker, model = clean_name(host.get("manufacturer")), clean_name(host.get("model"))
    if maker and model and model.casefold().startswith(maker.casefold()):
        return model
    return " ".join(part for part in (maker, model) if part)


def _services(host: dict[str, Any]) -> tuple[tuple[str, ...], int]:
    services = sorted(
        dicts(host.get("services")),
        key=lambda s: (s.get("protocol") != "tcp", s.get("port") if isinstance(s.get("port"), int)
                       else 0),
    )
    labels = tuple(service_label(s) for s in services)
    return labels[:MAX_SERVICES], max(0, len(labels) - MAX_SERVICES)


def build_row(host: dict[str, Any]) -> InventoryRow:
    """One inventory table row from one host of ``inventory.json``."""
    name, named = display_name(host)
    device_class = clean_name(host.get("device_class")) or "unknown"
    mac = clean_name(host.get("mac")).lower()
    vendor = clean_name(host.get("vendor"))
    if host.get("mac_private") and not vendor:
        vendor = "Private (randomised) address"
    snmp = host.get("snmp") if isinstance(host.get("snmp"), dict) else {}
    services, more = _services(host)
    return InventoryRow(
        name=name,
        named=named,
        ip=clean_name(host.get("ip")),
        mac=mac if _MAC.fullmatch(mac) else clean_name(mac),
        vendor=vendor,
        device_class=device_class,
        class_label=device_class_label(device_class),
        make_model=_make_model(host),
        firmware=clean_name(host.get("firmware")),
        services=services,
        more_services=more,
        description=clean_text(snmp.get("sys_descr")) or (
            "Answers on every TCP port (a firewall's SYN proxy or a tarpit): its ports could "
            "not be assessed" if host.get("answers_every_port") is True else ""),
        is_gateway=bool(host.get("is_gateway")),
        switch_port=clean_name(host.get("switch_port")),
    )


def build_rows(inventory: dict[str, Any]) -> tuple[InventoryRow, ...]:
    """All inventory rows, in address order."""
    rows = (build_row(host) for host in dicts(inventory.get("hosts")))
    return tuple(sorted(rows, key=lambda row: ip_sort_key(row.ip)))


def class_counts(rows: tuple[InventoryRow, ...]) -> tuple[ClassCount, ...]:
    """Devices per class, infrastructure first; unknown classes after the known ones."""
    counts = Counter(row.device_class for row in rows)
    order = list(DEVICE_CLASS_ORDER) + sorted(set(counts) - set(DEVICE_CLASS_ORDER))
    order.remove("unknown")
    order.append("unknown")
    return tuple(
        ClassCount(device_class=key, label=device_class_label(key), count=counts[key])
        for key in order if counts.get(key)
    )


def build_scan_info(inventory: dict[str, Any], host_count: int) -> ScanInfo:
    """What the scan did, from the inventory's header fields.

    In a partial scan the errors that lost results are the report's list of gaps
    (``viewmodel.build_partial``), so they are not listed a second time here.
    """
    scanner = inventory.get("scanner") if isinstance(inventory.get("scanner"), dict) else {}
    partial = inventory.get("partial") is True
    errors = [
        ScanError(source=clean_name(e.get("source")), target=clean_name(e.get("target")),
                  message=clean_text(e.get("message")))
        for e in dicts(inventory.get("errors")) if not (partial and e.get("lost") is True)
    ]
    started = dates.parse(inventory.get("started_at"))
    return ScanInfo(
        targets=tuple(clean_name(t) for t in inventory.get("targets") or [] if isinstance(t, str)),
        excluded=tuple(clean_name(t) for t in inventory.get("excluded") or []
                       if isinstance(t, str)),
        profile=clean_name(inventory.get("profile")) or "standard",
        date=dates.long_date(started),
        started=dates.timestamp(inventory.get("started_at")),
        finished=dates.timestamp(inventory.get("finished_at")),
        duration=dates.duration(inventory.get("started_at"), inventory.get("finished_at")),
        complete=inventory.get("complete") is True,
        scanner_ip=clean_name(scanner.get("ip")),
        interface=clean_name(scanner.get("interface")),
        privileged=scanner.get("privileged") is True,
        tool_version=clean_name(inventory.get("tool_version")),
        host_count=host_count,
        errors=tuple(errors[:MAX_ERRORS]),
        more_errors=max(0, len(errors) - MAX_ERRORS),
        port_plan=clean_text(inventory.get("port_plan")),
    )
