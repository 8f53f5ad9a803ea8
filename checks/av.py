"""AV: antivirus and endpoint protection — what the client runs, and what the network shows."""

from __future__ import annotations

import re
from collections.abc import Iterator

from checks.common import fail_where_known, host_label, interview_missing
from checks.context import Context
from checks.model import Result, Severity, Status
from checks.registry import check

NO_PRODUCT = re.compile(r"^\s*(none|no|nothing|n/?a|-)?\s*$", re.IGNORECASE)
CONSUMER_AV = re.compile(r"\b(free|home|personal|essentials)\b|avast|avg|norton|mcafee total|"
                         r"kaspersky (anti-virus|internet security)|360 total",
                         re.IGNORECASE)
SERVER_CLASSES = ("server", "domain_controller", "hypervisor")


@check(
    id="AV-001", title="No antivirus or endpoint protection is in place",
    severity=Severity.HIGH,
    risk="""Without antivirus, one bad email attachment or website can infect a PC and spread
    to the server. Insurers and regulators expect endpoint protection on every computer.""",
    remediation=("Install a business endpoint protection (EDR) product on every PC and server.",
                 "Manage it from one console so alerts reach someone."),
    service="Endpoint detection and response",
    references=("https://www.cisa.gov/resources-tools/resources/"
                "cyber-essentials-starter-kit",),
)
def av_in_place(ctx: Context) -> Iterator[Result]:
    """From the interview (av_product), backed by any AV agents the scan saw."""
    agents = [f"{host_label(h)}: {s.product} ({s.evidence})" for h in ctx.hosts
              for s in h.signals if s.kind in ("av_agent", "av_console")]
    missing = interview_missing(ctx, "av_product")
    if missing and not agents:
        yield missing
        return
    product = str(ctx.interview.get("av_product", ""))
    named = bool(product) and product != "dont_know" and not NO_PRODUCT.match(product)
    if agents or named:
        said = [f"interview: av_product = {product}"] if product else []
        yield Result(Status.PASS, f"Antivirus is in place: {product}." if named else
                     "Antivirus agents were seen on the network.",
                     evidence=(*said, *agents[:10]))
    else:
        said = "nobody knew which" if product == "dont_know" else "none"
        yield Result(Status.FAIL, f"No antivirus product is in place ({said}).",
                     evidence=(f"interview: av_product = {product or 'none'}",))


@check(
    id="AV-002", title="A server shows no antivirus",
    severity=Severity.HIGH,
    risk="""Servers hold the shared files and the practice or accounting database. A server
    without protection is where ransomware does the most damage in the least time.""",
    remediation=("Install server-grade endpoint protection on every server.",
                 "Exclude database and backup folders as the vendor documents, nothing more."),
    service="Endpoint detection and response",
    references=("https://www.cisa.gov/stopransomware/ransomware-guide",),
)
def server_av(ctx: Context) -> Iterator[Result]:
    """FAIL for servers whose software list was readable and showed no AV agent."""
    yield from fail_where_known(
        ctx.inventory.by_class(*SERVER_CLASSES), lambda h: h.av_status != "unknown",
        lambda h: h.av_status == "not_seen",
        lambda h: f"No antivirus was seen on the server {host_label(h)}.",
        lambda h: [f"{h.ip}: installed software list read over SNMP; no AV product in it"],
        "Every server that could be inspected runs antivirus.",
        "the servers' installed software could not be read (no SNMP or agent access)",
        "no server was found")


@check(
    id="AV-003", title="Antivirus is a consumer or free product",
    severity=Severity.MEDIUM,
    risk="""Free and home antivirus is licensed for personal use, is not managed from one
    place and does not alert anyone when it finds something — on a business network an
    infection can go unnoticed for weeks.""",
    remediation=("Replace it with a business endpoint protection product.",
                 "Manage all endpoints from one console with alerting."),
    service="Endpoint detection and response",
    references=("https://www.cisa.gov/resources-tools/resources/"
                "cyber-essentials-starter-kit",),
)
def consumer_av(ctx: Context) -> Iterator[Result]:
    """From the interview: FAIL when the named AV product is a consumer or free edition."""
    missing = interview_missing(ctx, "av_product")
    if missing:
        yield missing
        return
    product = str(ctx.interview["av_product"])
    if product == "dont_know" or NO_PRODUCT.match(product):
        yield Result(Status.NOT_APPLICABLE, "No antivirus product was named.",
                     reason="no product to judge (see AV-001)")
    elif CONSUMER_AV.search(product):
        yield Result(Status.FAIL, f"{product} is a consumer or free antivirus.",
                     evidence=(f"interview: av_product = {product}",))
    else:
        yield Result(Status.PASS, f"{product} is not a consumer or free edition.",
                     evidence=(f"interview: av_product = {product}",))


UNMANAGED_AV = re.compile(r"^\s*(windows|microsoft)?\s*defender( antivirus)?\s*$",
                          re.IGNORECASE)


@check(
    id="AV-004", title="Antivirus is not centrally managed",
    severity=Severity.LOW,
    risk="""When each PC's antivirus runs on its own, nobody sees its alerts or notices when
    it is switched off or out of date. Central management is what turns antivirus into
    protection someone is watching.""",
    remediation=("Manage every endpoint from one console (for Microsoft Defender: Defender "
                 "for Business or Intune).", "Send its alerts to whoever supports the office."),
    service="Endpoint detection and response",
    references=("https://learn.microsoft.com/en-us/defender-business/mdb-overview",),
)
def av_managed(ctx: Context) -> Iterator[Result]:
    """FAIL for plain Windows Defender or a consumer product with no management console seen."""
    consoles = [f"{host_label(h)}: {s.product} ({s.evidence})" for h in ctx.hosts
                for s in h.signals if s.kind == "av_console"]
    missing = interview_missing(ctx, "av_product")
    if consoles:
        yield Result(Status.PASS, "An antivirus management console is on the network.",
                     evidence=tuple(consoles[:10]))
        return
    if missing:
        yield missing
        return
    product = str(ctx.interview["av_product"])
    if product == "dont_know" or NO_PRODUCT.match(product):
        yield Result(Status.NOT_APPLICABLE, "No antivirus product was named.",
                     reason="no product to judge (see AV-001)")
    elif UNMANAGED_AV.match(product) or CONSUMER_AV.search(product):
        yield Result(Status.FAIL, f"{product} runs PC by PC, with no central console.",
                     evidence=(f"interview: av_product = {product}",
                               "no antivirus management console seen on the LAN"))
    else:
        yield Result(Status.PASS, f"{product} is a centrally managed business product.",
                     evidence=(f"interview: av_product = {product}",))
