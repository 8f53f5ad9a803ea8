"""PWR: power protection — UPS units and their management."""

from __future__ import annotations

from collections.abc import Iterator

from checks.common import fail_where_known, host_label, interview_missing, scan_saw_nothing
from checks.context import Context
from checks.model import Result, Severity, Status
from checks.registry import check
from scanner.model import Host

UPS_PORTS = {3493: "NUT UPS server", 3052: "APC PowerChute"}


@check(
    id="PWR-001", title="No UPS found on the network",
    severity=Severity.MEDIUM,
    risk="""A power cut or brown-out takes the server and network down hard, which corrupts
    data and can kill disks. Without a managed UPS nobody is warned, and the server is not shut
    down cleanly.""",
    remediation=("Put the server, firewall and core switch on a UPS with a network card.",
                 "Configure automatic clean shutdown of the server on low battery.",
                 "Monitor the UPS and test its battery twice a year."),
    service="Power protection monitoring",
    references=("https://www.apc.com/us/en/faqs/FA158852/",),
)
def ups_present(ctx: Context) -> Iterator[Result]:
    """PASS when a UPS (by identification or UPS service ports) is on the network."""
    nothing = scan_saw_nothing(ctx)
    if nothing:
        yield nothing
        return
    evidence = [f"{host_label(h)} is a UPS ({h.manufacturer or 'make unknown'})"
                for h in ctx.inventory.by_class("ups")]
    for host in ctx.hosts:
        evidence += [f"{host_label(host)} {port}/tcp: {UPS_PORTS[port]}"
                     for port in sorted(host.open_ports() & UPS_PORTS.keys())]
    if evidence:
        yield Result(Status.PASS, "A network-managed UPS was found.", evidence=tuple(evidence))
    else:
        yield Result(Status.FAIL, "No network-managed UPS was seen (a UPS without a network "
                     "card may still exist: ask on site).",
                     evidence=(f"{len(ctx.hosts)} devices scanned; none is a UPS",))


def _ups_hosts(ctx: Context) -> list[Host]:
    return [h for h in ctx.hosts if h.ups is not None or h.device_class == "ups"]


def _state(host: Host) -> str:
    ups = host.ups
    if ups is None:
        return "no status read"
    parts = [f"status {ups.status}" if ups.status else "",
             f"charge {ups.charge_percent}%" if ups.charge_percent is not None else "",
             f"runtime {ups.runtime_minutes} min" if ups.runtime_minutes is not None else "",
             f"load {ups.load_percent}%" if ups.load_percent is not None else ""]
    return f"{host.ip} ({ups.source}): " + ", ".join(p for p in parts if p)


UPS_NOT_READ = "the UPS's status could not be read (no NUT or SNMP UPS data)"
NO_UPS = "no UPS was found"


@check(
    id="PWR-002", title="A UPS is running on battery or its battery is low",
    severity=Severity.HIGH,
    risk="""The UPS is already using its battery: the next few minutes decide whether the
    server shuts down cleanly or crashes. It often means a tripped breaker or failing power
    feed nobody has noticed.""",
    remediation=("Check the UPS's input power (plug, breaker, wall socket) now.",
                 "Make sure the server shuts down automatically before the battery runs out."),
    service="Power protection monitoring",
    references=("https://networkupstools.org/docs/developer-guide.chunked/new-drivers.html",),
)
def ups_on_battery(ctx: Context) -> Iterator[Result]:
    """FAIL for a UPS whose status says on battery (OB) or low battery (LB)."""
    def on_battery(host: Host) -> bool:
        words = host.ups.status.split() if host.ups else []
        return bool(host.ups and (host.ups.on_battery or "OB" in words or "LB" in words))

    yield from fail_where_known(
        _ups_hosts(ctx), lambda h: h.ups is not None and (bool(h.ups.status) or
                                                          h.ups.on_battery is not None),
        on_battery, lambda h: f"The UPS {host_label(h)} is running on battery.",
        lambda h: [_state(h)], "Every UPS is on mains power.", UPS_NOT_READ, NO_UPS)


@check(
    id="PWR-003", title="A UPS battery needs replacing",
    severity=Severity.HIGH,
    risk="""UPS batteries wear out in three to five years. A worn battery looks fine until the
    power fails — then the UPS drops the load at once and the server crashes anyway.""",
    remediation=("Replace the battery (or the UPS if it is out of support).",
                 "Run a self-test after replacing it and schedule one every six months."),
    service="Power protection monitoring",
    references=("https://www.apc.com/us/en/faqs/FA158852/",),
)
def ups_battery_replace(ctx: Context) -> Iterator[Result]:
    """FAIL when a UPS reports its battery needs replacing (RB) or failed its self-test."""
    def worn(host: Host) -> bool:
        ups = host.ups
        return bool(ups and (ups.battery_needs_replacing or "RB" in ups.status.split()
                             or ups.last_self_test.lower().startswith("fail")))

    yield from fail_where_known(
        _ups_hosts(ctx), lambda h: h.ups is not None and (bool(h.ups.status) or
                                                          h.ups.battery_needs_replacing
                                                          is not None),
        worn, lambda h: f"The UPS {host_label(h)} reports a worn battery.",
        lambda h: [_state(h), f"last self-test: {h.ups.last_self_test or 'not reported'}"],
        "No UPS reports a worn battery.", UPS_NOT_READ, NO_UPS)


MIN_RUNTIME_MINUTES = 10
MAX_LOAD_PERCENT = 80


@check(
    id="PWR-004", title="A UPS would last less than ten minutes",
    severity=Severity.MEDIUM,
    risk="""At today's load the UPS cannot carry the equipment long enough to ride out a
    short outage and still shut the server down cleanly.""",
    remediation=("Move non-essential equipment (printers, heaters) off the UPS.",
                 "Replace the battery, or size up the UPS for the load."),
    service="Power protection monitoring",
    references=("https://www.apc.com/us/en/faqs/FA158852/",),
)
def ups_runtime(ctx: Context) -> Iterator[Result]:
    """FAIL for a UPS whose estimated runtime is under ten minutes."""
    yield from fail_where_known(
        _ups_hosts(ctx), lambda h: h.ups is not None and h.ups.runtime_minutes is not None,
        lambda h: h.ups.runtime_minutes < MIN_RUNTIME_MINUTES,
        lambda h: f"The UPS {host_label(h)} has only {h.ups.runtime_minutes} minutes of runtime.",
        lambda h: [_state(h)], f"Every UPS has at least {MIN_RUNTIME_MINUTES} minutes of runtime.",
        "no UPS reported its runtime", NO_UPS)


@check(
    id="PWR-005", title="A UPS is loaded above 80%",
    severity=Severity.MEDIUM,
    risk="""A UPS near its limit gives little runtime, ages its battery fast and can shut off
    when one more device starts up.""",
    remediation=("Move equipment that does not need protection off the UPS.",
                 "Add or upsize a UPS for the critical equipment."),
    service="Power protection monitoring",
    references=("https://www.apc.com/us/en/faqs/FA158852/",),
)
def ups_load(ctx: Context) -> Iterator[Result]:
    """FAIL for a UPS reporting more than 80% load."""
    yield from fail_where_known(
        _ups_hosts(ctx), lambda h: h.ups is not None and h.ups.load_percent is not None,
        lambda h: h.ups.load_percent > MAX_LOAD_PERCENT,
        lambda h: f"The UPS {host_label(h)} is loaded to {h.ups.load_percent}%.",
        lambda h: [_state(h)], f"Every UPS is loaded below {MAX_LOAD_PERCENT}%.",
        "no UPS reported its load", NO_UPS)


@check(
    id="PWR-006", title="The server is not on a UPS",
    severity=Severity.MEDIUM,
    risk="""A power blip turns off the server mid-write: databases and file shares get
    corrupted, and restoring them takes a day of downtime.""",
    remediation=("Plug the server (and the firewall and core switch) into the UPS.",
                 "Set up automatic shutdown of the server on low battery."),
    service="Power protection monitoring",
    references=("https://www.apc.com/us/en/faqs/FA158852/",),
)
def server_on_ups(ctx: Context) -> Iterator[Result]:
    """From the interview (ups_devices): PASS when the server is named as on a UPS."""
    servers = ctx.inventory.by_class("server", "domain_controller", "hypervisor", "nas")
    if not servers:
        yield Result(Status.NOT_APPLICABLE, "There is no server to protect.",
                     reason="no server or NAS was found")
        return
    missing = interview_missing(ctx, "ups_devices")
    if missing:
        yield missing
        return
    devices = ctx.interview["ups_devices"]
    listed = " ".join(devices if isinstance(devices, list) else [str(devices)]).lower()
    if "server" in listed:
        yield Result(Status.PASS, "The server is on a UPS.",
                     evidence=(f"interview: ups_devices = {devices}",))
    else:
        yield Result(Status.FAIL, "Nobody could say the server is on a UPS.",
                     evidence=(f"interview: ups_devices = {devices}",
                               *(f"server: {host_label(h)}" for h in servers[:5])))
