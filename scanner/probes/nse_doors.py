"""Open doors read from the nmap scripts that ran with version detection.

Pure functions over the script output kept on each :class:`Service` (no network here). A
script that printed nothing did not run (the port did not match) and says nothing; a script
that ran and was refused ("Authentication required", "not authorized") marks the kind probed
with no exposure. Weak SSH algorithms and legacy TLS versions come from
``data/weak_crypto.json`` (its sources are in the file).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from importlib import resources
from typing import Any

from scanner.model import Exposure, Host, Service
from scanner.probes import DoorResult
from scanner.textsafe import bounded, bounded_name

REFUSED = re.compile(r"authenticat\w* required|not authori[sz]ed|unauthori[sz]ed|"
                     r"access denied|requires authentication|bad user name or password|"
                     r"connection refused|^\s*error", re.IGNORECASE | re.MULTILINE)


@functools.lru_cache(maxsize=1)
def weak_crypto() -> dict[str, Any]:
    """The weak SSH algorithm and legacy TLS version table, loaded once."""
    text = resources.files("scanner").joinpath("data/weak_crypto.json").read_text("utf-8")
    return json.loads(text)


def _first_line(output: str, *keys: str) -> str:
    for line in output.splitlines():
        key, sep, value = line.strip().partition(":")
        if sep and key.strip().lower() in keys:
            return bounded(value.strip(), 80)
    return ""


def _service_answer(kind: str, how: str, version_keys: tuple[str, ...] = ("version",)
                    ) -> Callable[[Service, str], list[Exposure]]:
    """A parser for scripts whose non-refused output means the service answered anyone."""
    def parse(service: Service, output: str) -> list[Exposure]:
        if REFUSED.search(output) or not output.strip():
            return []
        version = _first_line(output, *version_keys)
        label = version_keys[0]
        return [Exposure(kind, service.port, access="query",
                         detail=f"{label} {version}" if version else "", how=how)]
    return parse


def nfs_exports(service: Service, output: str) -> list[Exposure]:
    """Exports showmount lists for every address (``*``, ``everyone``, ``0.0.0.0/0``)."""
    found = []
    for line in output.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].startswith("/") and any(
                p in ("*", "everyone", "(everyone)", "0.0.0.0/0") for p in parts[1:]):
            found.append(Exposure("nfs_export", service.port, name=bounded_name(parts[0]),
                                  access="read", detail=bounded(" ".join(parts[1:]), 120),
                                  how="showmount -e (nmap nfs-showmount): exported to everyone"))
    return found


def iscsi_targets(service: Service, output: str) -> list[Exposure]:
    """Targets iscsi-info discovered and could log in to without CHAP."""
    found, target = [], ""
    for line in output.splitlines():
        text = line.strip()
        if text.startswith(("iqn.", "eui.", "naa.")):
            target = bounded_name(text.rstrip(":"))
        elif target and re.search(r"authentication:\s*not required|no authentication "
                                  r"required", text, re.IGNORECASE):
            found.append(Exposure(
                "iscsi_target", service.port, name=target, access="list",
                how="listed by SendTargets discovery without CHAP, and a login offering "
                    "AuthMethod=None was answered (nmap iscsi-info)"))
    return found


def couchdb(service: Service, output: str) -> list[Exposure]:
    """CouchDB databases listed to anyone."""
    if REFUSED.search(output) or not output.strip():
        return []
    names = [line.strip().split(":", 1)[-1].strip() for line in output.splitlines()
             if line.strip()][:10]
    return [Exposure("couchdb", service.port, access="list",
                     detail=bounded(", ".join(names), 200),
                     how="GET /_all_dbs answered without credentials (nmap couchdb-databases)")]


def x11(service: Service, output: str) -> list[Exposure]:
    """An X server that lets anyone connect."""
    if "access is granted" not in output.lower():
        return []
    return [Exposure("x11", service.port, access="control",
                     how="nmap x11-access: X server access is granted")]


def ssh_weak(service: Service, output: str) -> list[Exposure]:
    """Weak key exchange, host key, cipher and MAC algorithms the SSH server offers."""
    table = weak_crypto()["ssh"]
    section, weak = "", []
    for line in output.splitlines():
        text = line.strip()
        header = re.match(r"(\w+): \(\d+\)$", text)
        if header:  # "kex_algorithms: (4)" starts a section; others reset it
            section = header.group(1) if header.group(1) in table else ""
        elif section and text and any(text == w or (w.endswith("-") and text.startswith(w))
                                      for w in table[section]):
            weak.append(f"{section.split('_')[0]}: {bounded_name(text)}")
    if not weak:
        return []
    return [Exposure("ssh_weak", service.port, access="offered",
                     detail=bounded("; ".join(weak), 300),
                     how="nmap ssh2-enum-algos, judged against RFC 9142 / RFC 8758")]


def tls_legacy(service: Service, output: str) -> list[Exposure]:
    """SSLv3, TLS 1.0 or 1.1 offered (ssl-enum-ciphers lists each version it negotiated)."""
    legacy = [v for v in weak_crypto()["tls_legacy"]
              if re.search(rf"^\s*{re.escape(v)}:\s*$", output, re.MULTILINE)]
    return [Exposure("tls_legacy", service.port, name=v, access="offered",
                     how="nmap ssl-enum-ciphers negotiated this version (RFC 8996 / RFC 7568)")
            for v in legacy]


# script id -> (exposure kind, parser)
PARSERS: dict[str, tuple[str, Callable[[Service, str], list[Exposure]]]] = {
    "redis-info": ("redis", _service_answer("redis", "INFO answered without AUTH "
                                            "(nmap redis-info)")),
    "memcached-info": ("memcached", _service_answer(
        "memcached", "stats answered without SASL (nmap memcached-info)")),
    "mongodb-info": ("mongodb", _service_answer(
        "mongodb", "buildinfo/serverStatus answered without login (nmap mongodb-info)")),
    "mqtt-subscribe": ("mqtt", _service_answer(  # older scans; brokers.py decides now
        "mqtt", "anonymous CONNECT accepted and topics subscribed (nmap mqtt-subscribe)")),
    "docker-version": ("docker_api", _service_answer(
        "docker_api", "GET /version answered without TLS client certificate (nmap "
        "docker-version)")),
    "cups-info": ("printer_ipp", _service_answer(
        "printer_ipp", "IPP CUPS-Get-Printers answered without authentication (nmap "
        "cups-info)", ("model",))),
    "couchdb-databases": ("couchdb", couchdb),
    "x11-access": ("x11", x11),
    "nfs-showmount": ("nfs_export", nfs_exports),
    "iscsi-info": ("iscsi_target", iscsi_targets),
    "ssh2-enum-algos": ("ssh_weak", ssh_weak),
    "ssl-enum-ciphers": ("tls_legacy", tls_legacy),
}


def from_scripts(host: Host, result: DoorResult) -> None:
    """Add the exposures every known script on ``host``'s TCP services shows."""
    for service in host.services:
        for script_id, output in service.scripts.items():
            if script_id not in PARSERS:
                continue
            kind, parse = PARSERS[script_id]
            result.probed.add(kind)
            result.exposures.extend(parse(service, output))
