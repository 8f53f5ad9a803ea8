"""SNMP system group with pysnmp 7 (asyncio): who is this device, by its own account.

Every live host is asked for the system group with each community in turn (SNMPv2c); the first
community that answers wins. All hosts are asked concurrently, each request with a short
timeout, so agents that answer slowly or not at all cost a bounded time.
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
)

from scanner.model import SnmpInfo
from scanner.textsafe import bounded, bounded_name

DEFAULT_COMMUNITIES = ("public",)
WELL_KNOWN_COMMUNITIES = frozenset({"public", "private", "community", "snmp", "admin",
                                    "manager", "cisco", "default", "read", "write"})

SYSTEM_GROUP = {
    "sys_descr": "1.3.6.1.2.1.1.1.0",
    "sys_object_id": "1.3.6.1.2.1.1.2.0",
    "sys_uptime": "1.3.6.1.2.1.1.3.0",
    "sys_contact": "1.3.6.1.2.1.1.4.0",
    "sys_name": "1.3.6.1.2.1.1.5.0",
    "sys_location": "1.3.6.1.2.1.1.6.0",
}


@dataclass(frozen=True)
class SnmpOptions:
    """How to ask: communities in order, port, per-request timeout and retries, concurrency."""

    communities: tuple[str, ...] = DEFAULT_COMMUNITIES
    port: int = 161
    timeout: float = 1.0
    retries: int = 1
    concurrency: int = 64


def _text(value: object) -> str:
    try:
        raw = bytes(value)  # OctetString; prettyPrint() would give hex for binary values
    except (TypeError, ValueError):
        return bounded(value.prettyPrint() if hasattr(value, "prettyPrint") else value)
    return bounded(raw)


def _to_info(community: str, var_binds: list) -> SnmpInfo:
    values = {}
    by_oid = {oid: key for key, oid in SYSTEM_GROUP.items()}
    for name, value in var_binds:
        key = by_oid.get(str(name))
        if key is None or value.__class__.__name__ in ("NoSuchObject", "NoSuchInstance",
                                                         "EndOfMibView"):
            continue
        values[key] = value
    uptime = values.get("sys_uptime")
    oid = values.get("sys_object_id")
    return SnmpInfo(
        version="v2c", community=community,
        default_community=community.lower() in WELL_KNOWN_COMMUNITIES,
        sys_descr=_text(values["sys_descr"]) if "sys_descr" in values else "",
        sys_object_id=bounded_name(oid.prettyPrint()) if oid is not None else "",
        sys_name=bounded_name(_text(values["sys_name"])) if "sys_name" in values else "",
        sys_contact=bounded_name(_text(values["sys_contact"])) if "sys_contact" in values else "",
        sys_location=(bounded_name(_text(values["sys_location"]))
                      if "sys_location" in values else ""),
        sys_uptime=int(uptime) if uptime is not None else None,
    )


async def _query_host(engine: SnmpEngine, ip: str, options: SnmpOptions,
                      limit: asyncio.Semaphore) -> tuple[str, SnmpInfo | None, str]:
    async with limit:
        target = await UdpTransportTarget.create((ip, options.port), timeout=options.timeout,
                                                 retries=options.retries)
        last_error = "no response"
        for community in options.communities:
            error_indication, error_status, _index, var_binds = await get_cmd(
                engine, CommunityData(community, mpModel=1), target, ContextData(),
                *(ObjectType(ObjectIdentity(oid)) for oid in SYSTEM_GROUP.values()),
                lookupMib=False,
            )
            if error_indication:
                last_error = bounded(error_indication, 200)
                continue
            if error_status:
                last_error = bounded(error_status.prettyPrint(), 200)
                continue
            return ip, _to_info(community, list(var_binds)), ""
        return ip, None, last_error


async def _query_all(addresses: list[str], options: SnmpOptions) -> dict[str, SnmpInfo | str]:
    engine = SnmpEngine()
    limit = asyncio.Semaphore(options.concurrency)
    try:
        results = await asyncio.gather(*(_query_host(engine, ip, options, limit)
                                         for ip in addresses), return_exceptions=True)
    finally:
        engine.close_dispatcher()
    answers: dict[str, SnmpInfo | str] = {}
    for ip, result in zip(addresses, results, strict=True):
        if isinstance(result, BaseException):
            answers[ip] = f"SNMP query failed: {bounded(result, 200)}"
        else:
            _ip, info, error = result
            answers[ip] = info if info is not None else error
    return answers


def query_system_groups(addresses: list[str],
                        options: SnmpOptions | None = None) -> dict[str, SnmpInfo | str]:
    """ip -> SnmpInfo for hosts that answered, or the reason text for those that did not."""
    if not addresses:
        return {}
    return asyncio.run(_query_all(addresses, options or SnmpOptions()))
