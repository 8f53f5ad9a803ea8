"""The typed inventory: what the scan knows about the network, as frozen dataclasses.

Checks read these objects and nothing else; the scanner's stages build them. The JSON form
(``inventory.json``) is a public format described by ``scanner/schema/inventory.schema.json``;
:func:`inventory_to_dict` and :func:`inventory_from_dict` are the only way in and out of it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from scanner.segment.records import Segment, segment_from_dict

# 1.2: ``partial`` and ``SourceError.lost`` (a scan that ran to its end but lost results),
# ``authorisation`` (who authorised the scan in writing), ``Host.answers_every_port``.
# 1.3: device classes ``camera`` and ``pdu``; ``SnmpInfo.identity`` also holds the standard-MIB
# identification facts (``mib.*`` keys, scanner/snmp/facts.py); ``Host.exposures`` and
# ``Host.doors_probed`` (services that answer without a password); ``segment`` (what the wire
# under the laptop said: LLDP/CDP, DHCP, IPv6, STP, name responders, ARP) and
# ``Host.switch_port`` (the switch port LLDP/CDP named); ``Host.incomplete`` (scan stages that did
# not complete for one host, and why); ``port_plan`` (which TCP ports the sweep asked
# on which devices, in words). Older files load with the defaults.
INVENTORY_SCHEMA_VERSION = "1.3"

# The per-host scan stages whose loss makes what a check reads about that host unknown.
STAGES = {"tcp": "the TCP port sweep", "services": "version detection and the evidence scripts",
          "udp": "the UDP port sweep"}

DEVICE_CLASSES = (
    "firewall", "router", "switch", "access_point", "server", "domain_controller",
    "hypervisor", "bmc", "workstation", "nas", "backup_appliance", "ups", "printer",
    "phone", "camera", "pdu", "iot", "unknown",
)


@dataclass(frozen=True)
class Service:
    """One open port on a host and what answers on it."""

    port: int
    protocol: str  # "tcp" or "udp"
    name: str = ""  # nmap's service name, e.g. "ssh", "ms-wbt-server"
    product: str = ""
    version: str = ""
    extra_info: str = ""
    tunnel: str = ""  # "ssl" when nmap saw TLS in front of the service
    scripts: dict[str, str] = field(default_factory=dict)  # NSE script id -> bounded output


@dataclass(frozen=True)
class SnmpInfo:
    """The SNMP system group of a host, and how it was reached."""

    version: str  # "v1", "v2c" or "v3"
    community: str  # "" for SNMPv3
    default_community: bool  # the community is a well-known default ("public", "private")
    sys_descr: str = ""
    sys_object_id: str = ""
    sys_name: str = ""
    sys_contact: str = ""
    sys_location: str = ""
    sys_uptime: int | None = None  # hundredths of a second
    # The deeper collection (scanner.snmp.tables); empty when the agent did not say.
    identity: dict[str, str] = field(default_factory=dict)  # key from snmp_oids.json -> text
    serial_number: str = ""
    installed_software: tuple[str, ...] = ()  # hrSWInstalledName, distinct and bounded
    running_software: tuple[str, ...] = ()  # hrSWRunName, distinct and bounded
    ups_battery_status: str = ""  # normal, low, depleted, fault, missing, replace, unknown
    ups_output_source: str = ""  # normal, battery, bypass, booster, reducer, none, other, unknown
    ups_runtime_minutes: int | None = None
    ups_charge_percent: int | None = None
    ups_load_percent: int | None = None
    ups_self_test: str = ""  # passed, warning, failed, aborted, invalid, in progress, never run
    printer_supplies: dict[str, int | None] = field(default_factory=dict)  # name -> % left
    detail_errors: tuple[str, ...] = ()  # what the deeper collection could not get, and why
    user: str = ""  # the SNMPv3 user that answered (never its keys)
    write_test: str = ""  # what the harmless write test did and what the agent answered


@dataclass(frozen=True)
class TlsCertificate:
    """The certificate a TLS service presented."""

    subject: str = ""
    issuer: str = ""
    not_before: str = ""  # ISO 8601 date
    not_after: str = ""  # ISO 8601 date
    self_signed: bool | None = None
    key_type: str = ""  # "rsa", "ec" …
    key_bits: int | None = None
    signature_algorithm: str = ""


@dataclass(frozen=True)
class WebInterface:
    """An HTTP(S) service, usually a device's admin page."""

    port: int
    scheme: str  # "http" or "https"
    title: str = ""
    server: str = ""  # the Server header
    redirects_to_https: bool | None = None
    certificate: TlsCertificate | None = None


@dataclass(frozen=True)
class SmbInfo:
    """What a Windows/Samba file service says about itself without credentials."""

    dialects: tuple[str, ...] = ()  # e.g. "NT LM 0.12" (SMBv1), "2.0.2", "3.1.1"
    smb1_enabled: bool | None = None
    signing_required: bool | None = None
    os: str = ""
    netbios_name: str = ""
    domain: str = ""  # NetBIOS domain or workgroup
    dns_domain: str = ""
    anonymous_shares: tuple[str, ...] = ()  # shares readable without a password


@dataclass(frozen=True)
class DirectoryInfo:
    """An LDAP directory's root DSE: which Active Directory domain a controller serves."""

    dns_domain: str = ""
    naming_context: str = ""
    dc_hostname: str = ""
    domain_functional_level: str = ""  # e.g. "2008 R2", "2016"
    forest_functional_level: str = ""
    global_catalog: bool | None = None


@dataclass(frozen=True)
class UpsStatus:
    """A UPS's state, from NUT (port 3493) or its SNMP card."""

    source: str  # "nut" or "snmp"
    name: str = ""
    status: str = ""  # NUT status words, e.g. "OL", "OB LB"
    on_battery: bool | None = None
    charge_percent: int | None = None
    runtime_minutes: int | None = None
    load_percent: int | None = None
    battery_needs_replacing: bool | None = None
    last_self_test: str = ""
    manufacturer: str = ""
    model: str = ""


@dataclass(frozen=True)
class Signal:
    """A sign of protection seen on the network: a backup target or agent, an AV agent …"""

    # backup_target, backup_agent, backup_appliance, offsite_backup, av_agent, av_console,
    # ups_agent (shuts the host down cleanly when its UPS runs low: PowerChute, NUT upsmon)
    kind: str
    product: str
    confidence: float  # 0..1
    evidence: str


@dataclass(frozen=True)
class Exposure:
    """Something a service gave without credentials that it should ask a password for.

    Found by the read-only probes of :mod:`scanner.probes`: a module list, a share, a UPS's
    variables, a database's INFO, a legacy TLS version offered …
    """

    kind: str  # see scanner/probes/__init__.py KINDS: "rsync_module", "smb_share", "redis" …
    port: int
    protocol: str = "tcp"
    name: str = ""  # the share, module, export, target or UPS; "" for the service itself
    access: str = ""  # "list", "read", "write", "query", "offered" (a weak protocol/algorithm)
    detail: str = ""  # what it answered (model, version, variables), bounded
    how: str = ""  # how the access was decided, for the evidence


@dataclass(frozen=True)
class StageGap:
    """A scan stage that did not complete for one host: what it would have seen is unknown."""

    stage: str  # a key of STAGES: "tcp", "services" or "udp"
    reason: str  # one bounded line, e.g. "nmap did not finish within 300 s"


@dataclass(frozen=True)
class Host:
    """One device on the LAN, merged from every source that saw it."""

    ip: str
    mac: str | None = None  # lower-case, colon-separated; the identity on a LAN
    vendor: str | None = None  # what the offline MAC registry says
    mac_private: bool = False  # locally administered (randomised/virtual) MAC
    hostnames: tuple[str, ...] = ()
    services: tuple[Service, ...] = ()
    snmp: SnmpInfo | None = None
    device_class: str = "unknown"
    manufacturer: str | None = None  # who made the device (may differ from the NIC vendor)
    model: str | None = None
    firmware: str | None = None
    os_family: str | None = None
    confidence: float = 0.0  # 0..1, for device_class
    evidence: tuple[str, ...] = ()  # why device_class/manufacturer/model were chosen
    discovered_by: tuple[str, ...] = ()  # "arp", "ping", "tcp" …
    is_gateway: bool = False
    netbios_name: str = ""
    mdns_names: tuple[str, ...] = ()  # names and DNS-SD service types announced by mDNS
    smb: SmbInfo | None = None
    directory: DirectoryInfo | None = None
    web: tuple[WebInterface, ...] = ()
    ups: UpsStatus | None = None
    upnp_igd: bool | None = None  # answers SSDP as an Internet Gateway Device
    snmp_writable: bool | None = None  # a default community can write (tested harmlessly)
    signals: tuple[Signal, ...] = ()
    av_status: str = "unknown"  # "protected", "not_seen" or "unknown"
    # More TCP ports answered than any real device opens (a firewall's SYN proxy, a tarpit):
    # only the services nmap identified are kept, and nothing is concluded from the others.
    answers_every_port: bool = False
    exposures: tuple[Exposure, ...] = ()  # what answered without a password (schema 1.3)
    doors_probed: tuple[str, ...] = ()  # the exposure kinds probed on this host, open or not
    # For a switch found by LLDP/CDP: the port of it the scanning laptop is plugged into.
    switch_port: str = ""
    # Stages that did not complete for this host (a stopped sweep, a killed service scan): what
    # they would have seen is unknown, so checks that read it say UNKNOWN here, never PASS.
    incomplete: tuple[StageGap, ...] = ()

    def missing(self, stage: str) -> StageGap | None:
        """The gap of one stage on this host, or None when the stage completed."""
        return next((gap for gap in self.incomplete if gap.stage == stage), None)

    def open_ports(self, protocol: str = "tcp") -> set[int]:
        """Port numbers open on this host for one protocol."""
        return {s.port for s in self.services if s.protocol == protocol}

    def service(self, port: int, protocol: str = "tcp") -> Service | None:
        """The service on one port, if open."""
        return next((s for s in self.services if s.port == port and s.protocol == protocol), None)

    @property
    def asset_key(self) -> str:
        """Stable identity across re-audits: MAC, else first hostname, else IP."""
        return self.mac or (self.hostnames[0] if self.hostnames else self.ip)

    @property
    def display_name(self) -> str:
        """The short name a person would use for this host."""
        if self.hostnames:
            return self.hostnames[0].split(".")[0]
        if self.snmp and self.snmp.sys_name:
            return self.snmp.sys_name
        return self.ip


@dataclass(frozen=True)
class SourceError:
    """Something a source could not do; kept so the report can say what was not seen."""

    source: str  # "arp", "nmap", "snmp", "dns", "network" …
    message: str
    target: str = ""
    # True when results were lost (an nmap run killed or failing, hosts that stopped answering
    # because the link went away): the inventory is then partial. False for benign notes.
    lost: bool = False


@dataclass(frozen=True)
class WanView:
    """What a scan from outside (the internet side of the firewall) saw."""

    target: str  # the firewall's public address
    services: tuple[Service, ...] = ()
    scanned_at: str = ""
    ports_scanned: str = ""  # what was asked, e.g. "tcp 1-65535"
    filtered: bool | None = None  # True: no port answered at all, open or closed (silent drop)
    errors: tuple[str, ...] = ()  # what the outside scan could not do


@dataclass(frozen=True)
class ScannerInfo:
    """Where the scan ran from."""

    ip: str | None = None
    mac: str | None = None
    interface: str | None = None
    privileged: bool = False


@dataclass(frozen=True)
class Authorisation:
    """The consultant's record of the client's written authorisation to scan.

    Built from the command line by :func:`scanner.authorisation.parse_authorisation`, which
    bounds the strings and checks the date.
    """

    by: str  # who authorised it, e.g. "Dr. Maria Chen, practice owner"
    on: str  # ISO 8601 date the authorisation was given
    reference: str = ""  # e.g. "signed engagement letter 2026-11-03"


@dataclass(frozen=True)
class Inventory:
    """Everything one scan found, with how and when it was found."""

    client: str
    targets: tuple[str, ...]
    hosts: tuple[Host, ...] = ()
    excluded: tuple[str, ...] = ()
    gateway: str | None = None  # IP of the scanner's default gateway
    scanner: ScannerInfo = field(default_factory=ScannerInfo)
    profile: str = "standard"
    started_at: str = ""
    finished_at: str = ""
    complete: bool = False
    # The scan lost results (see SourceError.lost; the reasons are those errors). A partial
    # inventory may still be complete: the scan ran to its end, but did not see everything.
    partial: bool = False
    errors: tuple[SourceError, ...] = ()
    authorisation: Authorisation | None = None  # None: no authorisation was recorded
    wan_view: WanView | None = None  # set by a --from-wan run; None when not looked at
    segment: Segment | None = None  # what the segment said; None: not listened (older files)
    # Which TCP ports the sweep asked on which devices, in words, for the methodology.
    port_plan: str = ""
    tool_version: str = ""
    schema_version: str = INVENTORY_SCHEMA_VERSION

    def host(self, ip: str) -> Host | None:
        """The host with this address, if any."""
        return next((h for h in self.hosts if h.ip == ip), None)

    def by_class(self, *classes: str) -> list[Host]:
        """Hosts whose device class is one of ``classes``."""
        return [h for h in self.hosts if h.device_class in classes]

    @property
    def gaps(self) -> tuple[SourceError, ...]:
        """The errors that lost results: why the inventory is partial."""
        return tuple(e for e in self.errors if e.lost)

    def with_hosts(self, hosts: list[Host] | tuple[Host, ...]) -> Inventory:
        """A copy with hosts replaced, sorted by address."""
        return replace(self, hosts=tuple(sorted(hosts, key=_ip_sort_key)))


def _ip_sort_key(host: Host) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in host.ip.split("."))
    except ValueError:
        return (999,)


def inventory_to_dict(inventory: Inventory) -> dict[str, Any]:
    """The JSON-ready form of an inventory (the public ``inventory.json`` format)."""
    data = asdict(inventory)
    data = {"schema_version": data.pop("schema_version"), **data}
    return _lists(data)


def _lists(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _lists(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_lists(item) for item in value]
    return value


def _build(cls: type, data: dict[str, Any]) -> Any:
    """Construct a dataclass from a dict, ignoring unknown keys and turning lists into tuples."""
    known = {f.name: f for f in fields(cls)}
    kwargs = {}
    for key, value in data.items():
        if key not in known:
            continue
        if isinstance(value, list):
            value = tuple(value)
        kwargs[key] = value
    return cls(**kwargs)


def _web_from_dict(data: dict[str, Any]) -> WebInterface:
    web = _build(WebInterface, {k: v for k, v in data.items() if k != "certificate"})
    certificate = data.get("certificate")
    return replace(web, certificate=_build(TlsCertificate, certificate) if certificate else None)


_NESTED_ONE = {"snmp": SnmpInfo, "smb": SmbInfo, "directory": DirectoryInfo, "ups": UpsStatus}


def host_from_dict(data: dict[str, Any]) -> Host:
    """A Host from its JSON form."""
    nested = {key: _build(cls, data[key]) if data.get(key) else None
              for key, cls in _NESTED_ONE.items()}
    host = _build(Host, {k: v for k, v in data.items()
                         if k not in (*_NESTED_ONE, "services", "web", "signals",
                                      "exposures", "incomplete")})
    return replace(host, **nested,
                   incomplete=tuple(_build(StageGap, g) for g in data.get("incomplete", ())),
                   services=tuple(_build(Service, s) for s in data.get("services", ())),
                   web=tuple(_web_from_dict(w) for w in data.get("web", ())),
                   signals=tuple(_build(Signal, g) for g in data.get("signals", ())),
                   exposures=tuple(_build(Exposure, e) for e in data.get("exposures", ())))


def inventory_from_dict(data: dict[str, Any]) -> Inventory:
    """An Inventory from its JSON form (the caller validates the schema first)."""
    base = {k: v for k, v in data.items()
            if k not in ("hosts", "errors", "scanner", "wan_view", "authorisation", "segment")}
    inventory = _build(Inventory, base)
    wan = data.get("wan_view")
    authorisation = data.get("authorisation")
    return replace(
        inventory,
        wan_view=replace(_build(WanView, wan), services=tuple(
            _build(Service, s) for s in wan.get("services", ()))) if wan else None,
        hosts=tuple(host_from_dict(h) for h in data.get("hosts", ())),
        errors=tuple(_build(SourceError, e) for e in data.get("errors", ())),
        scanner=_build(ScannerInfo, data.get("scanner") or {}),
        authorisation=_build(Authorisation, authorisation) if authorisation else None,
        segment=segment_from_dict(data["segment"]) if data.get("segment") else None,
    )
