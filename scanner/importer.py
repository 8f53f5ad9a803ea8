"""``sitewalk import``: an inventory from an existing nmap XML report.

Consultants often arrive with an nmap scan already done; this turns it into the same
``inventory.json`` a sitewalk scan writes, so the checks and the report work on it. What nmap
did not collect (SNMP, the gateway) stays empty and the checks say so.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from xml.etree.ElementTree import ParseError

from scanner import __version__
from scanner.folder import FolderError, save_inventory
from scanner.identify import classify
from scanner.macvendor import is_locally_administered, vendor_for
from scanner.model import Host, Inventory
from scanner.nmap_scan import hosts_from_xml

MAX_XML_BYTES = 200 * 1024 * 1024


def import_nmap_xml(xml_path: Path, client: str, folder: Path) -> Inventory:
    """Read an nmap XML report and write the assessment folder's ``inventory.json``."""
    try:
        size = xml_path.stat().st_size
        if size > MAX_XML_BYTES:
            raise FolderError(f"{xml_path}: {size} bytes is larger than the "
                              f"{MAX_XML_BYTES // 2**20} MiB limit for an nmap report")
        text = xml_path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise FolderError(f"{xml_path}: file not found") from None
    except IsADirectoryError:
        raise FolderError(f"{xml_path}: is a directory, not an nmap XML file") from None
    if "<!ENTITY" in text:
        raise FolderError(f"{xml_path}: XML entity declarations are not accepted "
                          "(nmap never writes them)")
    try:
        found = hosts_from_xml(text)
    except (ParseError, Exception) as exc:  # python-nmap raises its own and bare Exceptions
        raise FolderError(f"{xml_path}: not a readable nmap XML report "
                          f"({exc.__class__.__name__})") from None
    hosts = []
    for entry in found:
        mac = entry.mac
        hosts.append(classify(Host(
            ip=entry.ip, mac=mac, vendor=vendor_for(mac) if mac else None,
            mac_private=bool(mac and is_locally_administered(mac)),
            hostnames=tuple(entry.hostnames), services=tuple(entry.services),
            discovered_by=("nmap-import",))))
    now = datetime.now(UTC).isoformat(timespec="seconds")
    inventory = Inventory(client=client, targets=(f"imported from {xml_path.name}",),
                          profile="import", started_at=now, finished_at=now, complete=True,
                          tool_version=__version__).with_hosts(hosts)
    folder.mkdir(parents=True, exist_ok=True)
    save_inventory(folder, inventory)
    return inventory
