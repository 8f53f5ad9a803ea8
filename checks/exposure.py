"""SEC: exposure and hygiene — cleartext protocols, default credentials, anonymous access."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime

from checks.common import fail_each, fail_where_known, host_label, port_evidence
from checks.context import Context
from checks.model import Result, Severity, Status
from checks.registry import check
from scanner.model import Host, TlsCertificate


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


def _smb_known(host: Host) -> bool:
    return host.smb is not None


@check(
    id="SEC-005", title="SMBv1 is enabled",
    severity=Severity.HIGH,
    risk="""SMBv1 is the thirty-year-old file-sharing protocol that WannaCry and NotPetya
    spread through. Microsoft has disabled it by default since 2017; any device still
    offering it is one exploit away from spreading ransomware across the office.""",
    remediation=("Disable SMBv1 on the server or NAS (Windows: Remove-WindowsFeature "
                 "FS-SMB1; Samba: server min protocol = SMB2).",
                 "Replace devices (old scanners, NAS) that only speak SMBv1."),
    service="Security hardening",
    references=("https://learn.microsoft.com/en-us/windows-server/storage/file-server/"
                "troubleshoot/detect-enable-and-disable-smbv1-v2-v3",),
)
def smb1_enabled(ctx: Context) -> Iterator[Result]:
    """FAIL for each host whose SMB service accepts the SMBv1 dialect."""
    yield from fail_where_known(
        [h for h in ctx.hosts if h.open_ports() & {139, 445}], lambda h: bool(
            h.smb and h.smb.smb1_enabled is not None),
        lambda h: bool(h.smb.smb1_enabled),
        lambda h: f"{host_label(h)} accepts SMBv1.",
        lambda h: [f"{h.ip} 445/tcp dialects: {', '.join(h.smb.dialects) or 'SMBv1'}"],
        "No device accepts SMBv1.", "the SMB dialects could not be read",
        "no device offers SMB file sharing")


@check(
    id="SEC-006", title="A server does not require SMB signing",
    severity=Severity.MEDIUM,
    risk="""Without signing, an attacker on the network can relay a user's login to the
    server and act as that user — a standard step in taking over a Windows domain.""",
    remediation=("Require SMB signing on servers and domain controllers (Group Policy: "
                 "'Digitally sign communications (always)').",),
    service="Security hardening",
    references=("https://learn.microsoft.com/en-us/troubleshoot/windows-server/networking/"
                "overview-server-message-block-signing",),
)
def smb_signing(ctx: Context) -> Iterator[Result]:
    """FAIL for each server, DC or NAS whose SMB service does not require signing."""
    yield from fail_where_known(
        [h for h in ctx.inventory.by_class("server", "domain_controller", "nas")
         if h.open_ports() & {139, 445}],
        lambda h: bool(h.smb and h.smb.signing_required is not None),
        lambda h: h.smb.signing_required is False,
        lambda h: f"{host_label(h)} does not require SMB signing.",
        lambda h: [f"{h.ip} 445/tcp: message signing enabled but not required"],
        "Every server requires SMB signing.", "SMB signing could not be tested",
        "no server offers SMB file sharing")


@check(
    id="SEC-007", title="File shares can be read without a password",
    severity=Severity.HIGH,
    risk="""Anyone on the network — a visitor's laptop, an infected PC — can open these
    shares without logging in. Confidential files leak this way, and ransomware encrypts
    whatever it can reach.""",
    remediation=("Remove guest and anonymous access from every share.",
                 "Give access by named user or group, and review it each quarter."),
    service="Security hardening",
    references=("https://learn.microsoft.com/en-us/troubleshoot/windows-server/networking/"
                "guest-access-in-smb2-is-disabled-by-default",),
)
def anonymous_shares(ctx: Context) -> Iterator[Result]:
    """FAIL for each host with SMB shares readable anonymously (backup targets: BAK-004)."""
    yield from fail_where_known(
        [h for h in ctx.hosts if h.open_ports() & {139, 445}
         and h.device_class not in ("nas", "backup_appliance")],
        lambda h: h.smb is not None,
        lambda h: bool(h.smb.anonymous_shares),
        lambda h: f"{host_label(h)} shares files without a password.",
        lambda h: [f"{h.ip} share {s!r} readable anonymously" for s in h.smb.anonymous_shares],
        "No file share can be read without a password.",
        "SMB shares could not be listed", "no device other than backup targets offers SMB")


def _web_hosts(ctx: Context) -> list[Host]:
    return [h for h in ctx.hosts if h.web]


def _certificates(host: Host) -> list[tuple[int, TlsCertificate]]:
    return [(w.port, w.certificate) for w in host.web if w.certificate]


def _expired(certificate: TlsCertificate, today: date) -> bool:
    try:
        return date.fromisoformat(certificate.not_after[:10]) < today
    except ValueError:
        return False


@check(
    id="SEC-008", title="An admin interface uses an expired certificate",
    severity=Severity.MEDIUM,
    risk="""Staff learn to click through certificate warnings, which is exactly what an
    attacker impersonating the device needs. An expired certificate also shows nobody is
    maintaining the device.""",
    remediation=("Renew the certificate (or let the device generate a new one).",
                 "Track certificate expiry in monitoring."),
    service="Security hardening",
    references=("https://www.cisa.gov/news-events/news/understanding-web-site-certificates",),
)
def expired_certificate(ctx: Context) -> Iterator[Result]:
    """FAIL for each host presenting a TLS certificate past its end date."""
    today = datetime.fromisoformat(ctx.inventory.finished_at or
                                   datetime.now().isoformat()).date()
    yield from fail_where_known(
        _web_hosts(ctx), lambda h: bool(_certificates(h)),
        lambda h: any(_expired(c, today) for _p, c in _certificates(h)),
        lambda h: f"{host_label(h)} presents an expired certificate.",
        lambda h: [f"{h.ip}:{port} certificate {c.subject!r} expired {c.not_after[:10]}"
                   for port, c in _certificates(h) if _expired(c, today)],
        "No admin interface presents an expired certificate.",
        "no TLS certificate was read", "no HTTPS interface was found")


WEAK_SIGNATURE = re.compile(r"md5|sha1(?!\d)", re.IGNORECASE)


def _weak(certificate: TlsCertificate) -> bool:
    small_rsa = certificate.key_type.lower() == "rsa" and (certificate.key_bits or 4096) < 2048
    return small_rsa or bool(WEAK_SIGNATURE.search(certificate.signature_algorithm))


@check(
    id="SEC-009", title="An admin interface uses a weak certificate",
    severity=Severity.LOW,
    risk="""Keys shorter than 2048 bits and SHA-1 or MD5 signatures can be forged with
    rented computing power; browsers already reject many of them.""",
    remediation=("Generate a new certificate with an RSA 2048+ or EC key and SHA-256.",
                 "Update the device firmware if it cannot."),
    service="Security hardening",
    references=("https://csrc.nist.gov/pubs/sp/800/131/a/r2/final",),
)
def weak_certificate(ctx: Context) -> Iterator[Result]:
    """FAIL for each host presenting a certificate with a short RSA key or a SHA-1/MD5 signature."""
    yield from fail_where_known(
        _web_hosts(ctx), lambda h: bool(_certificates(h)),
        lambda h: any(_weak(c) for _p, c in _certificates(h)),
        lambda h: f"{host_label(h)} presents a weak certificate.",
        lambda h: [f"{h.ip}:{port} {c.key_type} {c.key_bits} bits, {c.signature_algorithm}"
                   for port, c in _certificates(h) if _weak(c)],
        "Every certificate read uses a strong key and signature.",
        "no TLS certificate was read", "no HTTPS interface was found")


@check(
    id="SEC-010", title="Device admin pages are offered over plain HTTP",
    severity=Severity.MEDIUM,
    risk="""Logging in to these devices sends the administrator password across the network
    in clear text, where any infected machine can read it.""",
    remediation=("Turn on HTTPS administration and turn off HTTP on each device.",
                 "Change admin passwords that have been used over HTTP."),
    service="Security hardening",
    references=("https://www.cisa.gov/news-events/news/securing-network-infrastructure-devices",),
)
def cleartext_admin(ctx: Context) -> Iterator[Result]:
    """FAIL for each non-gateway device serving a web page over HTTP without redirecting."""
    def plain(host: Host) -> list[str]:
        return [f"{host.ip}:{w.port} http, title {w.title!r}" for w in host.web
                if w.scheme == "http" and not w.redirects_to_https]

    yield from fail_where_known(
        [h for h in _web_hosts(ctx) if not h.is_gateway], lambda h: True,
        lambda h: bool(plain(h)),
        lambda h: f"{host_label(h)} serves its admin page over plain HTTP.", plain,
        "Device admin pages use HTTPS.", "no web interface was examined",
        "no device other than the gateway has a web interface")


@check(
    id="SEC-011", title="A default SNMP community can change device settings",
    severity=Severity.CRITICAL,
    risk="""With a password printed in every manual, anyone on the network can reconfigure
    this device — change routes, switch ports off, or lock the owner out.""",
    remediation=("Remove read-write SNMP communities, or change them to long random strings.",
                 "Use SNMPv3 with authentication for any management that needs writes."),
    service="Network device management",
    references=("https://www.cisa.gov/news-events/alerts/2017/06/05/reducing-risk-snmp-abuse",),
)
def snmp_write(ctx: Context) -> Iterator[Result]:
    """FAIL for each host where a default community could write (tested with a no-op SET)."""
    yield from fail_where_known(
        [h for h in ctx.hosts if h.snmp and h.snmp.default_community],
        lambda h: h.snmp_writable is not None, lambda h: bool(h.snmp_writable),
        lambda h: f"{host_label(h)} accepts SNMP writes with a default community.",
        lambda h: [f"{h.ip} udp/161: SET of sysLocation to its current value accepted"],
        "No default community can write.", "SNMP write access was not tested",
        "no device answers a default SNMP community")


@check(
    id="SEC-012", title="VNC remote control is open",
    severity=Severity.HIGH,
    risk="""VNC often runs with a weak or no password and sends the screen unencrypted.
    Whoever connects controls the computer as if sitting at it.""",
    remediation=("Remove VNC, or restrict it to the IT admin's address with a strong password.",
                 "Use a managed remote-support tool with multi-factor authentication."),
    service="Security hardening",
    references=("https://www.cisa.gov/news-events/alerts/2020/03/13/"
                "enterprise-vpn-security",),
)
def vnc_open(ctx: Context) -> Iterator[Result]:
    """Every host with a VNC port (5900–5903) open."""
    yield from fail_each(
        (h for h in ctx.hosts if h.open_ports() & VNC_PORTS),
        lambda h: f"VNC is open on {host_label(h)}.",
        lambda h: [line for p in sorted(h.open_ports() & VNC_PORTS)
                   for line in port_evidence(h, p)],
        "No device offers VNC.")


VNC_PORTS = {5900, 5901, 5902, 5903}
DATABASE_PORTS = {1433: "Microsoft SQL Server", 3306: "MySQL/MariaDB", 5432: "PostgreSQL",
                  27017: "MongoDB", 6379: "Redis", 1521: "Oracle"}


@check(
    id="SEC-013", title="Database servers accept connections from the whole network",
    severity=Severity.MEDIUM,
    risk="""The practice or accounting database answers every PC on the network directly.
    Weak database passwords and unpatched database servers are a direct path to the
    business's most valuable data.""",
    remediation=("Allow database connections only from the application servers that need "
                 "them (host firewall).", "Check database accounts for default passwords."),
    service="Security hardening",
    references=("https://www.cisa.gov/resources-tools/resources/"
                "cyber-essentials-starter-kit",),
)
def database_exposed(ctx: Context) -> Iterator[Result]:
    """Every host with a database port open on the LAN."""
    yield from fail_each(
        (h for h in ctx.hosts if h.open_ports() & DATABASE_PORTS.keys()),
        lambda h: f"{host_label(h)} accepts database connections from the network.",
        lambda h: [f"{h.ip} {p}/tcp: {DATABASE_PORTS[p]}"
                   for p in sorted(h.open_ports() & DATABASE_PORTS.keys())],
        "No database port is open to the network.")


@check(
    id="SEC-014", title="Files are transferred with cleartext FTP",
    severity=Severity.LOW,
    risk="""FTP sends user names, passwords and files unencrypted; anyone on the network can
    read them.""",
    remediation=("Replace FTP with SFTP or an authenticated SMB share.",
                 "Turn the FTP service off."),
    service="Security hardening",
    references=("https://www.cisa.gov/sites/default/files/publications/"
                "CISA_Insights-Secure-Remote-Access_S508C.pdf",),
)
def cleartext_ftp(ctx: Context) -> Iterator[Result]:
    """Every host with an FTP server (21/tcp) that is not wrapped in TLS."""
    yield from fail_each(
        (h for h in ctx.hosts if (s := h.service(21)) is not None and s.tunnel != "ssl"),
        lambda h: f"{host_label(h)} runs a cleartext FTP server.",
        lambda h: port_evidence(h, 21), "No cleartext FTP server was found.")
