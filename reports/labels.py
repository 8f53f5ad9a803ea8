"""The words the report uses: area, device class, severity and verdict labels, as data tables.

Keys are the values of the public JSON formats (``area``, ``device_class``, ``severity``,
``verdict``); values are what a business owner reads. Unknown keys fall back to a tidied-up
version of the key, so a new area or class never breaks a report.
"""

from __future__ import annotations

# Chapter numbers, in one place: the chapters, the contents and every cross-reference use them.
CHAPTERS: dict[str, str] = {"summary": "1", "fit": "2", "offer": "3", "findings": "4",
                            "not_assessed": "5", "inventory": "6", "directory": "7"}


def appendix_letters(priced: bool, accepted: bool) -> dict[str, str]:
    """Letters of the appendices this report has: the method always, then the pricing
    workings when a plan was priced, then the accepted risks when there are any."""
    names = ["method"] + (["pricing"] if priced else []) + (["accepted"] if accepted else [])
    return {name: chr(ord("A") + index) for index, name in enumerate(names)}

AREA_ORDER: tuple[str, ...] = (
    "firewall", "backup", "av", "power", "servers", "network", "exposure", "directory", "fit",
)

AREA_NAMES: dict[str, str] = {
    "firewall": "Firewall & gateway",
    "backup": "Backup",
    "av": "Antivirus / endpoint",
    "power": "Power protection",
    "servers": "Servers & domain",
    "network": "Network design",
    "exposure": "Exposure & hygiene",
    "directory": "Active Directory",
    "fit": "Fit for managed IT",
}

# The check profile ``findings.json`` names when no profile was chosen (not worth printing).
DEFAULT_CHECK_PROFILE = "default"

# Areas that are scored but are not a risk to the client (they feed the verdict instead).
NOT_RISK_AREAS: frozenset[str] = frozenset({"fit"})

DEVICE_CLASS_LABELS: dict[str, str] = {
    "firewall": "Firewall",
    "router": "Router",
    "switch": "Switch",
    "access_point": "Wireless access point",
    "server": "Server",
    "domain_controller": "Domain controller",
    "hypervisor": "Virtualisation host",
    "bmc": "Server management card",
    "workstation": "Workstation",
    "nas": "Network storage (NAS)",
    "backup_appliance": "Backup appliance",
    "ups": "UPS",
    "printer": "Printer",
    "phone": "Phone / VoIP",
    "camera": "Camera / video recorder",
    "pdu": "Power distribution unit (PDU)",
    "iot": "IoT / smart device",
    "unknown": "Unidentified",
}

# Order for the "devices by type" table: infrastructure first, then people's devices.
DEVICE_CLASS_ORDER: tuple[str, ...] = tuple(DEVICE_CLASS_LABELS)

SEVERITY_ORDER: tuple[str, ...] = ("critical", "high", "medium", "low", "info")

SEVERITY_LABELS: dict[str, str] = {
    "critical": "Critical",
    "high": "High",
    "medium": "Medium",
    "low": "Low",
    "info": "Info",
}

# The severity colours of report.css (--critical …), for drawings; info is never drawn.
SEVERITY_COLORS: dict[str, str] = {
    "critical": "#a61b29",
    "high": "#d9480f",
    "medium": "#e09c00",
    "low": "#3b73b9",
}
# Text on a severity colour: white, except on the light amber of "medium".
SEVERITY_TEXT_COLORS: dict[str, str] = {"medium": "#2a1f00"}

# The network picture: which device classes are network gear (drawn between the gateway and
# the office network), and how the other devices are grouped, in drawing order. Each group:
# (key, label, singular noun, plural noun, device classes). Classes in no group are drawn
# with the unidentified devices.
# Network gear: (kind shown on its box, singular and plural nouns for a count of them).
NETWORK_GEAR: dict[str, tuple[str, str, str]] = {
    "switch": ("Switch", "switch", "switches"),
    "access_point": ("Access point", "access point", "access points"),
    "router": ("Router", "router or firewall", "routers & firewalls"),
    "firewall": ("Firewall", "router or firewall", "routers & firewalls"),
}
DEVICE_GROUPS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("servers", "Servers & domain", "server", "servers",
     ("server", "domain_controller", "hypervisor", "bmc")),
    ("storage", "Storage & backup", "storage device", "storage devices",
     ("nas", "backup_appliance")),
    ("power", "Power", "UPS or PDU", "UPS units & PDUs", ("ups", "pdu")),
    ("printers", "Printers", "printer", "printers", ("printer",)),
    ("workstations", "Workstations", "workstation", "workstations", ("workstation",)),
    ("phones_iot", "Phones & IoT", "phone or IoT device", "phones & IoT devices",
     ("phone", "camera", "iot")),
    ("unknown", "Unidentified", "unidentified device", "unidentified devices", ("unknown",)),
)

# nmap service names a client would not recognise -> the name people use.
SERVICE_ALIASES: dict[str, str] = {
    "ms-wbt-server": "rdp",
    "microsoft-ds": "smb",
    "netbios-ssn": "netbios",
    "msrpc": "rpc",
    "domain": "dns",
    "ldapssl": "ldaps",
    "globalcatLDAP": "ldap-gc",
    "globalcatLDAPssl": "ldaps-gc",
    "kerberos-sec": "kerberos",
    "kpasswd5": "kpasswd",
    "http-proxy": "http-alt",
    "jetdirect": "raw-print",
    "ipp": "ipp-print",
    "printer": "lpd",
}

VERDICT_TONES: dict[str, str] = {
    "sweet_spot": "good",
    "too_small": "neutral",
    "too_large": "neutral",
    "need_more_information": "pending",
}

VERDICT_SENTENCES: dict[str, str] = {
    "sweet_spot": (
        "{client} is the right size, and has the right needs, for a flat-rate managed IT plan."
    ),
    "too_small": (
        "{client} is probably too small to get full value from a flat-rate managed IT plan today."
    ),
    "too_large": (
        "{client} has more to look after than a small-office flat-rate plan is designed to cover."
    ),
    "need_more_information": (
        "We need a little more information before we can recommend a plan for {client}."
    ),
}

# A criterion's ``met`` says whether it argues for a flat-rate plan; how that reads depends on
# its kind. Key: (kind, met, gap) -> (css state, label). Kind "" is the older, kind-less form.
CRITERION_STATES: dict[tuple[str, bool | None, bool | None], tuple[str, str]] = {
    ("", True, None): ("met", "Met"),
    ("", False, None): ("unmet", "Not met"),
    ("size", True, None): ("met", "Fits"),
    ("size", False, None): ("unmet", "Does not fit"),
    ("need", True, True): ("met", "Needed, missing today"),
    ("need", True, False): ("met", "Needed, in place"),
    ("need", True, None): ("met", "Needed"),
    ("need", False, None): ("unmet", "Not needed"),
    ("means", True, None): ("met", "Yes"),
    ("means", False, None): ("unmet", "No"),
}
CRITERION_UNKNOWN = ("open", "Not yet known")


def criterion_state(kind: str, met: bool | None, gap: bool | None) -> tuple[str, str]:
    """The (css state, label) of a verdict criterion."""
    if met is None:
        return CRITERION_UNKNOWN
    kind = kind if kind in ("size", "need", "means") else ""
    gap = gap if kind == "need" and met else None
    return CRITERION_STATES.get((kind, met, gap)) or CRITERION_STATES[("", met, None)]


def tidy_key(key: str) -> str:
    """A readable fallback label for an unknown key: ``"new_area"`` -> ``"New area"``."""
    words = key.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else "Other"


def area_name(area: str) -> str:
    """The display name of an area key."""
    return AREA_NAMES.get(area, tidy_key(area))


def device_class_label(device_class: str) -> str:
    """The human label of a device class."""
    return DEVICE_CLASS_LABELS.get(device_class, tidy_key(device_class))


def severity_rank(severity: str) -> int:
    """0 for critical … 4 for info; unknown severities sort last."""
    try:
        return SEVERITY_ORDER.index(severity)
    except ValueError:
        return len(SEVERITY_ORDER)


def area_rank(area: str) -> int:
    """Position of an area in the report; unknown areas come after the known ones."""
    try:
        return AREA_ORDER.index(area)
    except ValueError:
        return len(AREA_ORDER)
