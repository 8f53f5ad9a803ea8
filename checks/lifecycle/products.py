"""The devices whose firmware is judged by its vendor's support: what names them, where the
version is read, and which endoflife.date product (if any) holds their dates.

A data table, not code: each entry says how the scan recognises the product (an SNMP identity
value, a sysDescr pattern, the maker named by identification, an nmap service product) and the
endoflife.date id of its lifecycle. ``lifecycle=None`` means endoflife.date has no data for it
(checked at the snapshot, see the package README): such a device is reported as unknown, with
the vendor's own lifecycle page when one is known, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class FirmwareProduct:
    """One kind of firmware or appliance system the lifecycle checks can recognise."""

    name: str  # as people call it, e.g. "FortiOS"
    area: str  # "firewall", "storage", "hypervisor" or "bmc"
    lifecycle: str | None  # endoflife.date id, None when it has no data
    identity_keys: tuple[str, ...] = ()  # SNMP identity values holding the version
    sys_descr: re.Pattern[str] | None = None  # group "version" holds the version
    makers: tuple[str, ...] = ()  # identified manufacturer names (lower case, substring)
    device_classes: tuple[str, ...] = ()  # limit the maker match to these device classes
    service_product: re.Pattern[str] | None = None  # nmap service product naming it
    vendor_page: str = ""  # the vendor's lifecycle page, for unknown verdicts


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


FIRMWARE_PRODUCTS: tuple[FirmwareProduct, ...] = (
    FirmwareProduct("FortiOS", "firewall", "fortios", identity_keys=("fortinet.version",),
                    makers=("fortinet",)),
    FirmwareProduct("PAN-OS", "firewall", "panos", sys_descr=_p(r"PAN-OS (?P<version>[\d.]+)"),
                    makers=("palo alto",)),
    FirmwareProduct("OPNsense", "firewall", "opnsense",
                    sys_descr=_p(r"(?:HBSD|OPNsense).*?\(stable/(?P<version>[\d.]+)\)"),
                    makers=("deciso", "opnsense")),
    FirmwareProduct("RouterOS", "firewall", "routeros",
                    sys_descr=_p(r"RouterOS (?P<version>\d+\.[\d.]+)"), makers=("mikrotik",),
                    # its FTP server reports the RouterOS version ("MikroTik 6.48.6")
                    service_product=_p(r"^MikroTik router ftpd$")),
    FirmwareProduct("Stormshield SNS", "firewall", "sns-firmware", makers=("stormshield",)),
    FirmwareProduct("Cisco IOS XE", "firewall", "cisco-ios-xe",
                    sys_descr=_p(r"IOS[ -]XE.*?Version (?P<version>\d+\.\d+[\w.]*)")),
    FirmwareProduct("OpenWrt", "firewall", "openwrt", sys_descr=_p(r"OpenWrt (?P<version>[\d.]+)"),
                    makers=("openwrt",)),
    FirmwareProduct("SonicOS", "firewall", None, identity_keys=("sonicwall.firmware",),
                    sys_descr=_p(r"\(SonicOS (?P<version>[^)]+)\)"), makers=("sonicwall",),
                    vendor_page="https://www.sonicwall.com/support/product-lifecycle-tables/"),
    FirmwareProduct("Sophos Firewall OS", "firewall", None, identity_keys=("sophos.firmware",),
                    makers=("sophos",)),
    FirmwareProduct("pfSense", "firewall", None,
                    sys_descr=_p(r"^pfSense \S+ (?P<version>\S+) pfSense"), makers=("netgate",),
                    vendor_page="https://docs.netgate.com/pfsense/en/latest/releases/"
                                "versions.html"),
    FirmwareProduct("Cisco ASA", "firewall", None,
                    sys_descr=_p(r"Adaptive Security Appliance Version (?P<version>\S+)")),
    FirmwareProduct("Synology DSM", "storage", None, identity_keys=("synology.version",),
                    makers=("synology",),
                    vendor_page="https://www.synology.com/en-global/products/status"),
    FirmwareProduct("QNAP QTS", "storage", None, makers=("qnap",),
                    vendor_page="https://www.qnap.com/en/product/eol.php"),
    FirmwareProduct("Proxmox Backup Server", "storage", "proxmox-backup-server",
                    service_product=_p(r"Proxmox Backup Server")),
    FirmwareProduct("VMware ESXi", "hypervisor", "esxi",
                    sys_descr=_p(r"VMware ESXi (?P<version>\d+\.\d+(?:\.\d+)?)"),
                    makers=("vmware",), device_classes=("hypervisor",),
                    service_product=_p(r"VMware ESXi")),
    FirmwareProduct("Proxmox VE", "hypervisor", "proxmox-ve", makers=("proxmox",),
                    service_product=_p(r"Proxmox Virtual Environment")),
    FirmwareProduct("Dell iDRAC", "bmc", None, identity_keys=("dell.idrac_firmware",),
                    makers=("dell",), device_classes=("bmc",)),
    FirmwareProduct("HPE iLO", "bmc", None, makers=("hewlett", "hpe", "hp"),
                    device_classes=("bmc",)),
)
