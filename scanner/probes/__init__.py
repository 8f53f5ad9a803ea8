"""Read-only probes for open doors: services that answer without a password.

Each probe runs only when its port is open, with its own timeout and a bound on what it reads,
and never changes anything on the target. What they find becomes :class:`Exposure` records on
the host (``Host.exposures``); which kinds were probed, open or not, goes in
``Host.doors_probed`` so a check can tell "looked, nothing" from "not looked at".

* :mod:`scanner.probes.nse_doors` reads the nmap scripts run with version detection
  (Redis, Memcached, MongoDB, CouchDB, Docker, X11, NFS, iSCSI, CUPS, SSH algorithms, TLS
  versions);
* :mod:`scanner.probes.rsync_doors` tries to list each announced rsync module;
* :mod:`scanner.probes.smb_doors` lists shares with a null session and decides read and write
  access per share without writing;
* :mod:`scanner.probes.printers` asks a JetDirect port for its PJL identity;
* :mod:`scanner.probes.clamd` asks an antivirus daemon for its version;
* :mod:`scanner.probes.tftp` sends every host one TFTP read request for a file nobody has;
* :mod:`scanner.probes.brokers` decides whether Redis and MQTT let an anonymous client in;
* NUT's answer comes from the UPS probe that already ran (:mod:`scanner.nut`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scanner.model import Exposure, Host, UpsStatus
from scanner.textsafe import bounded

# What each exposure kind means; checks/access reads the same keys.
KINDS = {
    "rsync_module": "rsync module readable without a password",
    "nut": "NUT UPS server answering without login",
    "smb_null_session": "SMB share list given to a null session",
    "smb_share": "SMB share readable or writable as guest/anonymous",
    "nfs_export": "NFS export open to every address",
    "iscsi_target": "iSCSI target discoverable without CHAP",
    "tftp": "TFTP server answering anyone",
    "printer_raw": "printer accepting raw jobs (JetDirect 9100 / LPD 515)",
    "printer_ipp": "IPP printer server answering without authentication",
    "redis": "Redis without a password", "mongodb": "MongoDB without authentication",
    "memcached": "Memcached without authentication", "mqtt": "MQTT broker accepting anonymous",
    "couchdb": "CouchDB listing databases to anyone", "docker_api": "Docker API without TLS",
    "elasticsearch": "Elasticsearch without authentication", "x11": "X11 server open",
    "clamd": "antivirus daemon answering anyone",
    "tls_legacy": "SSLv3, TLS 1.0 or TLS 1.1 offered", "ssh_weak": "weak SSH algorithms offered",
}


@dataclass
class DoorResult:
    """The open doors of one host, the kinds probed, and the raw answers kept as evidence."""

    exposures: list[Exposure] = field(default_factory=list)
    probed: set[str] = field(default_factory=set)
    raw: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def nut_exposure(ups: UpsStatus | None, result: DoorResult, port: int = 3493) -> None:
    """A UPS that answered NUT's LIST UPS / LIST VAR without a login."""
    result.probed.add("nut")
    if ups is not None and ups.source == "nut":
        what = " ".join(p for p in (ups.manufacturer, ups.model) if p) or "UPS"
        result.exposures.append(Exposure(
            "nut", port, name=bounded(ups.name, 60), access="read",
            detail=bounded(f"{what}, status {ups.status or '?'}", 160),
            how="LIST UPS and LIST VAR answered without USERNAME/PASSWORD"))


def probe_doors(host: Host, ups: UpsStatus | None,
                smb_listing: tuple[list[str], list[str], str] | None) -> DoorResult:
    """Every open-door probe that fits ``host``'s open TCP ports; failures become notes.

    ``smb_listing`` is (shares a null session listed, shares read anonymously, why the list was
    refused), from the SMB probe that already ran; None when SMB was not looked at.
    """
    from scanner.probes import brokers, clamd, nse_doors, printers, rsync_doors, smb_doors, tftp

    result = DoorResult()
    open_tcp = host.open_ports("tcp")
    nse_doors.from_scripts(host, result)
    steps = [(3493 in open_tcp, lambda: nut_exposure(ups, result)),
             (873 in open_tcp, lambda: rsync_doors.probe(host, result)),
             (smb_listing is not None,
              lambda: smb_doors.probe(host, result, *smb_listing)),  # type: ignore[misc]
             (bool(open_tcp & {9100, 515}), lambda: printers.probe(host, result)),
             (clamd.PORT in open_tcp, lambda: clamd.probe(host, result)),
             (6379 in open_tcp, lambda: brokers.probe_redis(host, result)),
             (1883 in open_tcp, lambda: brokers.probe_mqtt(host, result)),
             (True, lambda: tftp.probe(host, result))]  # UDP: see scanner/probes/tftp.py
    for wanted, step in steps:
        if not wanted:
            continue
        try:
            step()
        except Exception as exc:  # one probe's failure must not cost the host's other facts
            result.notes.append(f"open-door probe failed: {bounded(exc, 200)}")
    return result
