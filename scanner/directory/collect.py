"""Reading the directory through a :class:`DirectoryReader` into the ``directory.json`` body.

Only searches: no write, no password guessing, nothing that changes an object or touches an
account's lockout counter beyond the one bind. Attribute lists are explicit, so a plain domain
user reads what it may and nothing confidential (LAPS passwords stay hidden by the DC).
"""

from __future__ import annotations

from typing import Any

from scanner.directory import values as v
from scanner.directory.privilege import (
    PRIVILEGED_GROUPS,
    AccountRecord,
    GroupRecord,
    primary_index,
    recursive_members,
    resolve_sid,
)
from scanner.directory.reader import DirectoryReader, Entry

MAX_OBJECTS = 20_000  # per object kind: far above a small office, a bound on hostile DCs

USER_ATTRIBUTES = ("sAMAccountName", "displayName", "objectSid", "userAccountControl",
                   "lastLogonTimestamp", "whenCreated", "pwdLastSet", "primaryGroupID",
                   "servicePrincipalName", "description", "sIDHistory", "scriptPath",
                   "msDS-SupportedEncryptionTypes", "msDS-AllowedToDelegateTo", "adminCount")
COMPUTER_ATTRIBUTES = ("sAMAccountName", "dNSHostName", "objectSid", "userAccountControl",
                       "operatingSystem", "operatingSystemVersion", "lastLogonTimestamp",
                       "whenCreated", "pwdLastSet", "primaryGroupID",
                       "ms-Mcs-AdmPwdExpirationTime", "msLAPS-PasswordExpirationTime")
DOMAIN_ATTRIBUTES = ("objectSid", "name", "whenCreated", "minPwdLength", "pwdProperties",
                     "pwdHistoryLength", "maxPwdAge", "minPwdAge", "lockoutThreshold",
                     "lockoutDuration", "lockOutObservationWindow", "ms-DS-MachineAccountQuota",
                     "msDS-Behavior-Version")
PSO_ATTRIBUTES = ("name", "msDS-PasswordSettingsPrecedence", "msDS-MinimumPasswordLength",
                  "msDS-PasswordComplexityEnabled", "msDS-PasswordHistoryLength",
                  "msDS-MaximumPasswordAge", "msDS-LockoutThreshold",
                  "msDS-PasswordReversibleEncryptionEnabled", "msDS-PSOAppliesTo")
FUNCTIONAL_LEVELS = {0: "2000", 1: "2003 interim", 2: "2003", 3: "2008", 4: "2008 R2",
                     5: "2012", 6: "2012 R2", 7: "2016", 10: "2025"}


def _level(value: Any) -> dict[str, Any] | None:
    number = v.to_int(value)
    if number is None:
        return None
    return {"level": number, "name": FUNCTIONAL_LEVELS.get(number, f"level {number}")}


def _user(entry: Entry, protected: set[str]) -> dict[str, Any]:
    uac = v.to_int(entry.get("userAccountControl")) or 0
    sid = v.sid_text(entry.get("objectSid"))
    return {
        "name": v.name(entry.get("sAMAccountName")),
        "display_name": v.text(entry.get("displayName"), 128),
        "dn": v.text(entry.get("dn"), 512),
        "sid": sid, "rid": v.rid(sid),
        "enabled": not uac & v.UAC_DISABLED,
        "last_logon": v.to_time(entry.get("lastLogonTimestamp")),
        "created": v.to_time(entry.get("whenCreated")),
        "password_last_set": v.to_time(entry.get("pwdLastSet")),
        "password_never_expires": bool(uac & v.UAC_DONT_EXPIRE),
        "password_not_required": bool(uac & v.UAC_PASSWD_NOTREQD),
        "reversible_encryption": bool(uac & v.UAC_ENCRYPTED_TEXT_PWD),
        "no_preauth": bool(uac & v.UAC_DONT_REQ_PREAUTH),
        "des_only": bool(uac & v.UAC_USE_DES_KEY_ONLY),
        "trusted_for_delegation": bool(uac & v.UAC_TRUSTED_FOR_DELEGATION),
        "not_delegated": bool(uac & v.UAC_NOT_DELEGATED),
        "spns": v.names(entry.get("servicePrincipalName"), 50),
        "primary_group_rid": v.to_int(entry.get("primaryGroupID")),
        "sid_history": bool(v.many(entry.get("sIDHistory"))),
        "protected_users": v.text(entry.get("dn"), 512).lower() in protected,
        "admin_count": v.to_int(entry.get("adminCount")),
        "description": v.text(entry.get("description"), 200),
    }


def _computer(entry: Entry, laps_legacy: bool, laps_windows: bool) -> dict[str, Any]:
    uac = v.to_int(entry.get("userAccountControl")) or 0
    laps: bool | None = None
    if laps_legacy or laps_windows:
        laps = bool(entry.get("ms-Mcs-AdmPwdExpirationTime")
                    or entry.get("msLAPS-PasswordExpirationTime"))
    primary = v.to_int(entry.get("primaryGroupID"))
    return {
        "name": v.name(entry.get("sAMAccountName")).removesuffix("$"),
        "dns_name": v.name(entry.get("dNSHostName")),
        "dn": v.text(entry.get("dn"), 512),
        "enabled": not uac & v.UAC_DISABLED,
        "is_dc": bool(uac & v.UAC_SERVER_TRUST) or primary in (516, 521),
        "operating_system": v.text(entry.get("operatingSystem"), 128),
        "operating_system_version": v.text(entry.get("operatingSystemVersion"), 64),
        "last_logon": v.to_time(entry.get("lastLogonTimestamp")),
        "created": v.to_time(entry.get("whenCreated")),
        "password_last_set": v.to_time(entry.get("pwdLastSet")),
        "trusted_for_delegation": bool(uac & v.UAC_TRUSTED_FOR_DELEGATION)
        and not uac & v.UAC_SERVER_TRUST,
        "no_preauth": bool(uac & v.UAC_DONT_REQ_PREAUTH),
        "primary_group_rid": primary,
        "laps": laps,
    }


def _policy(domain: Entry) -> dict[str, Any]:
    properties = v.to_int(domain.get("pwdProperties")) or 0
    return {
        "source": "domain object",
        "min_length": v.to_int(domain.get("minPwdLength")),
        "complexity": bool(properties & 0x1),
        "reversible_encryption": bool(properties & 0x10),
        "history": v.to_int(domain.get("pwdHistoryLength")),
        "max_age_days": v.to_days(domain.get("maxPwdAge")),
        "min_age_days": v.to_days(domain.get("minPwdAge")),
        "lockout_threshold": v.to_int(domain.get("lockoutThreshold")),
        "lockout_duration_minutes": v.to_minutes(domain.get("lockoutDuration")),
        "lockout_window_minutes": v.to_minutes(domain.get("lockOutObservationWindow")),
    }


def _pso(entry: Entry) -> dict[str, Any]:
    complexity = v.first(entry.get("msDS-PasswordComplexityEnabled"))
    reversible = v.first(entry.get("msDS-PasswordReversibleEncryptionEnabled"))
    return {
        "name": v.name(entry.get("name")),
        "precedence": v.to_int(entry.get("msDS-PasswordSettingsPrecedence")),
        "min_length": v.to_int(entry.get("msDS-MinimumPasswordLength")),
        "complexity": str(complexity).upper() == "TRUE" if complexity is not None else None,
        "history": v.to_int(entry.get("msDS-PasswordHistoryLength")),
        "max_age_days": v.to_days(entry.get("msDS-MaximumPasswordAge")),
        "lockout_threshold": v.to_int(entry.get("msDS-LockoutThreshold")),
        "reversible_encryption": str(reversible).upper() == "TRUE"
        if reversible is not None else None,
        "applies_to": [n.split(",")[0].removeprefix("CN=")
                       for n in v.names(entry.get("msDS-PSOAppliesTo"), 100)],
    }


def _groups(reader: DirectoryReader, base: str, domain_sid: str,
            accounts: list[AccountRecord]) -> list[dict[str, Any]]:
    records = [GroupRecord(dn=v.text(e.get("dn"), 512), name=v.name(e.get("sAMAccountName")),
                           sid=v.sid_text(e.get("objectSid")),
                           members=tuple(v.text(m, 512) for m in v.many(e.get("member"))
                                         [:MAX_OBJECTS]))
               for e in reader.search(base, "(objectClass=group)",
                                      ("sAMAccountName", "objectSid", "member"))[:MAX_OBJECTS]]
    by_dn = {g.dn.lower(): g for g in records}
    by_sid = {g.sid: g for g in records}
    by_name = {g.name.lower(): g for g in records}
    accounts_by_dn = {a.dn.lower(): a for a in accounts}
    primaries = primary_index(accounts, domain_sid)
    result = []
    for key, display, spec in PRIVILEGED_GROUPS:
        group = (by_name.get(spec[5:].lower()) if spec.startswith("name:")
                 else by_sid.get(resolve_sid(spec, domain_sid)))
        if group is None:
            continue
        members = recursive_members(group, by_dn, accounts_by_dn, primaries)
        result.append({"key": key, "name": group.name or display, "sid": group.sid,
                       "members": [{"name": a.name, "kind": a.kind, "via": via}
                                   for a, via in members]})
    return result


def collect(reader: DirectoryReader) -> dict[str, Any]:
    """The directory part of ``directory.json`` (domain, controllers, accounts, groups, policy)."""
    root = reader.root_dse()
    base = v.text(root.get("defaultNamingContext"), 512)
    config = v.text(root.get("configurationNamingContext"), 512)
    schema = v.text(root.get("schemaNamingContext"), 512)
    domain_entry = (reader.search(base, "(objectClass=*)", DOMAIN_ATTRIBUTES, scope="base")
                    or [{}])[0]
    domain_sid = v.sid_text(domain_entry.get("objectSid"))
    laps_schema = {v.name(e.get("lDAPDisplayName")).lower() for e in reader.search(
        schema, "(|(lDAPDisplayName=ms-Mcs-AdmPwd)(lDAPDisplayName=msLAPS-Password)"
        "(lDAPDisplayName=msLAPS-EncryptedPassword))", ("lDAPDisplayName",))}
    laps_legacy = "ms-mcs-admpwd" in laps_schema
    laps_windows = bool({"mslaps-password", "mslaps-encryptedpassword"} & laps_schema)
    protected_dns = set()
    protected = reader.search(base, f"(objectSid={domain_sid}-525)", ("member",))
    for entry in protected:
        protected_dns = {m.lower() for m in v.names(entry.get("member"), MAX_OBJECTS)}
    users = [_user(e, protected_dns) for e in reader.search(
        base, "(&(objectCategory=person)(objectClass=user))", USER_ATTRIBUTES)[:MAX_OBJECTS]]
    computers = [_computer(e, laps_legacy, laps_windows) for e in reader.search(
        base, "(objectClass=computer)", COMPUTER_ATTRIBUTES)[:MAX_OBJECTS]]
    accounts = [AccountRecord(u["dn"], u["name"], "user", u["primary_group_rid"])
                for u in users]
    accounts += [AccountRecord(c["dn"], c["name"], "computer", c["primary_group_rid"])
                 for c in computers]
    partitions = (reader.search(f"CN=Partitions,{config}", "(objectClass=*)",
                                ("msDS-Behavior-Version",), scope="base") or [{}])[0]
    recycle = (reader.search(
        f"CN=Recycle Bin Feature,CN=Optional Features,CN=Directory Service,CN=Windows NT,"
        f"CN=Services,{config}", "(objectClass=*)", ("msDS-EnabledFeatureBL",),
        scope="base") or [None])[0]
    psos = reader.search(f"CN=Password Settings Container,CN=System,{base}",
                         "(objectClass=msDS-PasswordSettings)", PSO_ATTRIBUTES)
    gpos = reader.search(f"CN=Policies,CN=System,{base}", "(objectClass=groupPolicyContainer)",
                         ("cn", "displayName", "flags", "whenChanged", "versionNumber"))
    krbtgt = next((u for u in users if u["rid"] == 502), None)
    return {
        "domain": {
            "dns_name": ".".join(p.split("=", 1)[1] for p in base.split(",") if "=" in p).lower(),
            "distinguished_name": base,
            "netbios_name": "",
            "sid": domain_sid,
            "created": v.to_time(domain_entry.get("whenCreated")),
            "domain_functional_level": _level(root.get("domainFunctionality")
                                              or domain_entry.get("msDS-Behavior-Version")),
            "forest_functional_level": _level(root.get("forestFunctionality")
                                              or partitions.get("msDS-Behavior-Version")),
            "machine_account_quota": v.to_int(domain_entry.get("ms-DS-MachineAccountQuota")),
            "recycle_bin_enabled": None if recycle is None
            else bool(v.many(recycle.get("msDS-EnabledFeatureBL"))),
            "laps": {"legacy_schema": laps_legacy, "windows_schema": laps_windows},
            "krbtgt_password_last_set": krbtgt["password_last_set"] if krbtgt else None,
        },
        "controllers": [{"name": c["name"], "dns_name": c["dns_name"],
                         "operating_system": c["operating_system"],
                         "operating_system_version": c["operating_system_version"]}
                        for c in computers if c["is_dc"]],
        "password_policy": _policy(domain_entry),
        "fine_grained_policies": [_pso(e) for e in psos[:100]],
        "users": users,
        "computers": computers,
        "privileged_groups": _groups(reader, base, domain_sid, accounts),
        "gpos": [{"guid": v.name(e.get("cn")), "name": v.text(e.get("displayName"), 200),
                  "flags": v.to_int(e.get("flags")), "changed": v.to_time(e.get("whenChanged"))}
                 for e in gpos[:500]],
    }
