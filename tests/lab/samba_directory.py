"""Fill the lab's provisioned Samba AD database with a small office's directory.

Run by ``samba_ad.py`` with the *system* Python (``/usr/bin/python3``: Samba's bindings are a
Debian package, not in the venv) on the freshly provisioned ``private/sam.ldb``, before the
DC starts and before the provision is cached. Usage::

    /usr/bin/python3 samba_directory.py TARGET_DIR DNS_DOMAIN ANCHOR_DATE

``ANCHOR_DATE`` (YYYY-MM-DD, the first day of the month the cache was built) dates every
``lastLogonTimestamp``: "recent" is 2–3 days before it, "stale" 200+ days before it, so the
cached domain stays true for a month (the cache key carries the month). Creation and password
dates cannot be back-dated on Samba (whenCreated, pwdLastSet), so nothing here depends on
them. The ground truth is ``office.json`` → ``directory``; lab-only passwords are documented
in README.md.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from samba.auth import system_session
from samba.param import LoadParm
from samba.samdb import SamDB

# Lab-only passwords (README.md): never reuse them anywhere.
AUDIT_PASSWORD = "Sitewalk-Audit-2024!"
PEOPLE_PASSWORD = "Office-Lab-2024!pw"

UAC_NORMAL, UAC_DISABLED, UAC_PASSWD_NOTREQD = 0x200, 0x2, 0x20
UAC_DONT_EXPIRE, UAC_DONT_REQ_PREAUTH = 0x10000, 0x400000

# (sAMAccountName, given, surname, days since last logon (None = never), extra UAC bits)
PEOPLE = [
    ("maria.chen", "Maria", "Chen", 1, 0), ("james.okafor", "James", "Okafor", 2, 0),
    ("lena.novak", "Lena", "Novak", 2, 0), ("tom.reyes", "Tom", "Reyes", 3, 0),
    ("aisha.khan", "Aisha", "Khan", 1, 0), ("peter.lund", "Peter", "Lund", 4, 0),
    ("sofia.rossi", "Sofia", "Rossi", 2, 0), ("daniel.kim", "Daniel", "Kim", 5, 0),
    ("emma.fischer", "Emma", "Fischer", 3, 0), ("lucas.martin", "Lucas", "Martin", 2, 0),
    ("nina.patel", "Nina", "Patel", 6, 0), ("omar.haddad", "Omar", "Haddad", 1, 0),
    ("julia.weber", "Julia", "Weber", 7, 0), ("ben.carter", "Ben", "Carter", 2, 0),
    ("chloe.dubois", "Chloe", "Dubois", 3, 0), ("ravi.shah", "Ravi", "Shah", 4, 0),
    ("anna.berg", "Anna", "Berg", 2, 0), ("mark.evans", "Mark", "Evans", 8, 0),
    ("grace.liu", "Grace", "Liu", 2, 0), ("hugo.silva", "Hugo", "Silva", 3, 0),
    ("ella.murphy", "Ella", "Murphy", 5, 0), ("ivan.petrov", "Ivan", "Petrov", 1, 0),
    ("kate.wilson", "Kate", "Wilson", 2, 0), ("leo.moreau", "Leo", "Moreau", 9, 0),
    # stale: people who left, accounts still enabled
    ("sarah.jones", "Sarah", "Jones", 210, 0), ("paul.schmidt", "Paul", "Schmidt", 260, 0),
    ("olivia.brown", "Olivia", "Brown", 400, 0), ("ahmed.ali", "Ahmed", "Ali", 150, 0),
    ("temp.reception", "Temp", "Reception", 320, UAC_PASSWD_NOTREQD),
    # never logged on
    ("new.starter", "New", "Starter", None, 0),
    # disabled
    ("former.manager", "Former", "Manager", 500, UAC_DISABLED),
    ("old.intern", "Old", "Intern", 700, UAC_DISABLED),
    ("laura.hill", "Laura", "Hill", 380, UAC_DISABLED),
    ("guest.wifi", "Guest", "Wifi", 900, UAC_DISABLED),
    # Kerberos pre-authentication off (AS-REP roastable)
    ("scanner.copier", "Scanner", "Copier", 4, UAC_DONT_REQ_PREAUTH | UAC_DONT_EXPIRE),
    # services
    ("svc_backup", "Backup", "Service", 1, UAC_DONT_EXPIRE),
    ("it.contractor", "IT", "Contractor", 120, 0),
    ("audit", "Sitewalk", "Audit", None, 0),
]
DOMAIN_ADMINS = ["maria.chen", "james.okafor", "svc_backup", "it.contractor", "former.manager"]
ADMINISTRATORS = ["tom.reyes"]
SPNS = {"svc_backup": ["MSSQLSvc/sql01.{domain}:1433", "HOST/backup.{domain}"]}

# (name, operatingSystem, operatingSystemVersion, days since last logon)
COMPUTERS = [
    ("RECEPTION-PC", "Windows 10 Pro", "10.0 (19045)", 1),
    ("ACCOUNTS-PC", "Windows 11 Pro", "10.0 (26100)", 2),
    ("OWNER-PC", "Windows 11 Pro", "10.0 (26200)", 1),
    ("LAB-PC", "Windows 11 Enterprise", "10.0 (26100)", 3),
    ("XRAY-PC", "Windows 7 Professional", "6.1 (7601)", 4),
    ("FRONTDESK2", "Windows 8.1 Pro", "6.3 (9600)", 260),
    ("OLD-LAPTOP", "Windows 10 Pro", "10.0 (19044)", 400),
    ("FS01", "Windows Server 2012 R2 Standard", "6.3 (9600)", 1),
    ("APP01", "Windows Server 2019 Standard", "10.0 (17763)", 2),
    ("SQL01", "Windows Server 2022 Standard", "10.0 (20348)", 1),
]

# A public example value (the one quoted in write-ups of MS14-025): a lab secret, not a real one.
GROUPS_XML = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<Groups clsid="{3125E937-EB16-4b4c-9934-544FC6D24D26}">'
    '<User clsid="{DF5F1855-51E5-4d24-8B1A-D9BDE98BA1D1}" name="localadmin" image="2" '
    'changed="2019-05-14 09:12:44" uid="{8B54F6B8-8A5A-4B38-9E0C-5B0C3A0C1A11}">'
    '<Properties action="U" newName="" fullName="Local admin" description="" '
    'cpassword="j1Uyj3Vx8TY9LtLZil2uAuZkFQA/4latT76ZwgdHdhw" changeLogon="0" noChange="1" '
    'neverExpires="1" acctDisabled="0" userName="localadmin"/></User>\n</Groups>\n')
DEFAULT_DOMAIN_POLICY = "{31B2F340-016D-11D2-945F-00C04FB984F9}"


def filetime(moment: datetime) -> str:
    return str(int((moment - datetime(1601, 1, 1, tzinfo=UTC)).total_seconds())
               * 10_000_000)


def main(target: Path, domain: str, anchor: date) -> None:
    lp = LoadParm()
    lp.load(str(target / "empty.conf")) if (target / "empty.conf").exists() else None
    # Keep every Samba path inside the target: nothing may land in the machine's /var/lib/samba.
    for option, folder in (("private dir", "private"), ("state directory", "state"),
                           ("cache directory", "cache"), ("lock dir", "."), ("pid directory", ".")):
        lp.set(option, str(target / folder))
    samdb = SamDB(url=str(target / "private" / "sam.ldb"), session_info=system_session(), lp=lp)
    base = samdb.domain_dn()
    start = datetime(anchor.year, anchor.month, anchor.day, 12, tzinfo=UTC)
    samdb.transaction_start()
    try:
        for name, given, surname, days, extra in PEOPLE:
            password = AUDIT_PASSWORD if name == "audit" else PEOPLE_PASSWORD
            samdb.newuser(name, password, givenname=given, surname=surname,
                          useusernameascn=True)
            dn = f"CN={name},CN=Users,{base}"
            changes = [f"replace: userAccountControl\nuserAccountControl: {UAC_NORMAL | extra}"]
            if days is not None:
                stamp = filetime(start - timedelta(days=days))
                changes.append(f"replace: lastLogonTimestamp\nlastLogonTimestamp: {stamp}")
            for spn in SPNS.get(name, []):
                changes.append(f"add: servicePrincipalName\nservicePrincipalName: "
                               f"{spn.format(domain=domain)}")
            samdb.modify_ldif(f"dn: {dn}\nchangetype: modify\n" + "\n-\n".join(changes) + "\n")
        admin = f"CN=Administrator,CN=Users,{base}"
        samdb.modify_ldif(f"dn: {admin}\nchangetype: modify\nreplace: lastLogonTimestamp\n"
                          f"lastLogonTimestamp: {filetime(start - timedelta(days=2))}\n")
        samdb.add_remove_group_members("Domain Admins", DOMAIN_ADMINS)
        samdb.add_remove_group_members("Administrators", ADMINISTRATORS)
        for name, system, version, days in COMPUTERS:
            samdb.add_ldif(
                f"dn: CN={name},CN=Computers,{base}\nobjectClass: computer\n"
                f"sAMAccountName: {name}$\nuserAccountControl: 4096\n"
                f"dNSHostName: {name.lower()}.{domain}\noperatingSystem: {system}\n"
                f"operatingSystemVersion: {version}\n"
                f"lastLogonTimestamp: {filetime(start - timedelta(days=days))}\n")
        # A weak policy: 6 characters, no complexity, no history, no lockout (threshold 0).
        samdb.modify_ldif(f"dn: {base}\nchangetype: modify\nreplace: minPwdLength\n"
                          "minPwdLength: 6\n-\nreplace: pwdProperties\npwdProperties: 0\n-\n"
                          "replace: pwdHistoryLength\npwdHistoryLength: 0\n-\n"
                          "replace: lockoutThreshold\nlockoutThreshold: 0\n")
        samdb.add_ldif(
            f"dn: CN=Service accounts,CN=Password Settings Container,CN=System,{base}\n"
            "objectClass: msDS-PasswordSettings\nmsDS-PasswordSettingsPrecedence: 10\n"
            "msDS-PasswordReversibleEncryptionEnabled: FALSE\nmsDS-PasswordHistoryLength: 0\n"
            "msDS-PasswordComplexityEnabled: FALSE\nmsDS-MinimumPasswordLength: 4\n"
            "msDS-MinimumPasswordAge: 0\nmsDS-MaximumPasswordAge: -9223372036854775808\n"
            "msDS-LockoutThreshold: 0\nmsDS-LockoutObservationWindow: -18000000000\n"
            "msDS-LockoutDuration: -18000000000\n"
            f"msDS-PSOAppliesTo: CN=svc_backup,CN=Users,{base}\n")
        samdb.transaction_commit()
    except BaseException:
        samdb.transaction_cancel()
        raise
    groups = (target / "state" / "sysvol" / domain / "Policies" / DEFAULT_DOMAIN_POLICY /
              "Machine" / "Preferences" / "Groups")
    groups.mkdir(parents=True, exist_ok=True)
    (groups / "Groups.xml").write_text(GROUPS_XML, encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], date.fromisoformat(sys.argv[3]))
