"""Fuzzing the lifecycle identification: banners, SMB, SNMP and rootDSE text from the network.

Whatever a hostile device announces, identification returns verdicts with a known status and
a bounded reason free of control characters, and never raises.
"""

from __future__ import annotations

import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checks.lifecycle.identify import host_sightings
from checks.lifecycle.model import STATUSES
from checks.lifecycle.windows import windows_support
from scanner.model import Host, Service, SmbInfo, SnmpInfo

FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
CONTROL = {chr(c) for c in range(32)} | {"\x7f"}
DAY = datetime.date(2026, 12, 4)
# Text that looks like what devices say, with hostile bytes mixed in.
PIECES = st.sampled_from(["Windows", "Server", "2012", "R2", "10.0", "(19045)", "Build",
                          "Version 6.3", "Pro", "Enterprise", "LTSC", "OpenSSH_9.2p1",
                          "Debian-2+deb12u3", "Ubuntu", "4ubuntu0.7+esm", "VMware ESXi",
                          "7.0.3", "build-123", "(stable/21.1)", "SonicOS", "Samba", "IIS",
                          "Microsoft SQL Server", "15.00.2000.00", "\x00", "\x1b[31m", "é",
                          "domainControllerFunctionality: 6", "v7.2.6,build1575", ".el8."])
TEXT = st.one_of(st.text(max_size=200),
                 st.lists(PIECES, max_size=12).map(" ".join))


def _check(reason: str, status: str) -> None:
    assert status in STATUSES
    assert not (set(reason) & CONTROL)
    assert len(reason) < 2000


@FAST
@given(TEXT, TEXT)
def test_windows_support_never_raises(name: str, version: str) -> None:
    verdict = windows_support(name, version, DAY)
    _check(verdict.reason, verdict.status)
    if verdict.status == "unknown":
        assert verdict.eol is None and verdict.reason


@FAST
@given(TEXT, TEXT, TEXT, TEXT, TEXT, st.sampled_from(["server", "workstation", "firewall",
                                                     "nas", "hypervisor", "bmc", "unknown"]))
def test_host_sightings_never_raise(smb_os: str, descr: str, product: str, version: str,
                                    script: str, device_class: str) -> None:
    host = Host(ip="192.168.1.9", device_class=device_class, manufacturer=product[:40] or None,
                firmware=version[:40] or None, smb=SmbInfo(os=smb_os),
                snmp=SnmpInfo(version="v2c", community="public", default_community=True,
                              sys_descr=descr, identity={"fortinet.version": version}),
                services=(Service(port=22, protocol="tcp", product=product, version=version,
                                  scripts={"ldap-rootdse": script}),))
    for sighting in host_sightings(host, DAY):
        _check(sighting.verdict.reason, sighting.verdict.status)
        assert len(sighting.seen) <= 160 and not (set(sighting.seen) & CONTROL)
