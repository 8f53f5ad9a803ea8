"""Can a default SNMP community write? Tested harmlessly: a value is set to what it already is.

For each host that answered SNMP with a community, and for each default community to test
(the one that answered, and ``private``), the agent's ``sysLocation.0`` (else ``sysContact.0``)
is read with that community and then SET to exactly the bytes just read. Nothing changes on the
device; an agent that accepts the SET would have accepted any value. What was done and what the
agent answered is kept in :attr:`SnmpInfo.write_test`. SNMPv3 users are never tested.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    UdpTransportTarget,
    get_cmd,
    set_cmd,
)

from scanner.model import SnmpInfo
from scanner.snmp.query import WELL_KNOWN_COMMUNITIES, shared_mib_view
from scanner.snmp.session import has_value
from scanner.textsafe import bounded_name

WRITE_TEST_OIDS = (("sysLocation.0", "1.3.6.1.2.1.1.6.0"), ("sysContact.0", "1.3.6.1.2.1.1.4.0"))
EXTRA_COMMUNITIES = ("private",)


@dataclass(frozen=True)
class WriteResult:
    """Whether any tested community could write, and the evidence line."""

    writable: bool | None  # None: nothing could be tested (no value could be read back)
    evidence: str


def describe(community: str, label: str, current: bytes, answer: str) -> str:
    """The evidence line for one SET attempt."""
    shown = bounded_name(current.decode("utf-8", errors="replace"))[:60]
    return (f"SET {label} to its current value {shown!r} with community {community!r}: {answer}"
            " (nothing was changed)")


async def _try(engine: SnmpEngine, target: UdpTransportTarget, community: str,
               mp_model: int) -> tuple[bool | None, str]:
    auth = CommunityData(community, mpModel=mp_model)
    for label, oid in WRITE_TEST_OIDS:
        error, status, _index, binds = await get_cmd(
            engine, auth, target, ContextData(), ObjectType(ObjectIdentity(oid)), lookupMib=False)
        if error:  # no answer at all: this community is not accepted here
            return None, f"community {community!r}: no answer to a GET, so no write was tried"
        if status or not binds or not has_value(binds[0][1]):
            continue
        value = binds[0][1]
        current = bytes(value.asOctets()) if hasattr(value, "asOctets") else b""
        error, status, _index, _binds = await set_cmd(
            engine, auth, target, ContextData(), ObjectType(ObjectIdentity(oid), value),
            lookupMib=False)
        if error:
            return False, describe(community, label, current, "no answer to the SET")
        if status:
            return False, describe(community, label, current,
                                   f"refused ({bounded_name(status.prettyPrint())})")
        return True, describe(community, label, current, "ACCEPTED: the community can write")
    return None, f"community {community!r}: nothing to read back, so no write was tried"


async def _test_host(engine: SnmpEngine, ip: str, info: SnmpInfo, port: int,
                     timeout: float) -> WriteResult:
    # One try each: the agent already answered the scan, so silence means "not this community".
    target = await UdpTransportTarget.create((ip, port), timeout=timeout, retries=0)
    communities = [c for c in dict.fromkeys((info.community, *EXTRA_COMMUNITIES))
                   if c and c.lower() in WELL_KNOWN_COMMUNITIES]
    lines: list[str] = []
    verdicts: list[bool] = []
    for community in communities:
        writable, line = await _try(engine, target, community, 0 if info.version == "v1" else 1)
        lines.append(line)
        if writable is not None:
            verdicts.append(writable)
        if writable:
            break
    verdict = any(verdicts) if verdicts else None
    return WriteResult(verdict, "; ".join(lines))


async def _test_all(hosts: dict[str, SnmpInfo], port: int,
                    timeout: float) -> dict[str, WriteResult]:
    engine = SnmpEngine()
    engine.cache["mibViewController"] = shared_mib_view()
    try:
        ips = list(hosts)
        results = await asyncio.gather(*(_test_host(engine, ip, hosts[ip], port, timeout)
                                         for ip in ips), return_exceptions=True)
    finally:
        engine.close_dispatcher()
    return {ip: (r if isinstance(r, WriteResult) else
                 WriteResult(None, f"write test failed: {bounded_name(r)}"))
            for ip, r in zip(ips, results, strict=True)}


def check_write_access(hosts: dict[str, SnmpInfo], port: int = 161,
                      timeout: float = 1.0) -> dict[str, WriteResult]:
    """ip -> write test result for every host that answered with a community (not SNMPv3)."""
    eligible = {ip: info for ip, info in hosts.items() if info.community}
    if not eligible:
        return {}
    return asyncio.run(_test_all(eligible, port, timeout))
