"""Scan profiles: how deep the port and service scan goes.

``quick`` is for a first look, ``standard`` (the default) is what an assessment needs: every TCP
port plus the UDP ports that matter in a small office, ``thorough`` adds deeper version probes.
"""

from __future__ import annotations

from dataclasses import dataclass

# UDP ports that tell the consultant something in a small office: DNS, DHCP, NTP, NetBIOS,
# SNMP, IKE (VPN), UPnP/SSDP, NUT and mDNS.
OFFICE_UDP_PORTS = (53, 67, 123, 137, 161, 500, 1900, 3493, 5353)

# NSE scripts in nmap's "safe" set that give the checks their evidence (anonymous access,
# page titles, certificates). They only run where their service is open.
EVIDENCE_SCRIPTS = ("ftp-anon", "rsync-list-modules", "http-title", "ssl-cert")


@dataclass(frozen=True)
class ScanProfile:
    """What one profile scans."""

    name: str
    tcp_ports: str  # nmap -p value for TCP, or "" to use top_ports
    top_ports: int  # used when tcp_ports is ""
    udp_ports: tuple[int, ...]
    version_intensity: int  # nmap --version-intensity 0..9
    min_rate: int  # packets per second floor for the port scan

    def tcp_arguments(self) -> list[str]:
        """The nmap arguments that choose the TCP ports."""
        if self.tcp_ports:
            return ["-p", self.tcp_ports]
        return ["--top-ports", str(self.top_ports)]


PROFILES = {
    "quick": ScanProfile("quick", "", 200, (161,), 2, 2000),
    "standard": ScanProfile("standard", "1-65535", 0, OFFICE_UDP_PORTS, 5, 5000),
    "thorough": ScanProfile("thorough", "1-65535", 0, OFFICE_UDP_PORTS, 9, 2000),
}
DEFAULT_PROFILE = "standard"
