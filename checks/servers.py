"""SRV and FIT-001: servers, the domain, and whether the office has a real server at all."""

from __future__ import annotations

from collections.abc import Iterator

from checks.common import host_label, scan_saw_nothing
from checks.context import Context
from checks.model import Result, Severity, Status
from checks.registry import check

SERVER_CLASSES = ("server", "domain_controller", "hypervisor")


@check(
    id="FIT-001", title="No real server: the office runs peer-to-peer",
    severity=Severity.INFO,
    risk="""Files live on individual PCs and are shared between desks. There is no central
    place for accounts, permissions or backups, so growth beyond a handful of people means
    lost files and no control over who sees what.""",
    remediation=("Decide where the office's shared files should live (a server, a NAS or "
                 "Microsoft 365).", "Centralise user accounts (a domain or Entra ID).",
                 "Back up the new central store."),
    service="Server and domain management",
    references=("https://learn.microsoft.com/en-us/windows-server/get-started/"
                "get-started-with-windows-server",),
)
def real_server_present(ctx: Context) -> Iterator[Result]:
    """PASS when a server, domain controller or hypervisor is on the network."""
    nothing = scan_saw_nothing(ctx)
    if nothing:
        yield nothing
        return
    servers = ctx.inventory.by_class(*SERVER_CLASSES)
    if servers:
        yield Result(Status.PASS, "The office has a real server.", evidence=tuple(
            f"{host_label(h)} is a {h.device_class.replace('_', ' ')}" for h in servers))
    else:
        yield Result(Status.FAIL, "No server, domain controller or hypervisor was found: the "
                     "office looks peer-to-peer.",
                     evidence=(f"{len(ctx.hosts)} devices scanned; none is a server",))
