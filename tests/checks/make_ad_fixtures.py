"""Write the AD-0xx check fixtures: one clean small-office directory and one change per FAIL.

Run ``python -m tests.checks.make_ad_fixtures`` after changing a case; the JSON files it
writes are the fixtures ``test_checks.py`` runs. Every case is written here by hand for the
check it is about (the pass case is the same clean domain for every check).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"
AT = "2026-11-20T10:00:00+00:00"
DOM = "S-1-5-21-10-20-30"


def _user(name: str, rid: int, last: str | None = "2026-11-18T08:00:00+00:00",
          **extra: Any) -> dict[str, Any]:
    return {"name": name, "sid": f"{DOM}-{rid}", "rid": rid, "enabled": True,
            "last_logon": last, "created": "2024-02-01T09:00:00+00:00",
            "password_last_set": "2026-09-01T09:00:00+00:00", "primary_group_rid": 513,
            "spns": [], **extra}


def _computer(name: str, system: str, version: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "enabled": True, "operating_system": system,
            "operating_system_version": version, "last_logon": "2026-11-17T08:00:00+00:00",
            "primary_group_rid": 515, "laps": True, "is_dc": False, **extra}


def _group(key: str, name: str, *members: tuple[str, str]) -> dict[str, Any]:
    return {"key": key, "name": name, "members": [{"name": m, "kind": "user", "via": via}
                                                  for m, via in members]}


def clean() -> dict[str, Any]:
    """A well-kept 2016-level domain of five people with one separate admin account."""
    return {
        "schema_version": "1.0", "collected_at": AT, "account": "audit@example.lan",
        "status": "complete", "error": "", "sources": {"ldap": "ok", "sysvol": "ok"},
        "controller": {"address": "192.168.1.10", "transport": "fixture"},
        "domain": {"dns_name": "example.lan", "sid": DOM, "machine_account_quota": 0,
                   "recycle_bin_enabled": True,
                   "domain_functional_level": {"level": 7, "name": "2016"},
                   "forest_functional_level": {"level": 7, "name": "2016"},
                   "laps": {"legacy_schema": False, "windows_schema": True},
                   "krbtgt_password_last_set": "2026-06-01T09:00:00+00:00"},
        "password_policy": {"source": "domain object", "min_length": 12, "complexity": True,
                            "reversible_encryption": False, "history": 24,
                            "max_age_days": 365.0, "lockout_threshold": 5,
                            "lockout_duration_minutes": 15.0},
        "fine_grained_policies": [{"name": "Admins", "min_length": 16, "complexity": True,
                                   "history": 24, "max_age_days": 180.0,
                                   "lockout_threshold": 5, "applies_to": ["admin.ann"]}],
        "users": [
            _user("Administrator", 500, "2026-10-01T08:00:00+00:00"),
            _user("Guest", 501, None, enabled=False),
            _user("krbtgt", 502, None, enabled=False, spns=["kadmin/changepw"],
                  password_last_set="2026-06-01T09:00:00+00:00"),
            _user("ann", 1101), _user("ben", 1102), _user("cara", 1103), _user("dev", 1104),
            _user("eli", 1105),
            _user("admin.ann", 1106, not_delegated=True, protected_users=True),
        ],
        "computers": [
            _computer("DC1", "Windows Server 2022 Standard", "10.0 (20348)", is_dc=True,
                      primary_group_rid=516, laps=None),
            _computer("DC2", "Windows Server 2022 Standard", "10.0 (20348)", is_dc=True,
                      primary_group_rid=516, laps=None),
            _computer("PC1", "Windows 11 Pro", "10.0 (26200)"),
            _computer("PC2", "Windows 11 Enterprise", "10.0 (26100)"),
        ],
        "privileged_groups": [
            _group("administrators", "Administrators", ("Administrator", "direct"),
                   ("admin.ann", "via Domain Admins")),
            _group("domain_admins", "Domain Admins", ("Administrator", "direct"),
                   ("admin.ann", "direct")),
            _group("enterprise_admins", "Enterprise Admins"),
            _group("schema_admins", "Schema Admins"),
            _group("account_operators", "Account Operators"),
            _group("backup_operators", "Backup Operators"),
            _group("dns_admins", "DnsAdmins"),
            _group("protected_users", "Protected Users", ("admin.ann", "direct")),
        ],
        "gpos": [], "gpp_passwords": [], "gpo_security_templates": [],
    }


def user(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return next(u for u in doc["users"] if u["name"] == name)


def group(doc: dict[str, Any], key: str) -> dict[str, Any]:
    return next(g for g in doc["privileged_groups"] if g["key"] == key)


def add_admin(doc: dict[str, Any], name: str, rid: int, **extra: Any) -> None:
    doc["users"].append(_user(name, rid, **extra))
    group(doc, "domain_admins")["members"].append({"name": name, "kind": "user",
                                                   "via": "direct"})


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target = doc
        for part in parents:
            target = target[part]
        target[last] = value
    return change


def _user_flag(name: str, **values: Any) -> Callable[[dict[str, Any]], None]:
    return lambda doc: user(doc, name).update(values)


def _two(*changes: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        for one in changes:
            one(doc)
    return change


def _many_admins(doc: dict[str, Any]) -> None:
    for name in ("ann", "ben", "cara"):
        group(doc, "domain_admins")["members"].append({"name": name, "kind": "user",
                                                       "via": "direct"})


def _service_admin(doc: dict[str, Any]) -> None:
    add_admin(doc, "svc_backup", 1200, password_never_expires=True,
              spns=["MSSQLSvc/sql1.example.lan:1433"], not_delegated=True)


def _gpp(doc: dict[str, Any]) -> None:
    doc["gpp_passwords"] = [{"gpo": "{31B2F340-016D-11D2-945F-00C04FB984F9}",
                             "gpo_name": "Default Domain Policy",
                             "file": "Machine/Preferences/Groups/Groups.xml", "kind": "User",
                             "account": "localadmin", "changed": "2019-05-14 09:12:44"}]


FAILS: dict[str, tuple[str, Callable[[dict[str, Any]], None]]] = {
    "AD-001": ("a leaver's account unused for 200 days",
               _user_flag("cara", last_logon="2026-05-04T08:00:00+00:00")),
    "AD-002": ("an account created in 2024 that never logged on",
               _user_flag("eli", last_logon=None)),
    "AD-003": ("a disabled former admin still in Domain Admins",
               lambda d: add_admin(d, "old.boss", 1300, enabled=False)),
    "AD-004": ("a person's password never expires",
               _user_flag("ben", password_never_expires=True)),
    "AD-005": ("a kiosk account allowed an empty password",
               _user_flag("dev", password_not_required=True)),
    "AD-006": ("reversible encryption on one account",
               _user_flag("ann", reversible_encryption=True)),
    "AD-007": ("a copier account without Kerberos pre-authentication",
               _user_flag("eli", no_preauth=True)),
    "AD-008": ("a service account with an SPN in Domain Admins", _service_admin),
    "AD-009": ("Administrator used 2 days ago",
               _user_flag("Administrator", last_logon="2026-11-18T08:00:00+00:00")),
    "AD-010": ("Guest enabled", _user_flag("Guest", enabled=True)),
    "AD-011": ("everyone is a domain admin (4 of 6 people)", _many_admins),
    "AD-012": ("a service account in Domain Admins", _service_admin),
    "AD-013": ("an admin unused for 120 days",
               lambda d: add_admin(d, "it.contractor", 1301,
                                   last_logon="2026-07-23T08:00:00+00:00", not_delegated=True)),
    "AD-014": ("Administrator left in Schema Admins",
               lambda d: group(d, "schema_admins")["members"].append(
                   {"name": "Administrator", "kind": "user", "via": "direct"})),
    "AD-015": ("a user in Backup Operators",
               lambda d: group(d, "backup_operators")["members"].append(
                   {"name": "dev", "kind": "user", "via": "direct"})),
    "AD-016": ("an admin neither in Protected Users nor sensitive",
               lambda d: add_admin(d, "admin.ben", 1302)),
    "AD-017": ("a former admin keeps adminCount=1", _user_flag("ben", admin_count=1)),
    "AD-018": ("a user in DnsAdmins",
               lambda d: group(d, "dns_admins")["members"].append(
                   {"name": "dev", "kind": "user", "via": "direct"})),
    "AD-019": ("minimum length 6", _set("password_policy.min_length", 6)),
    "AD-020": ("complexity off with 8 characters",
               _two(_set("password_policy.complexity", False),
                    _set("password_policy.min_length", 8))),
    "AD-021": ("history 0", _set("password_policy.history", 0)),
    "AD-022": ("no lockout", _set("password_policy.lockout_threshold", 0)),
    "AD-023": ("12-character passwords that never expire",
               _set("password_policy.max_age_days", None)),
    "AD-024": ("a PSO of 4 characters for service accounts",
               lambda d: d["fine_grained_policies"].append(
                   {"name": "Service accounts", "min_length": 4, "complexity": False,
                    "history": 0, "lockout_threshold": 0, "applies_to": ["svc_backup"]})),
    "AD-025": ("machine account quota 10", _set("domain.machine_account_quota", 10)),
    "AD-026": ("no LAPS schema", _set("domain.laps", {"legacy_schema": False,
                                                      "windows_schema": False})),
    "AD-028": ("Recycle Bin off", _set("domain.recycle_bin_enabled", False)),
    "AD-029": ("2008 R2 levels (Samba's)", _set("domain.domain_functional_level",
                                                {"level": 4, "name": "2008 R2"})),
    "AD-030": ("one DC", lambda d: d["computers"].pop(1)),
    "AD-031": ("a GPP Groups.xml with a cpassword", _gpp),
    "AD-032": ("a PC unused for 300 days",
               lambda d: d["computers"].append(_computer(
                   "OLD-PC", "Windows 10 Pro", "10.0 (19045)",
                   last_logon="2026-01-24T08:00:00+00:00"))),
    "AD-033": ("a server trusted for unconstrained delegation",
               lambda d: d["computers"].append(_computer(
                   "APP1", "Windows Server 2019 Standard", "10.0 (17763)",
                   trusted_for_delegation=True))),
    "AD-034": ("an account with SID history", _user_flag("dev", sid_history=True)),
    "AD-035": ("a DES-only account", _user_flag("dev", des_only=True)),
    "AD-036": ("a user whose primary group is Domain Admins",
               _user_flag("ben", primary_group_rid=512)),
    "AD-037": ("a Windows 10 22H2 PC and a Server 2012 R2 (off during the scan)",
               lambda d: d["computers"].extend([
                   _computer("FRONT-PC", "Windows 10 Pro", "10.0 (19045)"),
                   _computer("FS1", "Windows Server 2012 R2 Standard", "6.3 (9600)")])),
    "AD-038": ("a Server 2016 whose extended support ends in January 2027",
               lambda d: d["computers"].append(_computer(
                   "APP1", "Windows Server 2016 Standard", "10.0 (14393)"))),
}


FAILS["AD-027"] = ("krbtgt password set in 2019",
                   _user_flag("krbtgt", password_last_set="2019-03-01T09:00:00+00:00"))


def case(description: str, directory: dict[str, Any] | None, status: str,
         now: str | None = None) -> dict[str, Any]:
    document: dict[str, Any] = {"description": description, "hosts": [],
                                "gateway": "192.168.1.1",
                                "expected": [{"status": status, "ip": None}]}
    if directory is not None:
        document["directory"] = directory
    if now:
        document["now"] = now
    return document


def write(check_id: str, name: str, document: dict[str, Any]) -> None:
    folder = FIXTURES / check_id
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps(document, indent=1) + "\n")


def main() -> None:
    failed_audit = {"schema_version": "1.0", "collected_at": AT, "account": "audit@example.lan",
                    "status": "failed", "error": "the domain controller 192.168.1.10 refused "
                    "the account's name or password", "error_kind": "bad_credentials"}
    for check_id, (description, change) in FAILS.items():
        write(check_id, "pass", case("a well-kept small domain", clean(), "PASS"))
        broken = copy.deepcopy(clean())
        change(broken)
        write(check_id, "fail", case(description, broken, "FAIL"))
        write(check_id, "unknown", case("no directory audit ran", None, "UNKNOWN"))
        write(check_id, "unknown-failed", case("the audit's bind was refused", failed_audit,
                                               "UNKNOWN"))
    # Injected clock: the same krbtgt date passes today and fails two years on.
    write("AD-027", "fail-injected-now", case("krbtgt 100 days old at audit, 900 days at the "
                                              "injected now", clean(), "FAIL",
                                              now="2028-11-20T10:00:00+00:00"))
    stale_ok = clean()
    user(stale_ok, "cara")["last_logon"] = "2026-08-25T08:00:00+00:00"  # 87 days
    write("AD-001", "pass-87-days", case("87 days is under the 90-day threshold", stale_ok,
                                         "PASS"))
    no_sysvol = clean()
    no_sysvol["sources"]["sysvol"] = "failed: access denied"
    no_sysvol["status"] = "partial"
    write("AD-031", "unknown-no-sysvol", case("SYSVOL could not be read", no_sysvol, "UNKNOWN"))
    samba_only = clean()
    samba_only["computers"] = [_computer("DC01", "Samba", "4.17.12-Debian", is_dc=True,
                                         primary_group_rid=516)]
    write("AD-037", "unknown-no-windows", case("only a Samba DC: no Windows release to judge",
                                               samba_only, "UNKNOWN"))
    pro_24h2 = clean()
    pro_24h2["computers"].append(_computer("ENT-PC", "Windows 11 Enterprise", "10.0 (26100)"))
    write("AD-037", "pass-enterprise-24h2", case(
        "Windows 11 24H2 Enterprise runs a year longer than Pro: supported, never called out",
        pro_24h2, "PASS"))
    _srv_fixtures()
    no_pso = clean()
    no_pso["fine_grained_policies"] = []
    write("AD-024", "unknown-not-visible", case("no PSO visible to a plain user", no_pso,
                                                "UNKNOWN"))


def _srv_fixtures() -> None:
    """SRV-001/SRV-002 answered from the directory: machines named, also those not seen."""
    for check_id, old, new, noun in (
            ("SRV-001", ("FS1", "Windows Server 2012 R2 Standard", "6.3 (9600)"),
             ("APP1", "Windows Server 2019 Standard", "10.0 (17763)"), "server"),
            ("SRV-002", ("XRAY-PC", "Windows 7 Professional", "6.1 (7601)"),
             ("ENT-PC", "Windows 11 Enterprise", "10.0 (26100)"), "PC")):
        broken, fine = clean(), clean()
        broken["computers"].append(_computer(*old))
        fine["computers"].append(_computer(*new))
        write(check_id, "fail-directory", case(f"a {noun} past its end of support in the "
                                               "directory, not seen on the network", broken,
                                               "FAIL"))
        write(check_id, "pass-directory", case(f"only supported {noun}s in the directory; "
                                               "the scan saw none", fine, "PASS"))
        stale = clean()
        stale["computers"].append(_computer(*old, last_logon="2025-01-10T08:00:00+00:00"))
        write(check_id, "pass-directory-stale-old", case(
            f"an unsupported {noun} account unused for 300+ days is AD-032/AD-037's business, "
            "not a machine in use", stale, "PASS"))


if __name__ == "__main__":
    main()
