"""FIT: the sweet-spot criteria that are facts about the office, not risks to score.

Their severity is informational, so they never move the risk score; the verdict reads them.
"""

from __future__ import annotations

from collections.abc import Iterator

from checks.common import host_label, interview_missing, scan_saw_nothing
from checks.context import Context
from checks.interview import answer
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


@check(
    id="FIT-002", title="Nobody is accountable for IT",
    severity=Severity.INFO,
    risk="""IT is looked after by nobody, a staff member beside their real job, or a friend
    or relative. Things get done when someone has time; nobody watches backups, updates or
    security, and nobody answers for it when it fails.""",
    remediation=("Name who is responsible for IT, with a written scope.",
                 "Hand day-to-day care to a managed service with agreed response times."),
    service="Remote helpdesk (business hours)",
    references=("https://www.cisa.gov/resources-tools/resources/"
                "cyber-essentials-starter-kit",),
)
def accountable_support(ctx: Context) -> Iterator[Result]:
    """From the interview (current_support): FAIL for none, a staff member or a friend."""
    missing = interview_missing(ctx, "current_support")
    if missing:
        yield missing
        return
    support = answer(ctx.interview, "current_support")
    evidence = (f"interview: current_support = {ctx.interview['current_support']}",)
    if support in ("none", "staff_member", "friend_or_relative"):
        yield Result(Status.FAIL, "Nobody is contracted to look after IT.", evidence=evidence)
    elif support is None:
        yield Result(Status.UNKNOWN, "Who looks after IT is not known.", evidence=evidence,
                     reason="the client did not know who looks after IT")
    else:
        yield Result(Status.PASS, "Someone is accountable for IT.", evidence=evidence)


@check(
    id="FIT-003", title="IT support is bought by the hour",
    severity=Severity.INFO,
    risk="""A break/fix contractor is paid when things break, so nobody is paid to stop them
    breaking. Costs are unpredictable and problems are found by the staff, not by
    monitoring.""",
    remediation=("Compare a year of hourly invoices and downtime with a flat monthly plan.",
                 "Move to proactive, monitored support at a fixed price."),
    service="Remote monitoring and alerting",
    references=("https://www.cisa.gov/resources-tools/resources/"
                "cyber-essentials-starter-kit",),
)
def hourly_support(ctx: Context) -> Iterator[Result]:
    """From the interview (current_support): FAIL when IT is bought by the hour."""
    missing = interview_missing(ctx, "current_support")
    if missing:
        yield missing
        return
    support = ctx.interview["current_support"]
    evidence = (f"interview: current_support = {support}",)
    if support == "break_fix":
        yield Result(Status.FAIL, "IT support is a contractor paid by the hour.",
                     evidence=evidence)
    elif support == "dont_know":
        yield Result(Status.UNKNOWN, "How IT support is bought is not known.",
                     evidence=evidence, reason="the client did not know")
    else:
        yield Result(Status.PASS, "IT support is not bought by the hour.", evidence=evidence)


@check(
    id="FIT-004", title="The business keeps regulated data",
    severity=Severity.INFO,
    risk="""Patient records, card payments or client-privileged files come with legal duties:
    safeguards, audit trails, breach notification. A breach costs fines and notification on
    top of the downtime.""",
    remediation=("Document the safeguards the regulation requires, and who owns them.",
                 "Choose a plan tier that includes compliance documentation and reviews."),
    service="Quarterly business review",
    references=("https://www.hhs.gov/hipaa/for-professionals/security/index.html",
                "https://www.pcisecuritystandards.org/"),
)
def regulated_data(ctx: Context) -> Iterator[Result]:
    """From the interview (regulation): FAIL when HIPAA, PCI or legal rules apply."""
    missing = interview_missing(ctx, "regulation")
    if missing:
        yield missing
        return
    value = ctx.interview["regulation"]
    rules = [r for r in (value if isinstance(value, list) else [value])
             if r in ("hipaa", "pci", "legal")]
    evidence = (f"interview: regulation = {value}",)
    if rules:
        yield Result(Status.FAIL, "Regulated data: " + ", ".join(r.upper() for r in rules) + ".",
                     evidence=evidence)
    elif value == "dont_know":
        yield Result(Status.UNKNOWN, "Whether regulated data is kept is not known.",
                     evidence=evidence, reason="the client did not know")
    else:
        yield Result(Status.PASS, "No regulated data was reported.", evidence=evidence)


@check(
    id="FIT-005", title="An hour of downtime costs the business more than $250",
    severity=Severity.INFO,
    risk="""When the computers stop, staff wait and customers are turned away. Above a few
    hundred dollars an hour, preventing one outage a year pays for proactive support.""",
    remediation=("Agree the cost of an hour of downtime with the owner.",
                 "Size the plan's response times and backups to that cost."),
    service="Remote monitoring and alerting",
    references=("https://www.ready.gov/business/planning/business-continuity-plan",),
)
def downtime_hurts(ctx: Context) -> Iterator[Result]:
    """From the interview (downtime_cost_per_hour): FAIL when above the threshold."""
    missing = interview_missing(ctx, "downtime_cost_per_hour")
    if missing:
        yield missing
        return
    cost = answer(ctx.interview, "downtime_cost_per_hour")
    evidence = (f"interview: downtime_cost_per_hour = {ctx.interview['downtime_cost_per_hour']}",)
    if cost is None:
        yield Result(Status.UNKNOWN, "The cost of downtime is not known.", evidence=evidence,
                     reason="the client did not know")
    elif float(cost) > 250:
        yield Result(Status.FAIL, f"An hour of downtime costs about ${float(cost):,.0f}.",
                     evidence=evidence)
    else:
        yield Result(Status.PASS, f"An hour of downtime costs about ${float(cost):,.0f}.",
                     evidence=evidence)
