"""SNMPv3 users (keys never shown), the v1 fallback, and the harmless write test."""

from __future__ import annotations

from typing import Any

import pytest
from pysnmp.proto import errind
from pysnmp.proto.rfc1902 import ObjectIdentifier, OctetString

import scanner.snmp.query as snmp
import scanner.snmp.write as snmp_write
from scanner.model import SnmpInfo
from scanner.snmp.v3 import V3UserError, parse_v3_user, usm_data


def test_v3_user_parsing_hides_keys() -> None:
    user = parse_v3_user("monitor:SHA-256:authpass123:AES:privpass123")
    assert (user.name, user.auth_protocol, user.priv_protocol, user.security_level) == \
        ("monitor", "sha-256", "aes", "authPriv")
    assert "authpass123" not in repr(user) and "privpass123" not in repr(user)
    assert usm_data(user).userName is not None
    with pytest.raises(V3UserError) as caught:
        parse_v3_user("monitor:SHA:short")
    assert "short" not in str(caught.value).replace("shorter", "")
    for bad in ("", "u:rot13:password1", "u:sha:password1:xor:password2", "u:a"):
        with pytest.raises(V3UserError):
            parse_v3_user(bad)


def test_v1_is_tried_after_v2c_gets_no_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    models: list[int] = []

    async def agent(_engine: Any, auth: Any, *_args: Any, **_kwargs: Any) -> Any:
        models.append(auth.message_processing_model)
        if auth.message_processing_model == 1:
            return errind.requestTimedOut, 0, 0, []
        return None, 0, 0, [("1.3.6.1.2.1.1.1.0", OctetString(b"old printer")),
                            ("1.3.6.1.2.1.1.2.0", ObjectIdentifier("1.3.6.1.4.1.11"))]

    monkeypatch.setattr(snmp, "get_cmd", agent)
    answer = snmp.query_system_groups(["127.0.0.1"], snmp.SnmpOptions(port=9, details=False))
    info = answer["127.0.0.1"]
    assert isinstance(info, SnmpInfo) and info.version == "v1" and models == [1, 0]


def test_write_test_sets_the_value_it_just_read(monkeypatch: pytest.MonkeyPatch) -> None:
    sets: list[bytes] = []

    async def get(*args: Any, **_kwargs: Any) -> Any:
        return None, 0, 0, [("1.3.6.1.2.1.1.6.0", OctetString(b"Server room"))]

    async def set_(*args: Any, **_kwargs: Any) -> Any:
        sets.append(bytes(args[4].resolve_with_mib(snmp.shared_mib_view())[1].asOctets()))
        return None, 0, 0, []

    monkeypatch.setattr(snmp_write, "get_cmd", get)
    monkeypatch.setattr(snmp_write, "set_cmd", set_)
    info = SnmpInfo("v2c", "public", True)
    result = snmp_write.check_write_access({"127.0.0.1": info}, port=9)["127.0.0.1"]
    assert result.writable is True and sets == [b"Server room"]
    assert "current value 'Server room'" in result.evidence and "nothing was changed" in \
        result.evidence
    assert snmp_write.check_write_access({"127.0.0.1": SnmpInfo("v3", "", False)}) == {}
