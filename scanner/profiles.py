"""Scan profiles: how deep the port and service scan goes.

``quick`` is for a first look, ``standard`` (the default) is what an assessment needs: every TCP
port plus the UDP ports that matter in a small office, ``thorough`` adds deeper version probes.

Every profile scans in two passes: one fast SYN sweep of all hosts (which ports are open), then
version detection and the evidence scripts on the open ports only, host by host.
"""

from __future__ import annotations

from dataclasses import dataclass

# UDP ports that tell the consultant something in a small office: DNS, DHCP, NTP, NetBIOS,
# SNMP, IKE (VPN), UPnP/SSDP, NUT, mDNS and TFTP (69: device configurations to anyone).
OFFICE_UDP_PORTS = (53, 67, 69, 123, 137, 161, 500, 1900, 3493, 5353)
# TCP ports the checks ask about (remote access, file sharing, mail, databases, management,
# printing, backup agents, UPS): on a host that answers on every port, version detection looks
# at these first.
OFFICE_TCP_PORTS = (
    21, 22, 23, 25, 53, 80, 88, 110, 111, 135, 139, 143, 389, 443, 445, 465, 515, 548, 587,
    631, 636, 873, 993, 995, 1433, 1521, 2049, 3260, 3306, 3389, 3493, 5000, 5001, 5432, 5900,
    5985, 5986, 6556, 8000, 8080, 8443, 9100, 9101, 9102, 9103, 10000, 10050,
)

# NSE scripts in nmap's "safe" set that give the checks their evidence (anonymous access, page
# titles and Server headers, certificates, SMB dialects and signing, the LDAP root DSE). Each
# runs only where its service is open, in the same nmap run as version detection.
EVIDENCE_SCRIPTS = (
    "ftp-anon", "rsync-list-modules", "http-title", "http-server-header",
    "smb-protocols", "smb2-security-mode", "smb-security-mode", "smb-os-discovery",
    "ldap-rootdse",
    # Open doors (scanner/probes/nse_doors.py): each asks one read-only question where its
    # service is open, and says whether it answered without a password.
    # MQTT is not among them: mqtt-subscribe listens for messages (at least a second, the
    # slowest script of the app server in the lab) and says nothing on an empty broker;
    # scanner/probes/brokers.py decides with one CONNECT instead.
    "redis-info", "memcached-info", "mongodb-info", "couchdb-databases",
    "docker-version", "x11-access", "nfs-showmount", "iscsi-info", "cups-info",
    "ssh2-enum-algos",
)
EVIDENCE_SCRIPT_ARGS = ""  # --script-args for the evidence scripts ("" for none)
# Certificates are read in a short second run, only on the ports version detection found TLS
# on: in the first run ssl-cert would also try every unidentified port and wait out its timeout.
TLS_SCRIPTS = ("ssl-cert", "ssl-enum-ciphers")
# Run with the UDP sweep: the NetBIOS name table of every host that has UDP 137 open.
UDP_SCRIPTS = ("nbstat",)


@dataclass(frozen=True)
class ScanProfile:
    """What one profile scans."""

    name: str
    tcp_ports: str  # nmap -p value for TCP, or "" to use top_ports
    top_ports: int  # used when tcp_ports is ""
    udp_ports: tuple[int, ...]
    version_intensity: int  # nmap --version-intensity 0..9
    min_rate: int  # packets per second floor for the sweep (all hosts together)
    probe_wait_ms: int = 400  # longest wait for an answer to one version probe (LAN)
    banner_wait_ms: int = 1000  # longest wait for a banner (nmap NULL probe)

    def tcp_arguments(self) -> list[str]:
        """The nmap arguments that choose the TCP ports."""
        if self.tcp_ports:
            return ["-p", self.tcp_ports]
        return ["--top-ports", str(self.top_ports)]


PROFILES = {
    "quick": ScanProfile("quick", "", 200, (161,), 0, 5000, 800, 1500),
    "standard": ScanProfile("standard", "1-65535", 0, OFFICE_UDP_PORTS, 2, 50000),
    "thorough": ScanProfile("thorough", "1-65535", 0, OFFICE_UDP_PORTS, 7, 10000, 5000, 6000),
}
DEFAULT_PROFILE = "standard"
