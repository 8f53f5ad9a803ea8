"""SRV: servers and the domain — end of life, the directory, redundancy, management cards."""

from __future__ import annotations

import re
from collections.abc import Iterator

from checks.ad.support import with_directory
from checks.common import fail_each, fail_where_known, host_label
from checks.context import Context
from checks.lifecycle.identify import scan_day
from checks.lifecycle.model import ENDED
from checks.lifecycle.results import Chooser, support_results
from checks.model import Result, Severity, Status
from checks.registry import check
from scanner.model import Host

SERVER_CLASSES = ("server", "domain_controller", "hypervisor")


def _os_sighting(*classes: str, area: str) -> Chooser:
    """Windows sightings of ``area``, and Linux distributions on hosts of ``classes``."""
    return lambda host, sighting: sighting.area == area or (
        sighting.area == "distribution" and host.device_class in classes)


@check(
    id="SRV-001", title="A server runs an operating system past its end of support",
    severity=Severity.CRITICAL,
    risk="""The vendor no longer fixes security holes in this system. Every new flaw found
    stays open for good, and attack tools for them are public. Insurers may refuse claims
    for breaches through unsupported systems.""",
    remediation=("Plan the server's replacement or upgrade this quarter.",
                 "Until then, isolate it and restrict who can reach it.",
                 "Consider Microsoft's Extended Security Updates where available."),
    service="Server and domain management",
    references=("https://learn.microsoft.com/en-us/lifecycle/products/",
                "https://endoflife.date/windows-server"),
)
def eol_server(ctx: Context) -> Iterator[Result]:
    """FAIL for a server whose Windows Server release (SMB, SNMP or LDAP evidence) or Linux
    distribution release (packaged banners) is past its end of support in the lifecycle
    table, as of the scan day. Extended Security Updates are not assumed. With a directory
    audit, the Windows Server computers in use (logon within 90 days) are judged from their
    operatingSystem/operatingSystemVersion too, each named, also those the scan did not see."""
    network = support_results(
        ctx, ctx.hosts, _os_sighting(*SERVER_CLASSES, area="windows_server"), failing=ENDED,
        noun="server operating system", expected=ctx.inventory.by_class(*SERVER_CLASSES),
        none_reason="no server was found",
        unread_reason="the servers' operating system release could not be read (no SMB, "
                      "SNMP, LDAP or banner evidence of it)")
    yield from with_directory(ctx, network, servers=True, noun="server",
                              day=scan_day(ctx.inventory))


@check(
    id="SRV-002", title="A PC runs an operating system past its end of support",
    severity=Severity.HIGH,
    risk="""Unsupported PCs get no security fixes. They are the easiest way into the network
    and often cannot run current antivirus.""",
    remediation=("Replace or upgrade the PC.",
                 "Until then, keep it off email and the web, or isolate it."),
    service="Patch management",
    references=("https://learn.microsoft.com/en-us/lifecycle/products/",
                "https://endoflife.date/windows"),
)
def eol_desktop(ctx: Context) -> Iterator[Result]:
    """FAIL for a PC whose Windows release (build and edition: Home/Pro and Enterprise
    differ) or Linux distribution is past its end of support in the lifecycle table, as of
    the scan day. Windows 10's paid Extended Security Updates are not assumed. With a
    directory audit, the Windows PCs in use (logon within 90 days) are judged from their
    operatingSystem/operatingSystemVersion too, each named, also those the scan did not see."""
    network = support_results(
        ctx, ctx.hosts, _os_sighting("workstation", area="windows_client"), failing=ENDED,
        noun="PC operating system", expected=ctx.inventory.by_class("workstation"),
        none_reason="no workstation was found",
        unread_reason="the PCs' operating system release could not be read (no SMB or SNMP "
                      "answer naming the release and build)")
    yield from with_directory(ctx, network, servers=False, noun="PC",
                              day=scan_day(ctx.inventory))


OLD_FUNCTIONAL_LEVELS = re.compile(r"^(2000|2003|2008)", re.IGNORECASE)


def _controllers(ctx: Context) -> list[Host]:
    return [h for h in ctx.hosts if h.device_class == "domain_controller" or h.directory]


@check(
    id="SRV-003", title="The Active Directory domain runs at an outdated functional level",
    severity=Severity.LOW,
    risk="""An old functional level keeps weaker password hashing and authentication in place
    and blocks newer security features, usually because nobody raised it after an upgrade.""",
    remediation=("Confirm no old domain controllers remain.",
                 "Raise the domain and forest functional levels (2016 or later)."),
    service="Server and domain management",
    references=("https://learn.microsoft.com/en-us/windows-server/identity/ad-ds/"
                "active-directory-functional-levels",),
)
def functional_level(ctx: Context) -> Iterator[Result]:
    """FAIL when the rootDSE reports a domain functional level of 2008 R2 or older."""
    yield from fail_where_known(
        _controllers(ctx), lambda h: bool(h.directory and h.directory.domain_functional_level),
        lambda h: bool(OLD_FUNCTIONAL_LEVELS.match(h.directory.domain_functional_level)),
        lambda h: f"The domain {h.directory.dns_domain or ''} runs at functional level "
                  f"{h.directory.domain_functional_level}.".replace("  ", " "),
        lambda h: [f"{h.ip} LDAP rootDSE: domain functional level "
                   f"{h.directory.domain_functional_level}"],
        "The domain's functional level is current.",
        "the domain controller's LDAP root DSE could not be read",
        "no domain controller was found")


@check(
    id="SRV-004", title="The domain has a single domain controller",
    severity=Severity.LOW,
    risk="""All logins, file permissions and often DNS depend on one machine. When it fails,
    nobody can log in until it is rebuilt — usually a full day or more.""",
    remediation=("Add a second domain controller (a small VM is enough), or",
                 "Move identity to Microsoft Entra ID and keep a tested backup of the DC."),
    service="Server and domain management",
    references=("https://learn.microsoft.com/en-us/windows-server/identity/ad-ds/plan/"
                "planning-domain-controller-placement",),
)
def single_dc(ctx: Context) -> Iterator[Result]:
    """FAIL when exactly one domain controller is on the network."""
    controllers = ctx.inventory.by_class("domain_controller")
    if not controllers:
        yield Result(Status.NOT_APPLICABLE, "There is no domain.",
                     reason="no domain controller was found")
    elif len(controllers) == 1:
        yield Result(Status.FAIL, f"{host_label(controllers[0])} is the only domain "
                     "controller.", ip=controllers[0].ip,
                     evidence=(f"{controllers[0].ip} identified as domain controller; no other",))
    else:
        yield Result(Status.PASS, f"{len(controllers)} domain controllers share the load.",
                     evidence=tuple(host_label(h) for h in controllers))


@check(
    id="SRV-005", title="Server remote-management cards sit on the office network",
    severity=Severity.MEDIUM,
    risk="""Management cards (iDRAC, iLO, IPMI) give full control of the server, below the
    operating system, and often keep factory passwords and old firmware. On the office LAN,
    any infected PC can reach them.""",
    remediation=("Move management cards to a separate management network or VLAN.",
                 "Change default passwords and update their firmware."),
    service="Server and domain management",
    references=("https://www.cisa.gov/news-events/alerts/2013/07/26/"
                "risks-using-intelligent-platform-management-interface-ipmi",),
)
def bmc_on_lan(ctx: Context) -> Iterator[Result]:
    """FAIL for every BMC (iDRAC, iLO, IPMI) found on the scanned network."""
    yield from fail_each(
        ctx.inventory.by_class("bmc"),
        lambda h: f"The management card {host_label(h)} is on the office network.",
        lambda h: [f"{h.ip}: {h.manufacturer or ''} {h.model or 'BMC'}".strip()],
        "No server management card is on the office network.")
