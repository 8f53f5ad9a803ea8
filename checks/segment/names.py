"""NET-008 (hosts answering LLMNR/NBT-NS) and NET-009 (a poisoner answering any name)."""

from __future__ import annotations

from collections.abc import Iterator

from checks.context import Context
from checks.model import Result, Severity, Status
from checks.registry import check
from checks.segment import not_heard

REFERENCES = ("https://attack.mitre.org/techniques/T1557/001/",
              "https://learn.microsoft.com/en-us/troubleshoot/windows-server/networking/"
              "disable-netbios-tcp-ip-using-dhcp")


@check(
    id="NET-008", title="Computers still resolve names by LLMNR or NetBIOS broadcasts",
    severity=Severity.MEDIUM,
    risk="""When a computer cannot find a name, it shouts the question to the whole network
    (LLMNR, NetBIOS), and believes whoever answers. Any infected PC or visitor's laptop can
    answer and collect staff passwords: it is the first thing attackers try inside an
    office.""",
    remediation=("Turn LLMNR off by Group Policy (Computer Configuration > Administrative "
                 "Templates > Network > DNS Client > Turn off multicast name resolution).",
                 "Turn NetBIOS over TCP/IP off (DHCP option 001 for Microsoft clients, or "
                 "each adapter's WINS settings)."),
    service="Security hardening",
    references=REFERENCES,
)
def name_responders(ctx: Context) -> Iterator[Result]:
    """FAIL per host that answered an LLMNR or NBT-NS query for its own name: it resolves names
    that way too, so its queries can be answered by an attacker."""
    unknown = not_heard(ctx, "llmnr-hosts", "nbt-ns-hosts")
    if unknown:
        yield unknown
        return
    by_ip: dict[str, list[str]] = {}
    for responder in ctx.inventory.segment.name_responders:  # type: ignore[union-attr]
        if not responder.random_name:
            by_ip.setdefault(responder.ip, []).append(
                f"{responder.ip} answered {responder.protocol.upper()} for {responder.name!r}")
    for ip, evidence in sorted(by_ip.items()):
        protocols = " and ".join(sorted({line.split()[2] for line in evidence}))
        yield Result(Status.FAIL, f"{ip} answers {protocols} name queries.", ip=ip,
                     evidence=tuple(evidence))
    if not by_ip:
        yield Result(Status.PASS, "No host answered an LLMNR or NetBIOS name query.")


@check(
    id="NET-009", title="A device answers name queries for names that do not exist (poisoner)",
    severity=Severity.CRITICAL,
    risk="""Something on the network answers every name lookup with its own address: that
    is what password-stealing tools (Responder and the like) do. Staff passwords may already
    be collected.""",
    remediation=("Find the device by its address and MAC, disconnect it and investigate it "
                 "as a security incident.",
                 "Change the passwords of the people whose computers used it; turn LLMNR and "
                 "NetBIOS off (see NET-008)."),
    service="Endpoint detection and response",
    references=REFERENCES,
)
def name_poisoner(ctx: Context) -> Iterator[Result]:
    """FAIL per host that answered an LLMNR or NBT-NS query for a random name nobody has."""
    unknown = not_heard(ctx, "llmnr")
    if unknown:
        yield unknown
        return
    poisoners = [r for r in ctx.inventory.segment.name_responders  # type: ignore[union-attr]
                 if r.random_name]
    for responder in poisoners:
        yield Result(Status.FAIL, f"{responder.ip} answered {responder.protocol.upper()} for "
                     f"the made-up name {responder.name!r}.", ip=responder.ip,
                     evidence=(f"{responder.ip} claimed {responder.name!r} "
                               f"({responder.protocol})",))
    if not poisoners:
        yield Result(Status.PASS, "No device answered a made-up name.")
