"""What runs on each lab host: config files to render and daemons to start.

One builder per host (``fw``, ``dc``, ..., ``isp``) prepares the host's folder in
the state dir and returns the daemons to launch. Every daemon runs in the
foreground so the recorded PID is the daemon itself.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from . import certs, open_doors, samba_ad
from .hostenv import HostEnv
from .procs import LaunchSpec
from .render import render_template
from .topology import FW_WAN_IFACE

RDP_PORT = 3389
UPNP_PORT = 5000  # miniupnpd's HTTP port (device description and control) on the LAN
SYS_CONTACT = "it@office.lan"
SYS_LOCATION = "Office, server cabinet"
# The JetDirect port swallows every job like a printer and answers PJL INFO ID with the model,
# as HP firmware does (the open-door probe's read-only question). A script file: socat would
# mangle the quotes of an inline command.
PJL_RESPONDER = """#!/bin/sh
while IFS= read -r line; do
  case "$line" in
    *"@PJL INFO ID"*) printf '@PJL INFO ID\r\n"HP Color LaserJet Pro M252dw"\r\n\f' ;;
  esac
done
"""


def _snmpd(h: HostEnv) -> LaunchSpec:
    snmp = h.truth["snmp"] if h.truth else None
    if not snmp:
        raise ValueError(f"{h.key}: ground truth has no snmp section")
    conf = h.render(
        "snmpd.conf", community=snmp["community"],
        site_community_lines="".join(f"rocommunity {c} default -V office\n"
                                     for c in snmp.get("site_communities", [])),
        sys_descr=snmp["sys_descr"],
        sys_object_id=snmp["sys_object_id"], sys_name=snmp["sys_name"],
        sys_location=SYS_LOCATION, sys_contact=SYS_CONTACT,
    )
    persist = h.mkdir("snmp", 0o700)
    return h.daemon(
        "snmpd", ["snmpd", "-f", "-Lo", "-C", "-I", "-smux", "-c", conf],
        env={"SNMP_PERSISTENT_DIR": str(persist), "MIBS": ""},
        shadow=("/var/lib/snmp", "/var/agentx"),
    )


def _sshd(h: HostEnv) -> LaunchSpec:
    certs.install_ssh_host_keys(h.cache, h.key, h.mkdir("ssh", 0o700))
    conf = h.render("sshd_config")
    return h.daemon("sshd", ["/usr/sbin/sshd", "-D", "-e", "-f", conf], run_dirs=("/run/sshd",))


def _nginx(h: HostEnv, template: str, index: str) -> LaunchSpec:
    for sub in ("nginx/tmp", "www"):
        h.mkdir(sub)
    h.render(index, "www/index.html")
    conf = h.render(template, "nginx/nginx.conf")
    return h.daemon(
        "nginx", ["nginx", "-c", conf, "-e", h.logs / f"{h.key}-nginx-error.log",
                  "-g", "daemon off;"],
        shadow=("/var/lib/nginx", "/var/log/nginx"),
    )


def _xrdp(h: HostEnv) -> LaunchSpec:
    certs.install_tls(h.cache, h.mkdir("tls", 0o700), h.fqdn, h.node.ip)
    conf = h.render("xrdp.ini")
    return h.daemon("xrdp", ["xrdp", "--nodaemon", "--config", conf], run_dirs=("/run/xrdp",))


def build_fw(h: HostEnv) -> list[LaunchSpec]:
    """Firewall: miniupnpd (UPnP IGD), dnsmasq (DHCP+DNS), snmpd, sshd, nginx web admin."""
    lan = h.topo.lan
    dhcp_hosts = "\n".join(
        f"dhcp-host={n.mac},{n.ip}" + (f",{n.hostname}" if n.names else "")
        for n in h.topo.lan_nodes
    )
    records = [f"host-record={name},{n.ip}" for n in h.topo.hosts for name in n.names]
    dnsmasq = h.render(
        "dnsmasq.conf",
        reverse_zone=_reverse_zone(lan), netmask=lan.netmask,
        dhcp_start=lan.network_address + 100, dhcp_end=lan.network_address + 199,
        dhcp_hosts=dhcp_hosts, host_records="\n".join(records),
    )
    certs.install_tls(h.cache, h.mkdir("tls", 0o700), h.fqdn, h.node.ip)
    upnp = h.render("miniupnpd.conf", wan_if=FW_WAN_IFACE, lan_if="eth0", lan=lan,
                    upnp_port=UPNP_PORT)
    return [
        h.daemon("miniupnpd", ["miniupnpd", "-f", upnp, "-d", "-P", h.hdir / "miniupnpd.pid"]),
        h.daemon("dnsmasq", ["dnsmasq", "-k", f"--conf-file={dnsmasq}"]),
        _snmpd(h),
        _sshd(h),
        _nginx(h, "nginx-fw.conf", "fw-index.html"),
    ]


def build_dc(h: HostEnv) -> list[LaunchSpec]:
    """Domain controller: Samba AD DC (from the cached provision)."""
    sdir = h.hdir / "samba"
    samba_ad.install_domain(
        h.cache, sdir, h.node.ns, h.node.ip, h.logs / "dc-provision.log",
        shadow_root=h.mkdir("shadow/provision"),
    )
    for sub in ("samba/run", "samba/cache"):
        h.mkdir(sub)
    certs.install_tls(h.cache, h.mkdir("tls", 0o700), h.fqdn, h.node.ip)
    conf = h.render(
        "smb-dc.conf", "samba/smb.conf", sdir=sdir, netbios_name=samba_ad.NETBIOS_NAME,
        workgroup=samba_ad.WORKGROUP, realm=samba_ad.REALM, dns_domain=samba_ad.DNS_DOMAIN,
    )
    return [h.daemon(
        "samba", ["samba", "--foreground", "--no-process-group", "-s", conf],
        shadow=("/var/lib/samba", "/var/cache/samba", "/var/log/samba"),
        run_dirs=("/run/samba",),
    )]


def build_nas(h: HostEnv) -> list[LaunchSpec]:
    """NAS: smbd with a guest share, anonymous rsync module, Bacula file daemon."""
    sdir = h.hdir / "samba"
    for sub in ("samba/private", "samba/state", "samba/cache", "samba/lock", "samba/run",
                "bacula"):
        h.mkdir(sub, 0o755)
    for folder in ("share-backup", "rsync-backup"):
        h.mkdir(folder)
        h.write(f"{folder}/README.txt", "Nightly backups of the office file server.\n")
        h.write(f"{folder}/2024-06-01-accounts.csv", "date,amount\n2024-06-01,1200.00\n")
    h.mkdir("share-scans", 0o777)  # guest-writable scanner drop folder (open-door checks)
    h.write("rsyncd.motd", "Synology DiskStation nas01 - authorised users only\n")
    smb = h.render("smb-nas.conf", "samba/smb.conf", sdir=sdir, netbios_name="NAS01",
                   workgroup="OFFICE")
    rsync = h.render("rsyncd.conf")
    bacula = h.render("bacula-fd.conf", mode=0o600)
    return [
        h.daemon("smbd", ["smbd", "--foreground", "--no-process-group", "-s", smb],
                 shadow=("/var/lib/samba", "/var/cache/samba", "/var/log/samba"),
                 run_dirs=("/run/samba",)),
        h.daemon("rsyncd", ["rsync", "--daemon", "--no-detach", f"--config={rsync}",
                            f"--log-file={h.logs / 'nas-rsyncd-internal.log'}"]),
        h.daemon("bacula-fd", ["bacula-fd", "-f", "-c", bacula],
                 shadow=("/var/lib/bacula",), run_dirs=("/run/bacula",)),
    ]


def build_ups(h: HostEnv) -> list[LaunchSpec]:
    """UPS: NUT upsd + dummy-ups driver, snmpd imitating an APC network card."""
    confdir = h.mkdir("nut", 0o755)
    statedir = h.mkdir("nut-state", 0o770)
    for name in ("nut.conf", "ups.conf", "upsd.conf", "apc-smart-ups-750.dev"):
        h.render(name, f"nut/{name}", mode=0o640)
    h.render("upsd.users", "nut/upsd.users", mode=0o600)
    env = {"NUT_CONFPATH": str(confdir), "NUT_STATEPATH": str(statedir)}
    return [
        h.daemon("dummy-ups", ["/lib/nut/dummy-ups", "-a", "ups", "-F", "-u", "root"], env=env,
                 run_dirs=("/run/nut",)),
        h.daemon("upsd", ["/lib/nut/upsd", "-F", "-u", "root"], env=env, run_dirs=("/run/nut",)),
        _snmpd(h),
    ]


def build_prn(h: HostEnv) -> list[LaunchSpec]:
    """Printer: cupsd (IPP 631), raw JetDirect listener on 9100, snmpd, avahi (mDNS)."""
    for sub in ("cups/spool", "cups/cache", "cups/tmp", "cups/ppd", "cups/ssl"):
        h.mkdir(sub, 0o755)
    cupsd = h.render("cupsd.conf", "cups/cupsd.conf", mode=0o640)
    files = h.render("cups-files.conf", "cups/cups-files.conf", mode=0o640)
    h.render("printers.conf", "cups/printers.conf", mode=0o600)
    avahi = h.render("avahi-daemon.conf")
    avahi_spec = h.daemon("avahi-daemon", ["avahi-daemon", "-f", avahi, "--no-drop-root",
                                           "--no-chroot", "--no-rlimits", "--no-proc-title"],
                          shadow=("/etc/avahi/services",), run_dirs=("/run/avahi-daemon",))
    # The shadow folder replaces /etc/avahi/services for this daemon only: our one service.
    h.render("avahi-ipp.service", "shadow/avahi-daemon/etc-avahi-services/ipp.service")
    return [
        avahi_spec,
        h.daemon("cupsd", ["cupsd", "-f", "-c", cupsd, "-s", files],
                 shadow=("/var/spool/cups", "/var/cache/cups"), run_dirs=("/run/cups",)),
        h.daemon("jetdirect", ["socat", "TCP4-LISTEN:9100,reuseaddr,fork",
                               f"EXEC:{h.write('pjl-responder.sh', PJL_RESPONDER, 0o755)}"]),
        _snmpd(h),
    ]


def build_ws1(h: HostEnv) -> list[LaunchSpec]:
    """Reception PC: telnet via inetd, RDP via xrdp."""
    conf = h.render("inetd.conf")
    return [h.daemon("inetd", ["/usr/sbin/inetd", "-i", conf]), _xrdp(h)]


def build_ws2(h: HostEnv) -> list[LaunchSpec]:
    """Accounts PC: anonymous FTP (vsftpd) and sshd."""
    h.mkdir("ftp", 0o555)
    h.mkdir("ftp/pub", 0o755)
    h.write("ftp/pub/README.txt", "Scanned invoices are uploaded here every Friday.\n")
    h.write("ftp/pub/invoices-2024-Q2.csv", "invoice,amount\nINV-1001,349.00\n")
    conf = h.render("vsftpd.conf", mode=0o600)
    return [
        h.daemon("vsftpd", ["vsftpd", conf], run_dirs=("/run/vsftpd/empty",)),
        _sshd(h),
    ]


def build_ws3(h: HostEnv) -> list[LaunchSpec]:
    """Owner PC: only RDP; nftables (see :func:`firewall_rules`) hides everything else."""
    return [_xrdp(h)]


def build_isp(h: HostEnv) -> list[LaunchSpec]:
    """Fake internet: a web server on 80."""
    return [_nginx(h, "nginx-isp.conf", "isp-index.html")]


BUILDERS: dict[str, Callable[[HostEnv], list[LaunchSpec]]] = {
    "fw": build_fw, "dc": build_dc, "nas": build_nas, "ups": build_ups, "prn": build_prn,
    "ws1": build_ws1, "ws2": build_ws2, "ws3": build_ws3, "isp": build_isp,
    "app": open_doors.build_app, "srv": open_doors.build_srv,  # open-door checks (issue 13)
}


def firewall_rules(h: HostEnv) -> str | None:
    """Return the nftables ruleset for host ``h`` (None when it has no firewall)."""
    if h.key == "fw":
        return render_template("fw.nft", h.values(lan_if="eth0", wan_if=FW_WAN_IFACE))
    if h.key == "ws3":
        return render_template("stealth.nft", h.values(rdp_port=RDP_PORT))
    return None


def _reverse_zone(lan: ipaddress.IPv4Network) -> str:
    """Return the in-addr.arpa zone of a /24 (or shorter, octet-aligned) network."""
    octets = str(lan.network_address).split(".")[: lan.prefixlen // 8]
    return ".".join(reversed(octets)) + ".in-addr.arpa"

