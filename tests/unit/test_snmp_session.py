"""The deeper collection's bounds, against a fake agent: no network, no waiting on real timeouts.

The fake replaces pysnmp's ``get_cmd`` and ``bulk_cmd`` in :mod:`scanner.snmp.session` (and
``get_cmd`` in :mod:`scanner.snmp.query` for the system group); it answers from a dict, optionally
slowly, not at all, or with OIDs out of order.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import pytest
from pysnmp.proto import errind
from pysnmp.proto.rfc1902 import Integer32, ObjectIdentifier, OctetString
from pysnmp.proto.rfc1905 import EndOfMibView, NoSuchObject

import scanner.snmp.query as snmp
import scanner.snmp.session as session_module
from scanner.model import SnmpInfo
from scanner.snmp.session import AgentSession, oid_key
from scanner.snmp.tables import collect_details

ENTITY_CLASS = "1.3.6.1.2.1.47.1.1.1.1.5"
RUNNING = "1.3.6.1.2.1.25.4.2.1.2"


def _oid(var_bind: Any) -> str:
    """The OID of an ObjectType the session built (pysnmp resolves it through a MIB view)."""
    return str(var_bind.resolve_with_mib(snmp.shared_mib_view())[0])


class FakeAgent:
    """An agent that answers GET and GETBULK from ``data``; ``delay`` per request."""

    def __init__(self, data: dict[str, Any], delay: float = 0.0, silent: bool = False,
                 bulk_rows: Callable[[str, int], list[str]] | None = None) -> None:
        self.data = data
        self.delay = delay
        self.silent = silent
        self.bulk_rows = bulk_rows or self._following
        self.requests = 0

    def _following(self, start: str, repetitions: int) -> list[str]:
        ordered = sorted(self.data, key=oid_key)
        return [oid for oid in ordered if oid_key(oid) > oid_key(start)][:repetitions]

    async def _answer(self) -> bool:
        self.requests += 1
        await asyncio.sleep(self.delay)
        return not self.silent

    async def get(self, _engine: Any, _auth: Any, _target: Any, _context: Any, *var_binds: Any,
                  **_options: Any) -> tuple[Any, int, int, list[tuple[str, Any]]]:
        if not await self._answer():
            return errind.requestTimedOut, 0, 0, []
        names = [_oid(vb) for vb in var_binds]
        return None, 0, 0, [(name, self.data.get(name, NoSuchObject(""))) for name in names]

    async def bulk(self, _engine: Any, _auth: Any, _target: Any, _context: Any,
                   _non_repeaters: int, repetitions: int, var_bind: Any,
                   **_options: Any) -> tuple[Any, int, int, list[tuple[str, Any]]]:
        if not await self._answer():
            return errind.requestTimedOut, 0, 0, []
        rows = [(oid, self.data[oid]) for oid in self.bulk_rows(_oid(var_bind), repetitions)]
        if len(rows) < repetitions:
            rows.append(("1.9", EndOfMibView("")))
        return None, 0, 0, rows


@pytest.fixture
def agent(monkeypatch: pytest.MonkeyPatch) -> Callable[..., FakeAgent]:
    def install(data: dict[str, Any], **kwargs: Any) -> FakeAgent:
        fake = FakeAgent(data, **kwargs)
        monkeypatch.setattr(session_module, "get_cmd", fake.get)
        monkeypatch.setattr(session_module, "bulk_cmd", fake.bulk)
        return fake
    return install


def _session(seconds: float = 5.0, varbinds: int = 500) -> AgentSession:
    loop = asyncio.get_running_loop()
    return AgentSession(None, None, None, deadline=loop.time() + seconds,  # type: ignore[arg-type]
                        varbinds_left=varbinds)


def _processes(count: int) -> dict[str, Any]:
    return {f"{RUNNING}.{pid}": OctetString(f"p{pid:04d}.exe".encode())
            for pid in range(1, count + 1)}


def test_walk_stops_at_row_limit_and_counts_varbinds(agent: Callable[..., FakeAgent]) -> None:
    fake = agent(_processes(400))

    async def run() -> tuple[int, int]:
        session = _session(varbinds=500)
        rows = await session.walk(RUNNING, 150, "running")
        return len(rows), session.varbinds_left

    rows, left = asyncio.run(run())
    assert rows == 150 and left == 350
    assert fake.requests == 6  # 25 rows a request


def test_walk_stops_at_the_end_of_the_subtree(agent: Callable[..., FakeAgent]) -> None:
    agent({**_processes(3), "1.3.6.1.2.1.25.5.1.0": Integer32(7)})
    rows = asyncio.run(_walk(RUNNING, 150))
    assert [oid for oid, _ in rows] == [f"{RUNNING}.{pid}" for pid in (1, 2, 3)]


def test_walk_stops_at_an_oid_that_does_not_increase(agent: Callable[..., FakeAgent]) -> None:
    # Like sophos-xg: an agent that serves a row out of order; followed blindly, the walk
    # would go round in circles until its row limit.
    looping = [f"{RUNNING}.{pid}" for pid in (1, 2, 3, 4, 5, 3)]
    fake = agent(_processes(30), bulk_rows=lambda _start, _repetitions: looping)
    rows = asyncio.run(_walk(RUNNING, 150))
    assert [oid for oid, _ in rows] == looping[:5]
    assert fake.requests == 1


async def _walk(root: str, max_rows: int) -> list[tuple[str, Any]]:
    return await _session().walk(root, max_rows, "test")


def test_varbind_budget_is_shared_by_all_requests(agent: Callable[..., FakeAgent]) -> None:
    agent(_processes(400))

    async def run() -> tuple[int, list[str]]:
        session = _session(varbinds=60)
        rows = await session.walk(RUNNING, 150, "running")
        more = await session.get([f"{RUNNING}.1"], "again")
        return len(rows) + len(more), session.notes

    count, notes = asyncio.run(run())
    assert count == 60
    assert notes == ["varbind limit for the deeper SNMP collection reached"]


def test_a_silent_agent_is_left_alone_after_three_timeouts(
        agent: Callable[..., FakeAgent]) -> None:
    fake = agent({}, silent=True)

    async def run() -> list[str]:
        session = _session()
        for _ in range(6):
            await session.get(["1.3.6.1.2.1.1.1.0"], "sysDescr")
        return session.notes

    notes = asyncio.run(run())
    assert fake.requests == 3
    assert notes == ["sysDescr: no response before timeout",
                     "agent left alone after 3 unanswered requests"]


def test_slow_agent_costs_at_most_the_host_budget(agent: Callable[..., FakeAgent]) -> None:
    agent({**_processes(400), f"{ENTITY_CLASS}.1": Integer32(3)}, delay=0.2)
    info = SnmpInfo("v2c", "public", True, sys_object_id="1.3.6.1.4.1.8072.3.2.10")
    started = time.monotonic()
    result = asyncio.run(collect_details(None, None, None, info, seconds=0.5,  # type: ignore[arg-type]
                                         max_varbinds=500))
    assert time.monotonic() - started < 1.0
    assert "deeper SNMP collection stopped after 0.5 s" in result.detail_errors
    assert result.sys_object_id == info.sys_object_id  # what was known is kept


def test_collection_fills_identity_and_never_raises(agent: Callable[..., FakeAgent],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    data = {"1.3.6.1.4.1.6574.1.5.1.0": OctetString(b"DS920+"),
            "1.3.6.1.4.1.6574.1.5.3.0": OctetString(b"DSM 7.2-64570"),
            "1.3.6.1.2.1.25.3.2.1.2.1": ObjectIdentifier("1.3.6.1.2.1.25.3.1.3"),
            **_processes(3)}
    agent(data)
    info = SnmpInfo("v2c", "public", True, sys_object_id="1.3.6.1.4.1.8072.3.2.10")
    result = asyncio.run(collect_details(None, None, None, info, 5.0, 500))  # type: ignore[arg-type]
    assert result.identity == {"synology.model": "DS920+", "synology.version": "DSM 7.2-64570",
                               # the identification facts: device table and vendor subtrees
                               "mib.hr_devices": "processor", "mib.enterprises": "6574"}
    assert result.running_software == ("p0001.exe", "p0002.exe", "p0003.exe")
    assert result.detail_errors == ()

    def broken(*_args: Any) -> list[str]:
        raise ValueError("odd answer")

    monkeypatch.setattr("scanner.snmp.tables.software_names", broken)
    result = asyncio.run(collect_details(None, None, None, info, 5.0, 500))  # type: ignore[arg-type]
    assert "running software failed: odd answer" in result.detail_errors
    assert result.identity["synology.model"] == "DS920+"


def test_query_system_groups_keeps_the_system_group_when_details_fail(
        monkeypatch: pytest.MonkeyPatch) -> None:
    async def system_group(*_args: Any, **_kwargs: Any) -> tuple[Any, int, int, list[Any]]:
        return None, 0, 0, [("1.3.6.1.2.1.1.1.0", OctetString(b"Linux fw")),
                            ("1.3.6.1.2.1.1.2.0", ObjectIdentifier("1.3.6.1.4.1.2604.5"))]

    async def broken(*_args: Any, **_kwargs: Any) -> SnmpInfo:
        raise RuntimeError("pysnmp fell over")

    monkeypatch.setattr(snmp, "get_cmd", system_group)
    monkeypatch.setattr(snmp, "collect_details", broken)
    # The fakes answer, so nothing is sent; 127.0.0.1 is only resolved.
    answer = snmp.query_system_groups(["127.0.0.1"], snmp.SnmpOptions(port=9))["127.0.0.1"]
    assert isinstance(answer, SnmpInfo)
    assert answer.sys_object_id == "1.3.6.1.4.1.2604.5"
    assert answer.detail_errors == ("deeper SNMP collection failed: pysnmp fell over",)


def test_wrongly_typed_system_group_values_do_not_lose_the_host(
        monkeypatch: pytest.MonkeyPatch) -> None:
    async def system_group(*_args: Any, **_kwargs: Any) -> tuple[Any, int, int, list[Any]]:
        return None, 0, 0, [("1.3.6.1.2.1.1.1.0", Integer32(2**31 - 1)),
                            ("1.3.6.1.2.1.1.2.0", OctetString(b"1.3.6.1.4.1.8741.1")),
                            ("1.3.6.1.2.1.1.3.0", OctetString(b"up a while"))]

    monkeypatch.setattr(snmp, "get_cmd", system_group)
    options = snmp.SnmpOptions(port=9, details=False)
    answer = snmp.query_system_groups(["127.0.0.1"], options)["127.0.0.1"]
    assert isinstance(answer, SnmpInfo)
    assert (answer.sys_descr, answer.sys_object_id, answer.sys_uptime) == \
        ("2147483647", "1.3.6.1.4.1.8741.1", None)


def test_identification_facts_stay_bounded_on_a_huge_agent(
        agent: Callable[..., FakeAgent]) -> None:
    data: dict[str, Any] = {}
    for index in range(1, 3001):  # 3000 interfaces, 300 vendor subtrees, garbage scalars
        data[f"1.3.6.1.2.1.2.2.1.2.{index}"] = OctetString(b"\x1b[2J" + b"x" * 5000)
        data[f"1.3.6.1.2.1.2.2.1.3.{index}"] = Integer32(6 if index % 2 else 71)
    for number in range(1000, 1300):
        data[f"1.3.6.1.4.1.{number}.1.0"] = Integer32(number)
    data["1.3.6.1.2.1.1.7.0"] = OctetString(b"not a number")
    data["1.0.8802.1.1.2.1.3.6.0"] = OctetString(b"\x28\x00")  # bridge + router bits
    fake = agent(data)
    info = SnmpInfo("v2c", "public", True, sys_object_id="1.3.6.1.4.1.99999")
    result = asyncio.run(collect_details(None, None, None, info, 5.0, 500))  # type: ignore[arg-type]
    facts = result.identity
    assert facts["mib.if_types"] == "6:64,71:64"  # 128 rows read of 3000
    assert len(facts["mib.if_names"]) < 16 * 33 and "\x1b" not in facts["mib.if_names"]
    assert facts["mib.enterprises"] == ",".join(str(n) for n in range(1000, 1012))  # 12 hops
    assert facts["mib.lldp_caps"] == "bridge,router" and "mib.services" not in facts
    assert fake.requests < 60
