"""Per-host protocol probes after the port scan: web pages, NUT, anonymous SMB shares.

:func:`probe_host` asks only the services the port scan found open, each with its own
timeout; whatever fails becomes a note, never an exception. :func:`finish_host` then turns the
nmap script output and the probes' answers into the Host fields (SMB, directory, web, UPS) and,
after classification, the protection signals.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from scanner.model import Host, SmbInfo, UpsStatus, WebInterface
from scanner.nse import directory_info, first_script, nbstat_names, smb_info
from scanner.probes import DoorResult, probe_doors
from scanner.textsafe import bounded

NUT_PORT = 3493
SMB_PORTS = frozenset({139, 445})


@dataclass
class ProbeResult:
    """What the probes of one host found, and what they could not do."""

    web: tuple[WebInterface, ...] = ()
    ups: UpsStatus | None = None
    anonymous_shares: tuple[str, ...] | None = None  # None: not checked
    doors: DoorResult | None = None  # the open-door probes (scanner/probes)
    notes: list[str] = field(default_factory=list)


def probe_host(host: Host, check_shares: bool = True) -> ProbeResult:
    """Run the probes that fit ``host``'s open TCP ports."""
    from scanner import nut, smbshares, web

    result = ProbeResult()
    open_tcp = host.open_ports("tcp")
    try:
        result.web = web.web_interfaces(host.ip, host.services)
    except Exception as exc:  # a probe's failure must not cost the host's other facts
        result.notes.append(f"web probe failed: {bounded(exc, 200)}")
    if NUT_PORT in open_tcp:
        try:
            result.ups = nut.query(host.ip)
        except (OSError, nut.NutError) as exc:
            result.notes.append(f"NUT on {NUT_PORT}/tcp did not answer: {bounded(exc, 200)}")
    smb_listing = None
    if check_shares and open_tcp & SMB_PORTS:
        try:
            listed, note = smbshares.listed_shares(host.ip)
            readable = smbshares.readable_shares(host.ip, listed)
            result.anonymous_shares = tuple(readable)
            # A refused anonymous listing is the correct configuration, not a failure: it is
            # kept with the raw evidence (open_doors.raw.smb), not as a scan error.
            smb_listing = (listed, readable, note)
            if note.endswith("timed out"):
                # No answer at all is not a refusal: the shares were not checked.
                result.notes.append(note)
        except smbshares.SmbClientMissing as exc:
            result.notes.append(str(exc))
    result.doors = probe_doors(host, result.ups, smb_listing)
    result.notes += result.doors.notes
    return result


def finish_host(host: Host, host_scripts: dict[str, str], nbstat: str,
                probes: ProbeResult | None) -> Host:
    """``host`` with SMB, directory, NetBIOS, web and UPS facts set (before classification)."""
    smb = smb_info(host_scripts, nbstat)
    if smb is not None and probes is not None and probes.anonymous_shares is not None:
        smb = replace(smb, anonymous_shares=probes.anonymous_shares)
    elif smb is None and probes is not None and probes.anonymous_shares:
        smb = SmbInfo(anonymous_shares=probes.anonymous_shares)
    rootdse = first_script((s.scripts for s in host.services
                            if s.port in (389, 3268)), "ldap-rootdse")
    directory = directory_info(rootdse) if rootdse else None
    netbios_name = (smb.netbios_name if smb and smb.netbios_name else "")
    if not netbios_name and nbstat:
        netbios_name = nbstat_names(nbstat)[0]
    if smb is not None and directory is not None and not smb.dns_domain:
        smb = replace(smb, dns_domain=directory.dns_domain)
    doors = probes.doors if probes else None
    if doors is not None:
        host = replace(host, exposures=tuple(doors.exposures),
                       doors_probed=tuple(sorted(doors.probed)))
    return replace(host, smb=smb, directory=directory, netbios_name=netbios_name,
                   web=probes.web if probes else host.web,
                   ups=(probes.ups if probes and probes.ups else host.ups))


def add_protection(host: Host) -> Host:
    """``host`` (already classified) with its protection signals and AV status."""
    from scanner.protection import av_status, signals_for

    signals = signals_for(host)
    return replace(host, signals=signals, av_status=av_status(host, signals))
