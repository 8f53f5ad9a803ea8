"""SRV/FW: devices whose vendor support has ended or ends soon, from the lifecycle table.

The area module of the lifecycle checks (listed in ``checks.registry.AREA_MODULES``). SRV-001
and SRV-002, older checks, live in ``checks.servers`` and use the same helpers.
"""

from __future__ import annotations

from collections.abc import Iterator

from checks.context import Context
from checks.lifecycle.identify import Sighting
from checks.lifecycle.model import ENDED, ENDING_SOON
from checks.lifecycle.results import area_is, support_results
from checks.model import Result, Severity
from checks.registry import check
from scanner.model import Host

FIREWALL_CLASSES = ("firewall", "router")
# Hosts whose operating system SRV-001 (servers) and SRV-002 (PCs) already judge.
OS_CHECKED_CLASSES = ("server", "domain_controller", "hypervisor", "workstation")
APPLIANCE_CLASSES = ("nas", "bmc", "backup_appliance")
LIFECYCLE_REFERENCE = "https://endoflife.date/"


def _firewalls(ctx: Context) -> list[Host]:
    return [h for h in ctx.hosts if h.device_class in FIREWALL_CLASSES or h.is_gateway]


def _firewall_results(ctx: Context, failing: str) -> Iterator[Result]:
    yield from support_results(
        ctx, _firewalls(ctx), area_is("firewall"), failing=failing, noun="firewall firmware",
        report_unknown=failing == ENDED,
        none_reason="no firewall or gateway was found",
        unread_reason="no firewall firmware and version could be identified (SNMP, banners)")


@check(
    id="FW-007", title="The firewall runs firmware past its end of support",
    severity=Severity.HIGH,
    risk="""The maker no longer fixes security holes in the firewall's software. Firewalls
    are attacked from the internet every day, and flaws in unsupported versions stay open for
    good: the device that should protect the office becomes the way in.""",
    remediation=("Upgrade the firewall to a firmware release under support, if the model "
                 "can run one.",
                 "Otherwise replace the firewall with a supported model this quarter.",
                 "Put the firewall under managed firmware updates."),
    service="Managed firewall",
    references=(LIFECYCLE_REFERENCE, "https://endoflife.date/fortios",
                "https://endoflife.date/pan-os"),
)
def firewall_firmware_ended(ctx: Context) -> Iterator[Result]:
    """FAIL for a firewall or gateway whose firmware release (FortiOS, PAN-OS, OPNsense,
    RouterOS …) is past its end of support in the lifecycle table, as of the scan day."""
    yield from _firewall_results(ctx, ENDED)


@check(
    id="FW-008", title="The firewall's firmware reaches its end of support within six months",
    severity=Severity.MEDIUM,
    risk="""In a few months the maker stops fixing security holes in this firewall's
    software. Planning the upgrade or replacement now avoids running the office's front door
    unprotected, and spreads the cost.""",
    remediation=("Plan the upgrade to a supported firmware release before the date.",
                 "If the model cannot run a newer release, budget its replacement now."),
    service="Managed firewall",
    references=(LIFECYCLE_REFERENCE,),
)
def firewall_firmware_ending(ctx: Context) -> Iterator[Result]:
    """FAIL for a firewall or gateway whose firmware release loses support within six months
    of the scan day."""
    yield from _firewall_results(ctx, ENDING_SOON)


@check(
    id="SRV-006", title="A hypervisor runs a release past its end of support",
    severity=Severity.CRITICAL,
    risk="""Every virtual server runs on top of the hypervisor. Without security fixes, one
    flaw can give an attacker all servers at once — ransomware groups target VMware ESXi
    hosts for exactly this reason.""",
    remediation=("Upgrade the hypervisor to a supported release (check the hardware "
                 "compatibility first).",
                 "Until then, keep its management interface off the office network."),
    service="Server and domain management",
    references=(LIFECYCLE_REFERENCE, "https://endoflife.date/esxi"),
)
def hypervisor_ended(ctx: Context) -> Iterator[Result]:
    """FAIL for a host whose hypervisor (VMware ESXi, Proxmox VE) release is past its end of
    support."""
    yield from support_results(
        ctx, ctx.hosts, area_is("hypervisor"), failing=ENDED, noun="hypervisor",
        expected=ctx.inventory.by_class("hypervisor"), none_reason="no hypervisor was found",
        unread_reason="no hypervisor release could be identified")


@check(
    id="SRV-007", title="A NAS or other appliance runs firmware past its end of support",
    severity=Severity.HIGH,
    risk="""Storage boxes and management cards hold the office's files, backups or full
    control of servers. Ransomware gangs scan for old NAS firmware in particular; once the
    maker stops fixing it, every new flaw stays open for good.""",
    remediation=("Update the appliance to a firmware release under support.",
                 "If the model gets no more releases, plan its replacement and move the data.",
                 "Until then, keep it off the internet and restrict who can reach it."),
    service="Server and domain management",
    references=(LIFECYCLE_REFERENCE, "https://www.synology.com/en-global/products/status"),
)
def appliance_ended(ctx: Context) -> Iterator[Result]:
    """FAIL for a NAS, backup appliance or server management card whose firmware release is
    past its end of support. Makers without lifecycle data (Synology, QNAP, iDRAC, iLO) are
    UNKNOWN with the reason and the vendor's page."""
    yield from support_results(
        ctx, ctx.hosts, area_is("storage", "bmc"), failing=ENDED,
        noun="NAS and appliance firmware", expected=ctx.inventory.by_class(*APPLIANCE_CLASSES),
        none_reason="no NAS, backup appliance or management card was found",
        unread_reason="no appliance firmware and version could be identified")


def _other_devices(ctx: Context) -> list[Host]:
    return [h for h in ctx.hosts if h.device_class not in OS_CHECKED_CLASSES]


@check(
    id="SRV-008", title="A device runs a Linux distribution past its end of support",
    severity=Severity.HIGH,
    risk="""The distribution no longer ships security fixes for anything on this device —
    its remote access, web server and libraries all stay vulnerable to every flaw found
    since. Such forgotten boxes are a favourite first foothold.""",
    remediation=("Upgrade the device to a supported release of its distribution.",
                 "If it is an appliance, ask its maker for a supported firmware or replace it.",
                 "Until then, restrict who can reach it."),
    service="Patch management",
    references=(LIFECYCLE_REFERENCE, "https://wiki.debian.org/LTS",
                "https://ubuntu.com/about/release-cycle"),
)
def distribution_ended(ctx: Context) -> Iterator[Result]:
    """FAIL for a device (other than servers and PCs, which SRV-001/002 judge) whose packaged
    banners or kernel name a Linux distribution release past its end of support."""
    hosts = _other_devices(ctx)
    yield from support_results(
        ctx, hosts, area_is("distribution"), failing=ENDED, noun="Linux distribution",
        expected=[h for h in hosts if (h.os_family or "").lower() == "linux"],
        none_reason="no other device was identified as running Linux",
        unread_reason="Linux devices were found, but no banner named their distribution "
                      "release")


@check(
    id="SRV-009", title="A system reaches its end of support within six months",
    severity=Severity.MEDIUM,
    risk="""In a few months the maker stops fixing security holes in this system. Replacing
    or upgrading it takes planning and budget; starting now avoids running it unprotected.""",
    remediation=("Plan the upgrade or replacement before the date.",
                 "Include the cost in this year's budget."),
    service="Patch management",
    references=(LIFECYCLE_REFERENCE, "https://learn.microsoft.com/en-us/lifecycle/products/"),
)
def ending_soon(ctx: Context) -> Iterator[Result]:
    """FAIL for a server, PC, hypervisor, appliance or Linux device whose operating system or
    firmware loses support within six months of the scan day (firewalls: FW-008)."""
    yield from support_results(
        ctx, ctx.hosts, _not_firewall, failing=ENDING_SOON, noun="system",
        expected=[], report_unknown=False,
        none_reason="no operating system or firmware release was identified",
        unread_reason="")


def _not_firewall(_host: Host, sighting: Sighting) -> bool:
    return sighting.area != "firewall"


@check(
    id="SRV-010", title="A server application is past its end of support",
    severity=Severity.HIGH,
    risk="""Microsoft no longer fixes security holes in this mail or database server. Mail
    servers face the internet and hold every message; database servers hold the business's
    records. Known flaws in old versions are exploited within days of being published.""",
    remediation=("Upgrade to a supported version (for Exchange, or move mail to Microsoft "
                 "365).",
                 "Until then, restrict who can reach it and watch it closely."),
    service="Server and domain management",
    references=(LIFECYCLE_REFERENCE, "https://endoflife.date/msexchange",
                "https://endoflife.date/mssqlserver"),
)
def application_ended(ctx: Context) -> Iterator[Result]:
    """FAIL for a Microsoft SQL Server or Exchange whose version (read by nmap) is past its
    end of support; paid Extended Security Updates are not assumed."""
    yield from support_results(
        ctx, ctx.hosts, area_is("application"), failing=ENDED, noun="server application",
        expected=[], none_reason="no SQL Server or Exchange version was read",
        unread_reason="")
