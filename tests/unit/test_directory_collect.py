"""The directory collector against a fake reader: privilege recursion, values, GPP, schema."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scanner.directory import values
from scanner.directory.account import AccountError, AdAccount, parse_account, read_password
from scanner.directory.audit import audit_directory
from scanner.directory.reader import AuthenticationError, Entry
from scanner.directory.store import load_raw
from scanner.directory.sysvol import gpp_secrets, gpttmpl_policy

DOM = "S-1-5-21-1-2-3"
BASE = "DC=ad,DC=example,DC=lan"


def _user(name: str, rid: int, uac: int = 0x200, primary: int = 513, **extra: object) -> Entry:
    return {"dn": f"CN={name},CN=Users,{BASE}", "sAMAccountName": name,
            "objectSid": f"{DOM}-{rid}", "userAccountControl": uac, "primaryGroupID": primary,
            "whenCreated": datetime(2024, 1, 1, tzinfo=UTC), **extra}


USERS = [
    _user("Administrator", 500, lastLogonTimestamp=datetime(2026, 11, 1, tzinfo=UTC)),
    _user("krbtgt", 502, uac=0x202),
    _user("alice", 1101),
    _user("svc_sql", 1102, uac=0x10200, servicePrincipalName=["MSSQLSvc/sql.ad.example.lan"]),
    _user("bob", 1103, primary=512),  # Domain Admin only through his primary group
    _user("carol", 1104),             # in a nested group of Administrators
    _user("<script>\x07evil", 1105),
]
GROUPS = [
    {"dn": f"CN=Domain Admins,CN=Users,{BASE}", "sAMAccountName": "Domain Admins",
     "objectSid": f"{DOM}-512", "member": [f"CN=Administrator,CN=Users,{BASE}",
                                           f"CN=svc_sql,CN=Users,{BASE}"]},
    {"dn": f"CN=Administrators,CN=Builtin,{BASE}", "sAMAccountName": "Administrators",
     "objectSid": "S-1-5-32-544", "member": [f"CN=Domain Admins,CN=Users,{BASE}",
                                             f"CN=IT,CN=Users,{BASE}"]},
    {"dn": f"CN=IT,CN=Users,{BASE}", "sAMAccountName": "IT", "objectSid": f"{DOM}-1200",
     "member": [f"CN=carol,CN=Users,{BASE}", f"CN=Administrators,CN=Builtin,{BASE}"]},
]


class FakeReader:
    """Answers the collector's searches from the lists above."""

    transport = "fake"

    def root_dse(self) -> Entry:
        return {"defaultNamingContext": BASE,
                "configurationNamingContext": f"CN=Configuration,{BASE}",
                "schemaNamingContext": f"CN=Schema,CN=Configuration,{BASE}",
                "domainFunctionality": "7", "forestFunctionality": "7"}

    def search(self, base: str, ldap_filter: str, attributes: Sequence[str],
               scope: str = "subtree") -> list[Entry]:
        if base == BASE and scope == "base":
            return [{"dn": BASE, "objectSid": DOM, "minPwdLength": 7, "pwdProperties": 1,
                     "pwdHistoryLength": 24, "maxPwdAge": timedelta(days=-42),
                     "lockoutThreshold": 0, "lockoutDuration": -18000000000,
                     "ms-DS-MachineAccountQuota": 10}]
        if "objectCategory=person" in ldap_filter:
            return USERS
        if ldap_filter == "(objectClass=group)":
            return GROUPS
        if ldap_filter == "(objectClass=computer)":
            return [{"dn": f"CN=PC1,{BASE}", "sAMAccountName": "PC1$",
                     "userAccountControl": 0x1000,
                     "operatingSystem": "Windows 10 Pro", "operatingSystemVersion": "10.0 (19045)",
                     "primaryGroupID": 515}]
        return []

    def close(self) -> None:
        pass


def _audit(tmp_path: Path) -> dict:
    account = AdAccount("audit", "AD", "ad.example.lan", "not-a-real-password")
    return audit_directory(tmp_path, account, dc="192.0.2.10",
                           connector=lambda address, acct: FakeReader(), sysvol=False)


def test_privileged_membership_is_recursive_and_counts_primary_groups(tmp_path: Path) -> None:
    document = _audit(tmp_path)
    groups = {g["key"]: {m["name"]: m["via"] for m in g["members"]}
              for g in document["privileged_groups"]}
    assert groups["domain_admins"] == {"Administrator": "direct", "bob": "primary group",
                                       "svc_sql": "direct"}
    assert groups["administrators"]["carol"] == "via IT"
    assert groups["administrators"]["bob"] == "primary group, via Domain Admins"


def test_document_is_valid_bounded_and_holds_no_password(tmp_path: Path) -> None:
    document = _audit(tmp_path)
    assert load_raw(tmp_path)["status"] == "partial"  # SYSVOL not read
    names = [u["name"] for u in document["users"]]
    assert "<script>evil" in names  # control characters stripped (escaping is the report's job)
    assert "not-a-real-password" not in (tmp_path / "directory.json").read_text()
    assert document["password_policy"]["lockout_threshold"] == 0
    assert document["password_policy"]["lockout_duration_minutes"] == 30.0
    assert document["domain"]["domain_functional_level"]["name"] == "2016"


def test_a_failed_audit_is_recorded_but_never_replaces_a_good_one(tmp_path: Path) -> None:
    def refuse(address: str, account: AdAccount) -> FakeReader:
        raise AuthenticationError("the domain controller refused the account's name or password")

    account = AdAccount("audit", "AD", "ad.example.lan", "x")
    with pytest.raises(AuthenticationError):
        audit_directory(tmp_path, account, dc="192.0.2.10", connector=refuse)
    assert load_raw(tmp_path)["error_kind"] == "bad_credentials"
    _audit(tmp_path)
    with pytest.raises(AuthenticationError):
        audit_directory(tmp_path, account, dc="192.0.2.10", connector=refuse)
    assert load_raw(tmp_path)["status"] == "partial"


def test_gpp_reports_the_account_never_the_cpassword() -> None:
    xml = (b'<?xml version="1.0" encoding="utf-8"?><Groups clsid="{x}"><User clsid="{y}" '
           b'name="backupadmin" changed="2019-03-01 10:00:00"><Properties action="U" '
           b'cpassword="j1Uyj3Vx8TY9LtLZil2uAuZkFQA/4latT76ZwgdHdhw" userName="backupadmin"/>'
           b'</User><User name="nopw"><Properties action="U" cpassword=""/></User></Groups>')
    found = gpp_secrets(xml)
    assert found == [{"kind": "User", "account": "backupadmin",
                      "changed": "2019-03-01 10:00:00"}]
    assert gpp_secrets(b"<not xml") == []


def test_gpttmpl_system_access_is_read_from_utf16() -> None:
    raw = "[Unicode]\r\nUnicode=yes\r\n[System Access]\r\nMinimumPasswordLength = 5\r\n" \
          "LockoutBadCount = 0\r\n".encode("utf-16")
    assert gpttmpl_policy(raw) == {"MinimumPasswordLength": 5, "LockoutBadCount": 0}


def test_filetime_and_intervals() -> None:
    assert values.to_time(0) is None
    assert values.to_time(0x7FFFFFFFFFFFFFFF) is None
    assert values.to_time(133000000000000000).startswith("2022-06-18")
    assert values.to_days(-36288000000000) == 42.0
    assert values.to_days(-0x8000000000000000) is None


@pytest.mark.parametrize("spec,display", [("audit@AD.Example.LAN", "audit@ad.example.lan"),
                                          ("OFFICE\\audit", "OFFICE\\audit")])
def test_account_forms(spec: str, display: str) -> None:
    assert parse_account(spec).display == display


@pytest.mark.parametrize("spec", ["audit", "a b@x", "OFFICE\\", "@realm"])
def test_bad_account_forms(spec: str) -> None:
    with pytest.raises(AccountError):
        parse_account(spec)


def test_password_comes_from_the_environment_and_leaves_it(monkeypatch) -> None:
    monkeypatch.setenv("SITEWALK_AD_PASSWORD", "s3cret")
    account = read_password(parse_account("OFFICE\\audit"), interactive=False)
    assert account.password == "s3cret" and "s3cret" not in repr(account)
    import os
    assert "SITEWALK_AD_PASSWORD" not in os.environ
    with pytest.raises(AccountError):
        read_password(parse_account("OFFICE\\audit"), interactive=False)


@pytest.mark.parametrize("text,kind,words", [
    ("LDAP Bind failed! Result code: \"invalidCredentials\" Reason: \"b'8009030C: LdapErr: "
     "DSID-0C0904DC, comment: AcceptSecurityContext error, data 52e, v1db1'\"",
     "bad_credentials", "name or password"),
    ("... AcceptSecurityContext error, data 533, v1db1", "bind_refused", "disabled"),
    ("... AcceptSecurityContext error, data 775, v1db1", "bind_refused", "locked out"),
    ("[Errno 113] Connect call failed ('192.0.2.9', 389)", "no_dc", "no LDAP answer"),
    ("Sign or Seal are required", "bind_refused", "refused the bind"),
])
def test_bind_failures_are_one_clear_line(text: str, kind: str, words: str) -> None:
    from scanner.directory.msldap_reader import _classify

    error = _classify(RuntimeError(text), "192.0.2.9", "LDAP 389")
    assert error.kind == kind and words in str(error) and "\n" not in str(error)


def test_the_plan_is_priced_on_enabled_people_unless_the_interview_says(tmp_path: Path) -> None:
    from checks.assess import assess
    from scanner.directory.model import directory_from_dict
    from scanner.model import inventory_from_dict

    directory = directory_from_dict(_audit(tmp_path))
    inventory = inventory_from_dict({"schema_version": "1.2", "client": "X", "targets": [],
                                     "complete": True, "hosts": [], "gateway": None})
    users = assess(inventory, {}, directory=directory)["plan"]["inputs"]["users"]
    people = len(directory.people)  # alice, bob, carol and the hostile name; not svc_sql
    assert (users["value"], users["source"].split(":")[0]) == (people, "directory")
    assert people == 4
    told = assess(inventory, {"computer_users": 12}, directory=directory)
    assert told["plan"]["inputs"]["users"]["value"] == 12
