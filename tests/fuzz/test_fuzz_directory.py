"""Fuzzing the directory collector: whatever a hostile DC answers, directory.json stays sane.

LDAP values are hostile like any other network input: huge, binary, full of control
characters, of the wrong type. The collector must never raise on them, must write a document
that validates against its schema, and every string it keeps must be bounded and free of
control characters (tabs and newlines aside).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scanner.directory.account import AdAccount
from scanner.directory.audit import audit_directory
from scanner.directory.store import load_raw

FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
CONTROL = {chr(c) for c in range(32)} - {"\n", "\t"} | {"\x7f"}
BASE = "DC=ad,DC=example,DC=lan"
VALUES = st.one_of(st.none(), st.text(max_size=300), st.binary(max_size=64),
                   st.integers(min_value=-(2**63), max_value=2**63 - 1),
                   st.lists(st.text(max_size=40), max_size=5),
                   st.just(datetime(1601, 1, 1, tzinfo=UTC)),
                   st.just("x" * 100_000))
ENTRY = st.dictionaries(st.sampled_from(
    ["sAMAccountName", "displayName", "objectSid", "userAccountControl", "lastLogonTimestamp",
     "whenCreated", "pwdLastSet", "primaryGroupID", "servicePrincipalName", "description",
     "operatingSystem", "operatingSystemVersion", "dNSHostName", "member", "adminCount"]),
    VALUES, max_size=12)


class HostileReader:
    transport = "fuzz"

    def __init__(self, users: list[dict[str, Any]], computers: list[dict[str, Any]],
                 groups: list[dict[str, Any]]) -> None:
        self.users, self.computers, self.groups = users, computers, groups

    def root_dse(self) -> dict[str, Any]:
        return {"defaultNamingContext": BASE, "configurationNamingContext": f"CN=C,{BASE}",
                "schemaNamingContext": f"CN=S,CN=C,{BASE}", "domainFunctionality": "x"}

    def search(self, base: str, ldap_filter: str, attributes: Sequence[str],
               scope: str = "subtree") -> list[dict[str, Any]]:
        if "person" in ldap_filter:
            return [{"dn": f"CN=u{i},{BASE}", **u} for i, u in enumerate(self.users)]
        if ldap_filter == "(objectClass=computer)":
            return [{"dn": f"CN=c{i},{BASE}", **c} for i, c in enumerate(self.computers)]
        if ldap_filter == "(objectClass=group)":
            return [{"dn": f"CN=g{i},{BASE}", **g} for i, g in enumerate(self.groups)]
        if scope == "base" and base == BASE:
            return [{"dn": BASE, "objectSid": "S-1-5-21-1-2-3", "minPwdLength": "\x00\x01",
                     "maxPwdAge": "junk"}]
        return []

    def close(self) -> None:
        pass


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@FAST
@given(users=st.lists(ENTRY, max_size=6), computers=st.lists(ENTRY, max_size=4),
       groups=st.lists(ENTRY, max_size=4))
def test_hostile_ldap_values_give_a_valid_bounded_document(tmp_path: Path, users: list,
                                                           computers: list,
                                                           groups: list) -> None:
    reader = HostileReader(users, computers, groups)
    account = AdAccount("audit", "AD", "ad.example.lan", "pw")
    document = audit_directory(tmp_path, account, dc="192.0.2.1",
                               connector=lambda address, acct: reader, sysvol=False)
    assert load_raw(tmp_path) is not None  # it validated against the schema
    for text in _strings(document):
        assert not (set(text) & CONTROL)
        assert len(text) <= 2048


SYSVOL_PIECES = st.sampled_from([b"<Groups>", b"</Groups>", b'<User name="a">',
                                 b'<Properties cpassword="abc" userName="x\x07"/>', b"</User>",
                                 b"[System Access]\r\n", b"MinimumPasswordLength = 4\r\n",
                                 b"\xff\xfe", b"\x00", b"<!DOCTYPE x [<!ENTITY a 'b'>]>", b"&a;"])


@FAST
@given(raw=st.one_of(st.binary(max_size=400),
                     st.lists(SYSVOL_PIECES, max_size=12).map(b"".join)))
def test_hostile_sysvol_files_never_raise(raw: bytes) -> None:
    from scanner.directory.sysvol import gpp_secrets, gpttmpl_policy

    for secret in gpp_secrets(raw):
        assert set(secret) == {"kind", "account", "changed"}
        assert not any(set(v) & CONTROL for v in secret.values())
    assert all(isinstance(v, int) for v in gpttmpl_policy(raw).values())
