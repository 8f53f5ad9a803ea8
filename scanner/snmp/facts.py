"""What the standard MIBs say a device *is*: small text facts for identification.

Pure functions over answers already read, shared by the live collection
(:mod:`scanner.snmp.tables`) and the offline reading of a walk file (:mod:`scanner.snmp.offline`),
so both give identification the same facts. Each fact is kept in ``SnmpInfo.identity`` under a
``mib.`` key as short, bounded text:

* ``mib.services``: sysServices (RFC 1213): the OSI layers the agent says it serves;
* ``mib.ip_forwarding``: IP-MIB ipForwarding, ``1`` forwarding (a router), ``2`` a host;
* ``mib.bridge_ports``: BRIDGE-MIB dot1dBaseNumPorts;
* ``mib.lldp_caps``: LLDP-MIB lldpLocSysCapEnabled as names (``bridge,router``);
* ``mib.if_names``: IF-MIB ifDescr values (at most 16 distinct, ``|``-separated);
* ``mib.if_types``: IF-MIB ifType counts (``6:24,71:2``; 6 Ethernet, 71 IEEE 802.11);
* ``mib.hr_devices``: HOST-RESOURCES-MIB hrDeviceType names (``printer,processor``);
* ``mib.hr_storage``: hrStorageDescr values (at most 16, ``|``-separated);
* ``mib.present``: which standard MIBs answered at all (``printer,ups,dot11,qbridge,bridge``);
* ``mib.enterprises``: the vendor subtrees seen under 1.3.6.1.4.1 (enterprise numbers).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from scanner.snmp.parse import as_int, clean_value, text_of

SYS_SERVICES = "1.3.6.1.2.1.1.7.0"
IP_FORWARDING = "1.3.6.1.2.1.4.1.0"
BRIDGE_PORTS = "1.3.6.1.2.1.17.1.2.0"
LLDP_CAPS_ENABLED = "1.0.8802.1.1.2.1.3.6.0"
SCALARS = (SYS_SERVICES, IP_FORWARDING, BRIDGE_PORTS, LLDP_CAPS_ENABLED)

IF_DESCR = "1.3.6.1.2.1.2.2.1.2"
IF_TYPE = "1.3.6.1.2.1.2.2.1.3"
HR_DEVICE_TYPE = "1.3.6.1.2.1.25.3.2.1.2"
HR_STORAGE_DESCR = "1.3.6.1.2.1.25.2.3.1.3"
COLUMNS = {IF_DESCR: 64, IF_TYPE: 128, HR_DEVICE_TYPE: 32, HR_STORAGE_DESCR: 16}

# Standard MIB subtrees whose mere presence says something about the device.
PRESENCE = {
    "printer": "1.3.6.1.2.1.43",  # Printer-MIB (RFC 3805)
    "ups": "1.3.6.1.2.1.33",  # UPS-MIB (RFC 1628)
    "dot11": "1.2.840.10036",  # IEEE 802.11 MIB
    "qbridge": "1.3.6.1.2.1.17.7",  # Q-BRIDGE-MIB
    "bridge": "1.3.6.1.2.1.17",  # BRIDGE-MIB
    "entity_sensor": "1.3.6.1.2.1.99",  # ENTITY-SENSOR-MIB
}
ENTERPRISES = "1.3.6.1.4.1"
MAX_ENTERPRISES = 12

LLDP_BITS = ("other", "repeater", "bridge", "wlanAccessPoint", "router", "telephone",
             "docsisCableDevice", "stationOnly")
HR_DEVICE_TYPES = {3: "processor", 4: "network", 5: "printer", 6: "diskStorage", 10: "video",
                   11: "audio", 12: "coprocessor", 13: "keyboard", 14: "modem",
                   15: "parallelPort", 16: "pointing", 17: "serialPort", 18: "tape",
                   19: "clock", 20: "volatileMemory", 21: "nonVolatileMemory"}


def lldp_capabilities(value: object) -> str:
    """lldpLocSysCapEnabled (BITS, most significant bit first) as comma-separated names."""
    as_octets = getattr(value, "asOctets", None)
    data = as_octets() if as_octets is not None else value
    if isinstance(data, str):
        data = data.encode("latin-1", errors="replace")
    if not isinstance(data, bytes):
        return ""
    names = [name for bit, name in enumerate(LLDP_BITS)
             if bit // 8 < len(data) and data[bit // 8] & (0x80 >> (bit % 8))]
    return ",".join(names)


def enterprise_numbers(oids: Iterable[str]) -> list[int]:
    """Distinct enterprise numbers of the OIDs under 1.3.6.1.4.1, in order, bounded."""
    seen: list[int] = []
    prefix = ENTERPRISES + "."
    for oid in oids:
        if not oid.startswith(prefix):
            continue
        number = oid[len(prefix):].split(".", 1)[0]
        if number.isdigit() and len(number) < 10 and int(number) not in seen:
            seen.append(int(number))
            if len(seen) >= MAX_ENTERPRISES:
                break
    return seen


def mib_facts(scalars: Mapping[str, object], columns: Mapping[str, Sequence[tuple[str, object]]],
              present: Iterable[str], enterprises: Iterable[int]) -> dict[str, str]:
    """The ``mib.*`` identity facts from raw answers (absent answers: no key)."""
    facts: dict[str, str] = {}
    for key, oid in (("mib.services", SYS_SERVICES), ("mib.ip_forwarding", IP_FORWARDING),
                     ("mib.bridge_ports", BRIDGE_PORTS)):
        number = as_int(scalars.get(oid))
        if number is not None and 0 <= number < 1_000_000:
            facts[key] = str(number)
    if LLDP_CAPS_ENABLED in scalars:
        caps = lldp_capabilities(scalars[LLDP_CAPS_ENABLED])
        if caps:
            facts["mib.lldp_caps"] = caps
    types = Counter(as_int(value) for _oid, value in columns.get(IF_TYPE, ())[:COLUMNS[IF_TYPE]])
    types.pop(None, None)
    if types:
        facts["mib.if_types"] = ",".join(f"{kind}:{count}" for kind, count in types.most_common(8))
    interfaces: list[str] = []
    for _oid, value in columns.get(IF_DESCR, ())[:COLUMNS[IF_DESCR]]:
        name = clean_value(value)[:32].replace("|", "/")
        if name and name not in interfaces and len(interfaces) < 16:
            interfaces.append(name)
    if interfaces:
        facts["mib.if_names"] = "|".join(interfaces)
    devices = []
    for _oid, value in columns.get(HR_DEVICE_TYPE, ())[:COLUMNS[HR_DEVICE_TYPE]]:
        number = as_int(text_of(value).strip(".").rsplit(".", 1)[-1])
        name = HR_DEVICE_TYPES.get(number or 0)
        if name and name not in devices:
            devices.append(name)
    if devices:
        facts["mib.hr_devices"] = ",".join(devices)
    storage = [clean_value(value)[:48] for _oid, value in
               columns.get(HR_STORAGE_DESCR, ())[:16]]
    if any(storage):
        facts["mib.hr_storage"] = "|".join(name.replace("|", "/") for name in storage if name)
    found = sorted(set(present) & set(PRESENCE))
    if found:
        facts["mib.present"] = ",".join(found)
    numbers = list(enterprises)[:MAX_ENTERPRISES]
    if numbers:
        facts["mib.enterprises"] = ",".join(map(str, numbers))
    return facts
