"""SEC: exposure and hygiene — cleartext protocols, default credentials, anonymous access."""

from __future__ import annotations

from collections.abc import Iterator

from checks.common import fail_each, host_label, port_evidence
from checks.context import Context
from checks.model import Result, Severity, Status
from checks.registry import check


@check(
    id="SEC-001", title="SNMP answers to a default community string",
    severity=Severity.MEDIUM,
    risk="""Anyone on the network can read this device's configuration details (and on some
    devices change them) with a password that is printed in every manual. It is a common first
    step for an attacker mapping the network.""",
    remediation=("Change the SNMP community to a long random string, or disable SNMP where it is "
                 "not used.", "Prefer SNMPv3 with authentication and encryption.",
                 "Restrict SNMP to the monitoring server's address."),
    service="Network device management",
    references=("https://www.cisa.gov/news-events/alerts/2017/06/05/reducing-risk-snmp-abuse",),
)
def snmp_default_community(ctx: Context) -> Iterator[Result]:
    """Every host that answered SNMP with a well-known community (public, private …)."""
    yield from fail_each(
        (h for h in ctx.hosts if h.snmp and h.snmp.default_community),
        lambda h: f"{host_label(h)} answers SNMP {h.snmp.version} to a default community.",
        lambda h: [f"{h.ip} udp/161: sysDescr {h.snmp.sys_descr[:120]!r}"],
        "No device answered SNMP to a default community string.")


@check(
    id="SEC-002", title="Telnet is enabled",
    severity=Severity.HIGH,
    risk="""Telnet sends passwords across the network in clear text: anyone who can see the
    traffic can log in as the administrator. It has been replaced by SSH for over twenty
    years.""",
    remediation=("Disable the telnet service on the device.",
                 "Use SSH (or the vendor's HTTPS management) instead.",
                 "Change any password that has been used over telnet."),
    service="Security hardening",
    references=("https://www.cisa.gov/sites/default/files/publications/"
                "CISA_Insights-Secure-Remote-Access_S508C.pdf",),
)
def telnet_enabled(ctx: Context) -> Iterator[Result]:
    """Every host with TCP 23 open."""
    yield from fail_each(
        ctx.hosts_with_port(23),
        lambda h: f"Telnet is open on {host_label(h)}.",
        lambda h: port_evidence(h, 23),
        "No device offers telnet.")


ANONYMOUS_FTP = "Anonymous FTP login allowed"


@check(
    id="SEC-003", title="Anonymous FTP is allowed",
    severity=Severity.HIGH,
    risk="""Anyone on the network can read (and maybe write) files on this server without a
    password. Company data leaks this way, and writable FTP is used to plant malware.""",
    remediation=("Disable anonymous login in the FTP server's configuration.",
                 "Move file sharing to an authenticated service (SMB with accounts, or SFTP).",
                 "Review what was in the anonymous area and whether it was copied."),
    service="Security hardening",
    references=("https://nmap.org/nsedoc/scripts/ftp-anon.html",),
)
def anonymous_ftp(ctx: Context) -> Iterator[Result]:
    """Hosts where nmap's ftp-anon script logged in anonymously; UNKNOWN where it did not run."""
    ftp_hosts = ctx.hosts_with_port(21)
    failed = False
    for host in ftp_hosts:
        service = host.service(21)
        output = service.scripts.get("ftp-anon") if service else None
        if output is None:
            yield Result(Status.UNKNOWN, f"FTP is open on {host_label(host)}, but anonymous "
                         "login was not tested.", ip=host.ip, reason="the ftp-anon probe did "
                         "not run (FTP not recognised or the probe timed out)")
        elif ANONYMOUS_FTP in output:
            failed = True
            yield Result(Status.FAIL, f"{host_label(host)} accepts anonymous FTP logins.",
                         ip=host.ip, evidence=(*port_evidence(host, 21),
                                               f"ftp-anon: {output[:200]}"))
    if not failed and all(h.service(21) and "ftp-anon" in h.service(21).scripts
                          for h in ftp_hosts):
        yield Result(Status.PASS, "No FTP server accepts anonymous logins.")


@check(
    id="SEC-004", title="Remote Desktop is open on the LAN",
    severity=Severity.MEDIUM,
    risk="""Remote Desktop is how ransomware gangs move from one infected PC to the rest of the
    office. Open on ordinary PCs, it lets one stolen password reach every desk.""",
    remediation=("Turn off Remote Desktop on PCs that do not need it.",
                 "Where it is needed, allow it only from the IT admin's addresses "
                 "(Windows Firewall) and require Network Level Authentication.",
                 "Use a managed remote-support tool instead of open RDP."),
    service="Security hardening",
    references=("https://www.cisa.gov/stopransomware/ransomware-guide",),
)
def rdp_on_lan(ctx: Context) -> Iterator[Result]:
    """Every host with TCP 3389 open."""
    yield from fail_each(
        ctx.hosts_with_port(3389),
        lambda h: f"Remote Desktop is open on {host_label(h)}.",
        lambda h: port_evidence(h, 3389),
        "No device has Remote Desktop open.")
