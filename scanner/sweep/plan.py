"""The port plan: which TCP ports the sweep asks on which host.

* ``thorough``: every TCP port on every host.
* ``standard``: on an office of up to :data:`FULL_SWEEP_HOSTS` hosts, every TCP port on every
  host. Beyond that, in two rounds: first the *key ports* on every host — nmap's
  :data:`KEY_TOP` most frequent TCP ports (from its own ``nmap-services`` frequencies) and every
  port a check asks about (:data:`scanner.profiles.OFFICE_TCP_PORTS`) — then every other TCP
  port on each host that is infrastructure or not recognised. Only hosts recognised from their
  key ports (and MAC vendor) as workstations, printers or phones keep the key ports alone.
* ``quick``: nmap's 200 most frequent TCP ports.

The recognition here is deliberately narrow (:func:`end_device`): a host whose open key ports
are *only* those of a Windows or Mac workstation, a printer or a desk phone. Anything with one
port more (a web server on a PC, a database, SSH on a printer) is not recognised and gets
every port. It decides how far to look, never what a device is (that is classification's job,
after the scan, on everything that was found).
"""

from __future__ import annotations

import functools
from pathlib import Path

from scanner.nmap_scan import compress_ports, expand_ports
from scanner.profiles import OFFICE_TCP_PORTS

FULL_SWEEP_HOSTS = 32  # up to this many hosts, every port on every host (as a small office)
KEY_TOP = 1000
ALL_PORTS = "1-65535"
SERVICES_FILES = (Path("/usr/share/nmap/nmap-services"),
                  Path("/usr/local/share/nmap/nmap-services"))

# Open key ports that make a host a recognisable end device: every open key port must be in
# the set, and at least one of the "signs" must be open (or the MAC vendor must say so).
WINDOWS_PC = frozenset({135, 139, 445, 3389, 5357, 5040, 7680, 2869})
WINDOWS_SIGNS = frozenset({135})
MAC_PC = frozenset({22, 88, 445, 548, 3283, 5000, 5900, 7000})
PRINTER = frozenset({21, 23, 80, 139, 443, 445, 515, 631, 8000, 8080, 8443, 9100})
PRINTER_SIGNS = frozenset({515, 631, 9100})
PHONE = frozenset({22, 23, 80, 443, 5060, 5061})
PHONE_SIGNS = frozenset({5060, 5061})
PRINTER_MAKERS = ("brother", "kyocera", "lexmark", "ricoh", "xerox", "konica", "epson",
                  "canon", "sharp corp", "oki electric", "zebra technologies")
PHONE_MAKERS = ("yealink", "polycom", "snom", "grandstream", "fanvil", "avaya", "mitel",
                "gigaset", "htek", "alcatel-lucent enterprise")


@functools.lru_cache(maxsize=4)
def top_tcp_ports(count: int) -> tuple[int, ...]:
    """nmap's ``count`` most frequent TCP ports, from its own nmap-services file."""
    source = next((p for p in SERVICES_FILES if p.is_file()), None)
    if source is None:
        return tuple(OFFICE_TCP_PORTS)
    ranked: list[tuple[float, int]] = []
    for line in source.read_text(encoding="utf-8", errors="replace").splitlines():
        fields = line.split()
        if len(fields) < 3 or line.startswith("#") or not fields[1].endswith("/tcp"):
            continue
        try:
            ranked.append((float(fields[2]), int(fields[1].split("/")[0])))
        except ValueError:
            continue
    ranked.sort(key=lambda item: (-item[0], item[1]))
    return tuple(port for _freq, port in ranked[:count])


def key_ports() -> list[int]:
    """The ports every host is asked in the first round."""
    return sorted(set(top_tcp_ports(KEY_TOP)) | set(OFFICE_TCP_PORTS))


def end_device(open_ports: set[int], vendor: str | None) -> str:
    """"workstation", "printer" or "phone" when the key ports say so clearly; else ""."""
    maker = (vendor or "").lower()
    if open_ports and open_ports <= PRINTER and (
            open_ports & PRINTER_SIGNS or any(m in maker for m in PRINTER_MAKERS)):
        return "printer"
    if open_ports <= PHONE and (open_ports & PHONE_SIGNS or any(m in maker for m in PHONE_MAKERS)):
        return "phone"
    if open_ports and open_ports <= WINDOWS_PC and open_ports & WINDOWS_SIGNS:
        return "workstation"
    if open_ports and open_ports <= MAC_PC and "apple" in maker:
        return "workstation"
    return ""


def rest_ports(asked: list[int]) -> str:
    """Every TCP port not in ``asked``, as an nmap port spec."""
    taken = set(asked)
    return compress_ports([p for p in range(1, 65536) if p not in taken])


def spec_size(spec: str) -> int:
    """How many ports an nmap port spec names."""
    return len(expand_ports(spec))


def judged(profile_name: str, host_count: int) -> bool:
    """Whether the port plan uses judgement (two rounds) rather than one spec for every host."""
    return profile_name == "standard" and host_count > FULL_SWEEP_HOSTS
