"""SNMP with pysnmp 7 (asyncio): who is this device, by its own account.

Every live host is asked for the system group with each community in turn (SNMPv2c, then
SNMPv1 for an agent that gave v2c no answer at all), then with each SNMPv3 user the consultant
gave; the first that answers wins. SNMPv3 keys are used for the requests only: they are never
written to the inventory, the evidence or a message. A host that answered is then asked the
deeper questions of :mod:`scanner.snmp.tables` (hardware identity, software, UPS and printer
state), bounded per host in time and in varbinds. All hosts are asked concurrently, each request
with a short timeout, so agents that answer slowly, wrongly or not at all cost a bounded time
and never raise.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from dataclasses import dataclass, replace

from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    UdpTransportTarget,
    UsmUserData,
    get_cmd,
)
from pysnmp.smi import builder, view

from scanner.model import SnmpInfo
from scanner.snmp.parse import as_int, text_of
from scanner.snmp.session import has_value
from scanner.snmp.tables import collect_details
from scanner.snmp.v3 import V3User, usm_data
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
    """How to ask: communities in order, port, per-request timeout and retries, concurrency.

    ``details`` turns the deeper collection on; ``detail_seconds`` and ``detail_varbinds`` bound
    it per host.
    """

    communities: tuple[str, ...] = DEFAULT_COMMUNITIES
    v3_users: tuple[V3User, ...] = ()
    v1_fallback: bool = True
    port: int = 161
    timeout: float = 1.0
    retries: int = 1
    concurrency: int = 64
    details: bool = True
    detail_seconds: float = 5.0
    detail_varbinds: int = 500


_MIB_VIEW_LOCK = threading.Lock()


@functools.lru_cache(maxsize=1)
def shared_mib_view() -> view.MibViewController:
    """One MIB view per process, warmed up once.

    Only numeric OIDs are sent, but pysnmp's hlapi resolves every OID through a MIB view kept in
    the engine's cache, and building one costs about 0.4 s of CPU (an ASN.1 parser is built when
    pysmi is installed). The view is plain MIB data, so engines can share it.
    """
    with _MIB_VIEW_LOCK:
        mib_view = view.MibViewController(builder.MibBuilder())
        ObjectType(ObjectIdentity(SYSTEM_GROUP["sys_descr"])).resolve_with_mib(mib_view)
        return mib_view


def _new_engine() -> SnmpEngine:
    engine = SnmpEngine()
    engine.cache["mibViewController"] = shared_mib_view()  # the key pysnmp's hlapi looks up
    return engine


def _text(value: object) -> str:
    as_octets = getattr(value, "asOctets", None)
    if as_octets is not None:  # OctetString: prettyPrint() would give hex for binary values
        return bounded(as_octets())
    # Not bytes(value): for an INTEGER that allocates as many bytes as the number says.
    return bounded(value.prettyPrint() if hasattr(value, "prettyPrint") else value)


def _to_info(community: str, var_binds: list, version: str = "v2c", user: str = "") -> SnmpInfo:
    values = {}
    by_oid = {oid: key for key, oid in SYSTEM_GROUP.items()}
    for name, value in var_binds:
        key = by_oid.get(str(name))
        if key is not None and has_value(value):
            values[key] = value
    uptime = values.get("sys_uptime")
    oid = values.get("sys_object_id")
    return SnmpInfo(
        version=version, community=community, user=user,
        default_community=bool(community) and community.lower() in WELL_KNOWN_COMMUNITIES,
        sys_descr=_text(values["sys_descr"]) if "sys_descr" in values else "",
        sys_object_id=text_of(oid),  # text_of: an agent may send it with the wrong type
        sys_name=bounded_name(_text(values["sys_name"])) if "sys_name" in values else "",
        sys_contact=bounded_name(_text(values["sys_contact"])) if "sys_contact" in values else "",
        sys_location=(bounded_name(_text(values["sys_location"]))
                      if "sys_location" in values else ""),
        sys_uptime=as_int(uptime),
    )


def _credentials(options: SnmpOptions) -> list[tuple[str, str, CommunityData | UsmUserData]]:
    """(version, community or user, auth) in the order they are tried, v1 after all v2c."""
    tries: list[tuple[str, str, CommunityData | UsmUserData]] = [
        ("v2c", c, CommunityData(c, mpModel=1)) for c in options.communities]
    if options.v1_fallback:
        tries += [("v1", c, CommunityData(c, mpModel=0)) for c in options.communities]
    tries += [("v3", user.name, usm_data(user)) for user in options.v3_users]
    return tries


async def _query_host(engine: SnmpEngine, ip: str, options: SnmpOptions,
                      limit: asyncio.Semaphore) -> tuple[str, SnmpInfo | None, str]:
    async with limit:
        target = await UdpTransportTarget.create((ip, options.port), timeout=options.timeout,
                                                 retries=options.retries)
        # SNMPv1 is asked only after v2c got no answer at all, usually because nothing listens:
        # one try is enough, the v2c requests already allowed for a lost packet.
        v1_target = await UdpTransportTarget.create((ip, options.port), timeout=options.timeout,
                                                    retries=0)
        last_error = "no response"
        v2c_answered = False  # an agent that refused v2c is not asked again with v1
        for version, name, auth in _credentials(options):
            if version == "v1" and v2c_answered:
                continue
            error_indication, error_status, _index, var_binds = await get_cmd(
                engine, auth, v1_target if version == "v1" else target, ContextData(),
                *(ObjectType(ObjectIdentity(oid)) for oid in SYSTEM_GROUP.values()),
                lookupMib=False,
            )
            if error_indication:
                # Never the v3 message text: it may quote what was sent. Only its class name.
                last_error = (bounded(error_indication, 200) if version != "v3" else
                              f"SNMPv3 user {bounded(name, 64)!r}: "
                              f"{error_indication.__class__.__name__}")
                continue
            if version == "v2c":
                v2c_answered = True
            if error_status:
                last_error = bounded(error_status.prettyPrint(), 200)
                continue
            info = _to_info(name if version != "v3" else "", list(var_binds), version,
                            user=name if version == "v3" else "")
            if options.details:
                info = await _with_details(engine, auth, v1_target if version == "v1" else
                                           target, info, options)
            return ip, info, ""
        return ip, None, last_error


async def _with_details(engine: SnmpEngine, auth: CommunityData | UsmUserData,
                        target: UdpTransportTarget, info: SnmpInfo,
                        options: SnmpOptions) -> SnmpInfo:
    """The deeper collection; whatever goes wrong, the system group is kept."""
    try:
        return await collect_details(engine, auth, target, info, options.detail_seconds,
                                     options.detail_varbinds)
    except Exception as exc:  # the system group already answered: never lose it
        return replace(info, detail_errors=(f"deeper SNMP collection failed: "
                                            f"{bounded(exc, 200)}",))


async def _query_all(addresses: list[str], options: SnmpOptions) -> dict[str, SnmpInfo | str]:
    engine = _new_engine()
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
    """ip -> SnmpInfo for hosts that answered, or the reason text for those that did not.

    With ``options.details`` (the default) a host that answered also gets the deeper fields of
    :class:`SnmpInfo`; what that collection could not get is listed in ``detail_errors``.
    """
    if not addresses:
        return {}
    return asyncio.run(_query_all(addresses, options or SnmpOptions()))
