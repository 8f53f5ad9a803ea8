"""Reading nmap's script output: SMB, NetBIOS, the LDAP root DSE and TLS certificates.

Pure functions from the text nmap's scripts print (as kept in :class:`Service` ``scripts`` and
the host scripts) to the records of :mod:`scanner.model`. Nothing here talks to the network.
The meaning of codes (SMB dialects, AD functional levels) comes from ``data/windows.json``.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any

from scanner.model import DirectoryInfo, SmbInfo, TlsCertificate
from scanner.textsafe import bounded_name

_NUL = re.compile(r"\\x00|\x00")


@functools.lru_cache(maxsize=1)
def windows_table() -> dict[str, Any]:
    """The Windows/AD knowledge table, loaded once."""
    text = resources.files("scanner").joinpath("data/windows.json").read_text("utf-8")
    return json.loads(text)


def condense_script(script_id: str, output: str) -> str:
    """Script output with known noise dropped, so that bounding it keeps what matters."""
    if script_id == "ssl-enum-ciphers":
        # Every cipher of every version runs past the output bound: keep the versions offered
        # (the lines "  TLSv1.0:" …) and the overall grade.
        return "\n".join(line for line in output.splitlines()
                         if re.match(r"\s*(SSLv\d|TLSv[\d.]+):\s*$", line)
                         or "least strength" in line)
    if script_id != "ldap-rootdse":
        return output
    keep = tuple(f"{key}:" for key in windows_table()["rootdse_keep"])
    return "\n".join(line for line in output.splitlines() if line.strip().startswith(keep))


def _clean(value: str) -> str:
    return bounded_name(_NUL.sub("", value)).strip()


def _fields(output: str) -> dict[str, str]:
    """``Key: value`` lines of a script's output (first occurrence of each key)."""
    found: dict[str, str] = {}
    for line in output.splitlines():
        key, sep, value = line.strip().partition(":")
        if sep and key and key not in found:
            found[key.strip()] = _clean(value)
    return found


def smb_dialects(output: str) -> tuple[str, ...]:
    """Dialect names from smb-protocols output ("NT LM 0.12" for SMBv1, "3.1.1" …)."""
    table = windows_table()
    dialects: list[str] = []
    for line in output.splitlines():
        text = line.strip()
        if not text or text.endswith(":"):
            continue
        if any(marker in text for marker in table["smb1_markers"]):
            dialects.append("NT LM 0.12")
            continue
        code = text.split()[0]
        if code in table["smb_dialects"]:
            dialects.append(table["smb_dialects"][code])
    return tuple(dict.fromkeys(dialects))


def smb_signing_required(smb2_mode: str, smb1_mode: str = "") -> bool | None:
    """Whether the server requires message signing (smb2-security-mode, else smb-security-mode).

    A server that requires signing for SMB2 but not for SMBv1 does not require it: an attacker
    picks the dialect.
    """
    answers: list[bool] = []
    if smb2_mode:
        if "not required" in smb2_mode:
            answers.append(False)
        elif "required" in smb2_mode:
            answers.append(True)
    signing = _fields(smb1_mode).get("message_signing", "")
    if signing:
        answers.append(signing.startswith("required"))
    return all(answers) if answers else None


def nbstat_names(output: str) -> tuple[str, str]:
    """(NetBIOS computer name, workgroup or domain) from nbstat output; "" when not said."""
    match = re.search(r"NetBIOS name:\s*([^,\s]+)", output)
    name = _clean(match.group(1)) if match else ""
    workgroup = ""
    for line in output.splitlines():
        group = re.match(r"\s*([^<\s]+)<00>\s+Flags:\s*<group>", line)
        if group and not group.group(1).startswith("__"):
            workgroup = _clean(group.group(1))
            break
    return ("" if name.startswith("<") else name), workgroup


def smb_info(host_scripts: Mapping[str, str], nbstat: str = "") -> SmbInfo | None:
    """What the SMB scripts (and the NetBIOS name table) said; None if none of them answered."""
    def answered(script: str) -> str:
        # "ERROR: Script execution failed" is nmap saying the script got no sense out of the
        # host (a broken or hostile SMB service): not an answer, least of all an SMB1 one.
        output = host_scripts.get(script, "")
        return "" if output.lstrip().upper().startswith("ERROR:") else output

    protocols = answered("smb-protocols")
    smb2_mode = answered("smb2-security-mode")
    smb1_mode = answered("smb-security-mode")
    discovery = _fields(answered("smb-os-discovery"))
    if not (protocols or smb2_mode or smb1_mode or discovery):
        return None
    dialects = smb_dialects(protocols)
    nb_name, nb_domain = nbstat_names(nbstat)
    smb1 = ("NT LM 0.12" in dialects) if dialects else (True if smb1_mode or discovery else None)
    return SmbInfo(
        dialects=dialects, smb1_enabled=smb1,
        signing_required=smb_signing_required(smb2_mode, smb1_mode),
        os=discovery.get("OS", ""),
        netbios_name=discovery.get("NetBIOS computer name", "") or nb_name,
        domain=(discovery.get("Workgroup", "") or discovery.get("NetBIOS domain name", "")
                or nb_domain),
        dns_domain=discovery.get("Domain name", ""),
    )


def _multi(output: str, key: str) -> list[str]:
    prefix = f"{key}:"
    return [_clean(line.strip()[len(prefix):]) for line in output.splitlines()
            if line.strip().startswith(prefix)]


def directory_info(output: str) -> DirectoryInfo | None:
    """An AD domain controller's identity from ldap-rootdse output; None for other LDAP."""
    fields = _fields(output)
    naming = fields.get("defaultNamingContext", "")
    if not naming and not fields.get("domainFunctionality"):
        return None
    levels = windows_table()["functional_levels"]
    dns_domain = ".".join(part[3:] for part in naming.split(",")
                          if part.strip().upper().startswith("DC="))
    service = fields.get("ldapServiceName", "")
    if not dns_domain and ":" in service:
        dns_domain = service.split(":", 1)[0]
    catalog = fields.get("isGlobalCatalogReady", "").upper()

    def level(key: str) -> str:
        code = fields.get(key, "")
        return levels.get(code, f"level {code}") if code else ""

    return DirectoryInfo(
        dns_domain=dns_domain.lower(), naming_context=naming,
        dc_hostname=fields.get("dnsHostName", ""),
        domain_functional_level=level("domainFunctionality"),
        forest_functional_level=level("forestFunctionality"),
        global_catalog=(catalog == "TRUE") if catalog in ("TRUE", "FALSE") else None)


def _iso_date(value: str) -> str:
    match = re.match(r"(\d{4}-\d{2}-\d{2})", value.strip())
    return match.group(1) if match else ""


def certificate(output: str) -> TlsCertificate | None:
    """A certificate from ssl-cert output; None when the script printed none."""
    fields = _fields(output)
    if "Subject" not in fields and "Issuer" not in fields:
        return None
    subject, issuer = fields.get("Subject", ""), fields.get("Issuer", "")
    bits = fields.get("Public Key bits", "")
    return TlsCertificate(
        subject=subject, issuer=issuer,
        not_before=_iso_date(fields.get("Not valid before", "")),
        not_after=_iso_date(fields.get("Not valid after", "")),
        # Issuer equal to subject: self-issued, which is what "self-signed" means in practice.
        self_signed=(subject == issuer) if subject and issuer else None,
        key_type=fields.get("Public Key type", "").lower(),
        key_bits=int(bits) if bits.isdigit() else None,
        signature_algorithm=fields.get("Signature Algorithm", ""))


def first_script(outputs: Iterable[Mapping[str, str]], script_id: str) -> str:
    """The first non-empty output of ``script_id`` among several ports' scripts."""
    return next((scripts[script_id] for scripts in outputs if scripts.get(script_id)), "")
