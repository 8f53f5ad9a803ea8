"""SYSVOL over SMB 3 (smbprotocol, signing required): Group Policy Preferences and GptTmpl.inf.

What it keeps from a GPP file is *that* it holds a ``cpassword`` and for which account — never
the value: the password is encrypted with a key Microsoft published, so anyone holding the
value holds the password. Nothing here decrypts. From ``GptTmpl.inf`` it keeps the
``[System Access]`` password and lockout keys (the policy a GPO sets; the domain object's
values are the ones in force on Samba, see collect.py).

Bounds: at most ``MAX_GPOS`` policy folders, ``MAX_FILE_BYTES`` per file, and XML is parsed
only after the size check (Python's expat refuses entity expansion bombs).
"""

from __future__ import annotations

import configparser
import xml.etree.ElementTree as ElementTree
from typing import Any

from scanner.directory import values as v
from scanner.directory.account import AdAccount

MAX_GPOS = 300
MAX_FILE_BYTES = 512 * 1024
GPP_FILES = ("Groups/Groups.xml", "Services/Services.xml", "ScheduledTasks/ScheduledTasks.xml",
             "DataSources/DataSources.xml", "Printers/Printers.xml", "Drives/Drives.xml",
             "Registry/Registry.xml")
ACCOUNT_ATTRIBUTES = ("userName", "accountName", "runAs", "newName", "username")
POLICY_KEYS = ("MinimumPasswordLength", "PasswordComplexity", "PasswordHistorySize",
               "MaximumPasswordAge", "LockoutBadCount", "ClearTextPassword")


class SysvolError(Exception):
    """SYSVOL could not be read; one line."""


def gpp_secrets(xml_bytes: bytes) -> list[dict[str, str]]:
    """Every element of a GPP file that carries a non-empty ``cpassword``: which account.

    The returned records never contain the ``cpassword`` value.
    """
    try:
        root = ElementTree.fromstring(xml_bytes[:MAX_FILE_BYTES])
    except ElementTree.ParseError:
        return []
    found = []
    parents = {child: parent for parent in root.iter() for child in parent}
    for element in root.iter():
        if not element.get("cpassword"):
            continue
        owner = parents.get(element, element)
        account = next((element.get(a) for a in ACCOUNT_ATTRIBUTES if element.get(a)), "") \
            or owner.get("name", "")
        found.append({"kind": v.name(owner.tag), "account": v.name(account),
                      "changed": v.name(owner.get("changed", ""))})
        if len(found) >= 100:
            break
    return found


def gpttmpl_policy(raw: bytes) -> dict[str, int]:
    """The ``[System Access]`` password/lockout keys of a GptTmpl.inf (UTF-16 or UTF-8)."""
    text = raw[:MAX_FILE_BYTES].decode("utf-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff")
                                       else "utf-8", errors="replace")
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        parser.read_string(text)
    except configparser.Error:
        return {}
    if not parser.has_section("System Access"):
        return {}
    result = {}
    for key in POLICY_KEYS:
        value = parser.get("System Access", key, fallback="").strip()
        if value.lstrip("-").isdigit():
            result[key] = int(value)
    return result


def read_sysvol(address: str, dns_domain: str, account: AdAccount,
                gpo_names: dict[str, str]) -> dict[str, Any]:
    """GPP secrets and GPO security templates from ``\\\\address\\SYSVOL\\dns_domain``."""
    import smbclient
    from smbprotocol.exceptions import SMBException

    cache: dict[str, Any] = {}
    user = f"{account.domain}\\{account.name}"
    root = f"\\\\{address}\\SYSVOL\\{dns_domain}\\Policies"
    secrets: list[dict[str, Any]] = []
    templates: list[dict[str, Any]] = []
    try:
        smbclient.register_session(address, username=user, password=account.password,
                                   connection_timeout=10, connection_cache=cache,
                                   auth_protocol="ntlm", require_signing=True)
        folders = [e for e in smbclient.listdir(root, connection_cache=cache)
                   if e.startswith("{")][:MAX_GPOS]
        for folder in folders:
            guid = v.name(folder)
            for scope in ("Machine", "User"):
                for relative in GPP_FILES:
                    raw = _read(smbclient, f"{root}\\{folder}\\{scope}\\Preferences\\"
                                + relative.replace("/", "\\"), cache)
                    for secret in gpp_secrets(raw) if raw else []:
                        secrets.append({"gpo": guid, "gpo_name": gpo_names.get(guid.lower(), ""),
                                        "file": f"{scope}/Preferences/{relative}", **secret})
            raw = _read(smbclient, f"{root}\\{folder}\\Machine\\Microsoft\\Windows NT\\SecEdit"
                        "\\GptTmpl.inf", cache)
            policy = gpttmpl_policy(raw) if raw else {}
            if policy:
                templates.append({"gpo": guid, "gpo_name": gpo_names.get(guid.lower(), ""),
                                  "system_access": policy})
    except (SMBException, OSError, ValueError) as exc:
        raise SysvolError(" ".join(f"{exc.__class__.__name__}: {exc}".split())[:200]) from None
    finally:
        try:
            smbclient.reset_connection_cache(fail_on_error=False, connection_cache=cache)
        except Exception:  # closing a dead session must not hide the real result
            pass
    return {"gpp_passwords": secrets, "gpo_security_templates": templates}


def _read(smbclient: Any, path: str, cache: dict[str, Any]) -> bytes | None:
    from smbprotocol.exceptions import SMBOSError

    try:
        with smbclient.open_file(path, mode="rb", connection_cache=cache) as handle:
            return handle.read(MAX_FILE_BYTES + 1)[:MAX_FILE_BYTES]
    except (SMBOSError, FileNotFoundError, NotADirectoryError):
        return None
