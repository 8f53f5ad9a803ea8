"""Lab hosts for the open-door checks (issue 13): an app server left wide open, and a
correctly configured twin as the negative control.

``app`` (app01) runs the real Debian daemons with the settings a consultant finds: Redis
without a password, Memcached on every address, an anonymous Mosquitto broker, clamd on TCP,
rsync modules without ``auth users`` (one named like a backup), an iSCSI target without CHAP
(tgt), tftpd-hpa, an SSH server that still offers 3DES and SHA-1 key exchange, and an admin
page on HTTPS that offers TLS 1.0/1.1 with a self-signed certificate.

``srv`` (nas02) runs the same kinds of service configured correctly: Redis with a password,
Mosquitto without anonymous access, rsync with ``auth users``, an iSCSI target with CHAP, SMB
without guest or anonymous access (signing required, SMB2+), and a default OpenSSH server.
Every open-door check that fires on ``app`` must stay silent on ``srv``.

Kept apart from :mod:`tests.lab.services` so the lab's other builders merge cleanly.
"""

from __future__ import annotations

from . import certs
from .hostenv import HostEnv
from .procs import LaunchSpec

# EICAR's MD5 and size: clamd refuses to start without a database, and this one-line
# signature file is the smallest real one (no download, nothing that matches a real file).
EICAR_HDB = "44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature\n"
ISCSI_IQN = "iqn.2024-06.lan.office:{host}.vmstore"
ISCSI_CHAP_USER = "initiator01"
ISCSI_CHAP_SECRET = "Sitewalk-Lab-Chap-1"  # lab only  # noqa: S105
RSYNC_SECRET = "backupjob:Sitewalk-Lab-Rsync-1\n"  # lab only
HYPERVISOR_IP = "192.168.77.10"  # the only initiator the correct target admits (not the laptop)
REDIS_PASSWORD = "Sitewalk-Lab-Redis-1"  # lab only  # noqa: S105


def _sshd(h: HostEnv, extra: str = "") -> LaunchSpec:
    certs.install_ssh_host_keys(h.cache, h.key, h.mkdir("ssh", 0o700))
    conf = h.render("sshd_config")
    if extra:
        conf.write_text(conf.read_text() + extra)
    return h.daemon("sshd", ["/usr/sbin/sshd", "-D", "-e", "-f", conf], run_dirs=("/run/sshd",))


def _rsyncd(h: HostEnv, modules: dict[str, str]) -> LaunchSpec:
    body = ["use chroot = yes", "uid = nobody", "gid = nogroup", "max connections = 8",
            "reverse lookup = no"]
    for name, options in modules.items():
        h.mkdir(f"rsync-{name}")
        h.write(f"rsync-{name}/README.txt", f"{name} files of the office.\n")
        body += [f"[{name}]", f"\tpath = {h.hdir / f'rsync-{name}'}", "\tread only = yes",
                 "\tlist = yes", *(f"\t{line}" for line in options.splitlines() if line)]
    conf = h.write("rsyncd.conf", "\n".join(body) + "\n")
    return h.daemon("rsyncd", ["rsync", "--daemon", "--no-detach", f"--config={conf}",
                               f"--log-file={h.logs / f'{h.key}-rsyncd-internal.log'}"])


def _redis(h: HostEnv, password: str = "") -> LaunchSpec:
    data = h.mkdir("redis", 0o700)
    argv = ["redis-server", "--port", "6379", "--bind", "0.0.0.0", "--save", "",
            "--appendonly", "no", "--dir", data, "--daemonize", "no",
            "--protected-mode", "yes" if password else "no"]
    if password:
        argv += ["--requirepass", password]
    return h.daemon("redis", argv)


def _mosquitto(h: HostEnv, anonymous: bool) -> LaunchSpec:
    conf = h.write("mosquitto.conf", "listener 1883 0.0.0.0\npersistence false\n"
                   f"allow_anonymous {'true' if anonymous else 'false'}\nlog_dest stderr\n"
                   "user root\n")
    return h.daemon("mosquitto", ["mosquitto", "-c", conf], run_dirs=("/run/mosquitto",))


def _tgtd(h: HostEnv, chap: bool) -> LaunchSpec:
    """tgtd with one 8 MiB file-backed target. Open: every initiator, no CHAP. Correct: CHAP
    and only the hypervisor's address may see it (tgtd lists a target in discovery only to
    initiators its ACL allows; nmap's iscsi-info cannot tell CHAP at login, see the report)."""
    store = h.hdir / "iscsi-disk.img"
    with store.open("wb") as disk:
        disk.truncate(8 * 1024 * 1024)
    iqn = ISCSI_IQN.format(host=h.node.hostname)
    adm = "tgtadm --lld iscsi"
    steps = [f"{adm} --op new --mode target --tid 1 -T {iqn}",
             f"{adm} --op new --mode logicalunit --tid 1 --lun 1 -b {store}",
             f"{adm} --op bind --mode target --tid 1 -I {HYPERVISOR_IP if chap else 'ALL'}"]
    if chap:
        steps += [f"{adm} --op new --mode account --user {ISCSI_CHAP_USER} "
                  f"--password {ISCSI_CHAP_SECRET}",
                  f"{adm} --op bind --mode account --tid 1 --user {ISCSI_CHAP_USER}"]
    # tgtd takes its targets from tgtadm once it runs: configure, then wait on it.
    script = ("tgtd -f & pid=$!; for i in 1 2 3 4 5 6 7 8 9 10; do "
              "tgtadm --lld iscsi --op show --mode sys >/dev/null 2>&1 && break; sleep 0.3; "
              "done; " + " && ".join(steps) + "; wait $pid")
    return h.daemon("tgtd", ["sh", "-c", script], run_dirs=("/run/tgtd",))


def build_app(h: HostEnv) -> list[LaunchSpec]:
    """The open app server (see the module docstring)."""
    db = h.mkdir("clamav-db")
    h.write("clamav-db/eicar.hdb", EICAR_HDB)
    h.mkdir("clamav-tmp")
    clamd = h.write("clamd.conf", "\n".join([
        "Foreground yes", "TCPSocket 3310", "TCPAddr 0.0.0.0", f"DatabaseDirectory {db}",
        f"TemporaryDirectory {h.hdir / 'clamav-tmp'}",
        f"LogFile {h.logs / 'app-clamd-internal.log'}", "User root", ""]))
    tftp = h.mkdir("tftp")
    h.write("tftp/switch-core.cfg", "hostname core-sw\nsnmp-server community public RO\n")
    h.mkdir("www")
    h.write("www/index.html", "<html><head><title>Inventory App - Admin</title></head></html>\n")
    h.mkdir("nginx/tmp")
    certs.install_tls(h.cache, h.mkdir("tls", 0o700), h.fqdn, h.node.ip)
    nginx = h.render("nginx-app.conf", "nginx/nginx.conf")
    return [
        _redis(h),
        h.daemon("memcached", ["memcached", "-u", "nobody", "-l", "0.0.0.0", "-p", "11211",
                               "-U", "0", "-m", "16"]),
        _mosquitto(h, anonymous=True),
        h.daemon("clamd", ["clamd", "-c", clamd], shadow=("/var/lib/clamav",),
                 run_dirs=("/run/clamav",)),
        _rsyncd(h, {"projects": "comment = Project files", "db-backup": "comment = Nightly "
                    "database dumps"}),
        _tgtd(h, chap=False),
        h.daemon("tftpd", ["in.tftpd", "--foreground", "--listen", "--address", "0.0.0.0:69",
                           "--secure", "--user", "nobody", tftp]),
        _sshd(h, "KexAlgorithms +diffie-hellman-group1-sha1\nCiphers +3des-cbc\n"),
        h.daemon("nginx", ["nginx", "-c", nginx, "-e", h.logs / "app-nginx-error.log",
                           "-g", "daemon off;"], shadow=("/var/lib/nginx", "/var/log/nginx")),
    ]


def build_srv(h: HostEnv) -> list[LaunchSpec]:
    """The correctly configured twin (see the module docstring)."""
    sdir = h.hdir / "samba"
    for sub in ("samba/private", "samba/state", "samba/cache", "samba/lock", "samba/run",
                "projects"):
        h.mkdir(sub, 0o755)
    smb = h.render("smb-srv.conf", "samba/smb.conf", sdir=sdir, netbios_name="NAS02",
                   workgroup="OFFICE")
    secrets = h.write("rsyncd.secrets", RSYNC_SECRET, mode=0o600)
    return [
        _redis(h, REDIS_PASSWORD),
        _mosquitto(h, anonymous=False),
        _rsyncd(h, {"projects": f"auth users = backupjob\nsecrets file = {secrets}"}),
        _tgtd(h, chap=True),
        h.daemon("smbd", ["smbd", "--foreground", "--no-process-group", "-s", smb],
                 shadow=("/var/lib/samba", "/var/cache/samba", "/var/log/samba"),
                 run_dirs=("/run/samba",)),
        _sshd(h),
    ]
