"""Build and tear down the hostile office: a /24 of Linux network namespaces full of bad hosts.

One bridge in its own namespace, one veth from each host's namespace to it, and nothing else:
no link to the machine's interfaces, no forwarding anywhere (the "gateway" .1 has a single
link and forwarding off), so the laptop's default route leads nowhere outside.

========= =================== ============================================================
host      namespace            what runs there
========= =================== ============================================================
.1        swhost-gw            DNS responder (PTR answers, one of them hostile); the default
                               gateway of the laptop, so the scanner knows its own address
.10       swhost-tarpit        tarpit: accepts TCP 22 80 443 445 3389 8080, never speaks
.11       swhost-allopen       nftables redirects every TCP port to one listener that
                               accepts and closes: all 65 535 ports complete the handshake
.12       swhost-snmp          snmpsim with recordings/hostile.snmprec (60 000-byte sysDescr,
                               binary, markup, wrong types)
.13       swhost-snmppart      snmpsim with recordings/partial.snmprec; nftables drops every
                               GETNEXT/GETBULK, so it answers GET and nothing else
.14       swhost-web           web admin on 80 and 443: hostile title and Server header, an
                               expired self-signed certificate with markup in CN and O
.15       swhost-names         NetBIOS node status and mDNS answers with hostile names (its
                               hostile PTR name is served by .1); TCP 139 answers a NetBIOS
                               session request with one byte and hangs up
.20       swhost-normal        a normal host: nginx, an OpenSSH banner, snmpsim (Linux)
.250      swhost-laptop        the scanner's namespace; nothing runs
========= =================== ============================================================

Every process is started by :class:`HostileOffice` inside one of its namespaces, in its own
process group, and recorded in a state file; ``down`` kills those groups (after checking the
process still lives in one of our namespaces), then whatever is left inside our namespaces,
then deletes only ``swhost-`` namespaces and the ``/etc/netns/swhost-laptop`` folder.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from tests.hostile import strings

PREFIX = "swhost-"
LAN = "192.168.78.0/24"
SWITCH_NS = "swhost-sw"
LAPTOP_NS = "swhost-laptop"
LAPTOP_IP = "192.168.78.250"
GATEWAY_IP = "192.168.78.1"
HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
RECORDINGS = HERE / "recordings"
LINUX_RECORDING = REPO / "tests" / "fixtures" / "snmprec" / "linux.snmprec"
NETNS_ETC = Path("/etc/netns")
UP_TIMEOUT_S = 20.0
CLOSER_PORT = 9  # the one listener every TCP port of .11 is redirected to
TARPIT_PORTS = (22, 80, 443, 445, 3389, 8080)
NBSESSION_PORT = 139  # .15: a truncated NetBIOS session answer


@dataclass(frozen=True)
class HostSpec:
    """One host of the hostile office."""

    key: str  # short name: namespace swhost-<key>, bridge port v-<key>
    ip: str
    mac: str
    role: str
    tcp: tuple[int, ...] = ()  # ports that must accept a connection before `up` returns
    snmp: bool = False  # must answer an SNMP GET before `up` returns

    @property
    def namespace(self) -> str:
        """The host's network namespace."""
        return PREFIX + self.key


HOSTS = (
    HostSpec("gw", GATEWAY_IP, "00:16:3e:78:00:01", "gateway and DNS (hostile PTR for .15)"),
    HostSpec("tarpit", "192.168.78.10", "00:16:3e:78:00:10", "tarpit", TARPIT_PORTS),
    HostSpec("allopen", "192.168.78.11", "00:16:3e:78:00:11", "SYN-ACK on every port",
             (CLOSER_PORT, 1, 31337, 65535)),
    HostSpec("snmp", "192.168.78.12", "00:16:3e:78:00:12", "hostile SNMP agent", snmp=True),
    HostSpec("snmppart", "192.168.78.13", "00:16:3e:78:00:13", "SNMP agent answering GET only",
             snmp=True),
    HostSpec("web", "192.168.78.14", "00:16:3e:78:00:14", "hostile web admin", (80, 443)),
    HostSpec("names", "192.168.78.15", "00:16:3e:78:00:15", "hostile NetBIOS/mDNS/PTR names",
             (NBSESSION_PORT,)),
    HostSpec("normal", "192.168.78.20", "f8:bc:12:78:00:20", "normal server", (22, 80),
             snmp=True),
)
LAPTOP = HostSpec("laptop", LAPTOP_IP, "00:16:3e:78:00:fa", "scanner")
BY_KEY = {host.key: host for host in HOSTS}
NAMESPACES = (SWITCH_NS, LAPTOP_NS, *(host.namespace for host in HOSTS))

# .11: every TCP port to the one listener. .13: drop GETNEXT (0xa1) and GETBULK (0xa5). With
# community "public" the PDU tag is byte 13 of the UDP payload when the message length fits
# one byte, 14 or 15 when it takes two or three; the rules look at all three places (bit
# offsets from the UDP header: (8 + byte) * 8). A GET's tag (0xa0) never matches.
ALLOPEN_NFT = f"""table ip hostile {{
    chain prerouting {{
        type nat hook prerouting priority dstnat; policy accept;
        tcp dport != {CLOSER_PORT} redirect to :{CLOSER_PORT}
    }}
}}
"""
GET_ONLY_NFT = """table ip hostile {
    chain input {
        type filter hook input priority filter; policy accept;
""" + "".join(f"        udp dport 161 @th,{(8 + byte) * 8},8 {tag} drop\n"
              for byte in (13, 14, 15) for tag in ("0xa1", "0xa5")) + """    }
}
"""
NORMAL_NGINX = """worker_processes 1;
user root;
daemon off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {work}/nginx-tmp/body;
    proxy_temp_path {work}/nginx-tmp/proxy;
    fastcgi_temp_path {work}/nginx-tmp/fastcgi;
    uwsgi_temp_path {work}/nginx-tmp/uwsgi;
    scgi_temp_path {work}/nginx-tmp/scgi;
    server {{
        listen 80 default_server;
        root {work}/www;
        index index.html;
    }}
}}
"""
SSH_BANNER = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3"


class HostileNetError(RuntimeError):
    """The hostile office could not be built (what failed is in the message)."""


def state_dir() -> Path:
    """Where the state file lives: /run/sitewalk-hostile, or /tmp when /run is read-only."""
    for base in (Path("/run"), Path(tempfile.gettempdir())):
        if os.access(base, os.W_OK):
            return base / "sitewalk-hostile"
    raise HostileNetError("neither /run nor the temp dir is writable")


def run(argv: list[str], timeout: float = 20) -> str:
    """Run a set-up command; its stdout, or :class:`HostileNetError` with its stderr."""
    done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise HostileNetError(f"{' '.join(argv)}: {done.stderr.strip()[:500]}")
    return done.stdout


def in_ns(namespace: str, *argv: str) -> list[str]:
    """``argv`` run inside one of our namespaces (and only ours)."""
    if namespace not in NAMESPACES:
        raise ValueError(f"{namespace} is not a hostile-office namespace")
    return ["ip", "netns", "exec", namespace, *argv]


def existing_namespaces() -> list[str]:
    """Our namespaces that exist now (any ``swhost-`` one, also from an older layout)."""
    listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True,
                            timeout=10, check=False).stdout
    names = [line.split()[0] for line in listed.splitlines() if line.strip()]
    return [name for name in names if name.startswith(PREFIX)]


def _netns_inode(namespace: str) -> int | None:
    try:
        return (Path("/run/netns") / namespace).stat().st_ino
    except OSError:
        return None


def _process_netns_inode(pid: int) -> int | None:
    try:
        link = os.readlink(f"/proc/{pid}/ns/net")  # "net:[4026532567]"
    except OSError:
        return None
    return int(link.split("[", 1)[1].rstrip("]")) if "[" in link else None


def python_module(module: str, *args: str) -> list[str]:
    """argv running one of our modules with this Python, from the repository root."""
    return [sys.executable, "-m", module, *args]


def snmpsim_binary() -> str:
    """snmpsim-command-responder next to this Python, else in the project's venv."""
    for candidate in (Path(sys.executable).parent / "snmpsim-command-responder",
                      REPO / ".venv" / "bin" / "snmpsim-command-responder"):
        if candidate.exists():
            return str(candidate)
    raise HostileNetError("snmpsim-command-responder not found: run `make setup`")


@dataclass
class State:
    """What `up` created, saved so that another process can take it down."""

    workdir: str = ""
    pids: list[int] = field(default_factory=list)
    created_netns_etc: bool = False

    @classmethod
    def load(cls, path: Path) -> State:
        """The saved state, or an empty one."""
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            return cls()
        return cls(workdir=str(data.get("workdir", "")), pids=list(data.get("pids", [])),
                   created_netns_etc=bool(data.get("created_netns_etc", False)))

    def save(self, path: Path) -> None:
        """Write the state atomically."""
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(vars(self), indent=1))
        temporary.replace(path)


class HostileOffice:
    """``up`` builds the office and starts its hosts; ``down`` removes every trace of it."""

    def __init__(self, state_path: Path | None = None) -> None:
        self.state_path = state_path or state_dir() / "state.json"
        self.state = State.load(self.state_path)

    # ----------------------------------------------------------------------------- up
    def up(self) -> float:
        """Build the office; seconds it took. Anything a crashed run left is removed first."""
        started = time.monotonic()
        self.down()
        self.state = State(workdir=tempfile.mkdtemp(prefix="sitewalk-hostile-"))
        self.state.created_netns_etc = not NETNS_ETC.exists()
        self.state.save(self.state_path)
        try:
            self._network()
            self._hosts()
            self._wait_ready(started + UP_TIMEOUT_S)
        except BaseException:
            self.down()
            raise
        return time.monotonic() - started

    @property
    def workdir(self) -> Path:
        """The temporary folder of this run (configs, recordings, certificate, logs)."""
        return Path(self.state.workdir)

    def _network(self) -> None:
        for namespace in NAMESPACES:
            run(["ip", "netns", "add", namespace])
        run(["ip", "-n", SWITCH_NS, "link", "add", "br0", "type", "bridge", "stp_state", "0",
             "mcast_snooping", "0"])
        for host in (*HOSTS, LAPTOP):
            namespace = host.namespace
            port = f"v-{host.key}"
            run(["ip", "link", "add", port, "netns", SWITCH_NS, "type", "veth", "peer", "name",
                 "eth0", "netns", namespace])
            run(["ip", "-n", SWITCH_NS, "link", "set", port, "master", "br0", "up"])
            run(["ip", "-n", namespace, "link", "set", "eth0", "address", host.mac])
            run(["ip", "-n", namespace, "addr", "add", f"{host.ip}/24", "dev", "eth0"])
            for link in ("lo", "eth0"):
                run(["ip", "-n", namespace, "link", "set", link, "up"])
        for namespace in NAMESPACES:
            # No IPv6: no router solicitations or DAD chatter, only the traffic we mean.
            run(in_ns(namespace, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
                      "net.ipv6.conf.default.disable_ipv6=1"))
        run(["ip", "-n", SWITCH_NS, "link", "set", "br0", "up"])
        # The laptop's gateway is .1, which has one link and forwards nothing.
        run(["ip", "-n", LAPTOP_NS, "route", "add", "default", "via", GATEWAY_IP])
        etc = NETNS_ETC / LAPTOP_NS
        etc.mkdir(parents=True, exist_ok=True)
        (etc / "resolv.conf").write_text(f"nameserver {GATEWAY_IP}\noptions timeout:1 attempts:2\n")
        (etc / "hosts").write_text("127.0.0.1 localhost\n")
        for key, rules in (("allopen", ALLOPEN_NFT), ("snmppart", GET_ONLY_NFT)):
            path = self.workdir / f"{key}.nft"
            path.write_text(rules)
            run(in_ns(BY_KEY[key].namespace, "nft", "-f", str(path)))

    def _start(self, host: str, name: str, argv: list[str]) -> None:
        log = (self.workdir / f"{host}-{name}.log").open("wb")
        with log:
            process = subprocess.Popen(
                in_ns(BY_KEY[host].namespace, *argv), stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True, cwd=REPO,
                env={**os.environ, "SNMPSIM_ALLOW_ROOT": "true", "PYTHONPATH": str(REPO)})
        self.state.pids.append(process.pid)
        self.state.save(self.state_path)

    def _snmpsim(self, host: str, recording: Path, pad_sys_descr: bool = False) -> None:
        data = self.workdir / f"snmp-{host}"
        data.mkdir()
        text = recording.read_text(encoding="latin-1")
        if pad_sys_descr:
            lines = text.splitlines()
            for number, line in enumerate(lines):
                if line.startswith("1.3.6.1.2.1.1.1.0|4|"):
                    value = line.split("|", 2)[2]
                    if value != strings.SYSDESCR_UNIT:
                        raise HostileNetError(f"{recording.name}: sysDescr is not SYSDESCR_UNIT")
                    value = (value + " ") * (strings.SYSDESCR_BYTES // (len(value) + 1) + 1)
                    lines[number] = "1.3.6.1.2.1.1.1.0|4|" + value[:strings.SYSDESCR_BYTES]
            text = "\n".join(lines) + "\n"
        (data / "public.snmprec").write_text(text, encoding="latin-1")
        self._start(host, "snmpsim", [
            snmpsim_binary(), f"--data-dir={data}", f"--cache-dir={data / 'cache'}",
            f"--agent-udpv4-endpoint={BY_KEY[host].ip}:161"])

    def _certificate(self) -> None:
        """A self-signed certificate with markup in CN and O, already expired."""
        key, fresh = self.workdir / "web-key.pem", self.workdir / "web-fresh.pem"
        subject = "/CN={}/O={}".format(*(value.replace("/", "\\/") for value in
                                         (strings.ESC + strings.CERT_CN,
                                          strings.CERT_O + strings.BEL)))
        run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
             "-out", str(fresh), "-days", "1", "-utf8", "-subj", subject], timeout=60)
        # Re-signed with -days -1: valid until yesterday, so the report's expired-certificate
        # finding quotes the subject.
        run(["openssl", "x509", "-in", str(fresh), "-key", str(key), "-days", "-1", "-out",
             str(self.workdir / "web-cert.pem")], timeout=60)

    def _hosts(self) -> None:
        work = self.workdir
        self._start("gw", "dns", python_module("tests.hostile.names", "dns"))
        self._start("tarpit", "tarpit", python_module("tests.hostile.listeners", "tarpit",
                                                      *map(str, TARPIT_PORTS)))
        self._start("allopen", "closer", python_module("tests.hostile.listeners", "closer",
                                                       str(CLOSER_PORT)))
        self._snmpsim("snmp", RECORDINGS / "hostile.snmprec", pad_sys_descr=True)
        self._snmpsim("snmppart", RECORDINGS / "partial.snmprec")
        self._certificate()
        self._start("web", "web", python_module("tests.hostile.listeners", "web", str(work)))
        self._start("names", "nbns", python_module("tests.hostile.names", "nbns"))
        self._start("names", "mdns", python_module("tests.hostile.names", "mdns",
                                                   BY_KEY["names"].ip))
        self._start("names", "nbsession", python_module("tests.hostile.listeners", "nbsession",
                                                        str(NBSESSION_PORT)))
        normal = work / "normal"
        for folder in ("www", "nginx-tmp"):
            (normal / folder).mkdir(parents=True)
        (normal / "www" / "index.html").write_text(
            "<!DOCTYPE html><html><head><title>Files</title></head><body>Files</body></html>\n")
        (normal / "nginx.conf").write_text(NORMAL_NGINX.format(work=normal))
        self._start("normal", "nginx", ["nginx", "-c", str(normal / "nginx.conf"), "-e",
                                        str(normal / "nginx-error.log")])
        self._start("normal", "ssh", ["socat", "TCP-LISTEN:22,fork,reuseaddr,max-children=16",
                                      f"SYSTEM:echo {SSH_BANNER}; sleep 2"])
        self._snmpsim("normal", LINUX_RECORDING)

    def _wait_ready(self, deadline: float) -> None:
        """Until every host answers from the laptop (bounded by ``deadline``)."""
        probe = in_ns(LAPTOP_NS, *python_module("tests.hostile.probe"))
        missing = "the probe did not run"
        while time.monotonic() < deadline:
            for pid in self.state.pids:
                if not Path(f"/proc/{pid}").exists():
                    raise HostileNetError(f"a listener exited at start: {self._dead_logs()}")
            done = subprocess.run(probe, capture_output=True, text=True, timeout=30, cwd=REPO,
                                  env={**os.environ, "PYTHONPATH": str(REPO)}, check=False)
            missing = done.stdout.strip() or done.stderr.strip()[-500:]
            if done.returncode == 0:
                return
            time.sleep(0.3)
        raise HostileNetError(f"not ready within {UP_TIMEOUT_S:g} s: {missing}")

    def _dead_logs(self) -> str:
        logs = sorted(self.workdir.glob("*.log"))
        return "; ".join(f"{log.name}: {log.read_text(errors='replace')[-300:]}"
                         for log in logs if log.stat().st_size)

    # --------------------------------------------------------------------------- down
    def down(self) -> None:
        """Stop our processes, delete our namespaces, /etc/netns folder and temp folder."""
        ours = {inode for inode in map(_netns_inode, existing_namespaces()) if inode}
        for pid in self.state.pids:
            if _process_netns_inode(pid) in ours:  # still ours, not a reused PID
                try:
                    os.killpg(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        for namespace in existing_namespaces():
            pids = subprocess.run(["ip", "netns", "pids", namespace], capture_output=True,
                                  text=True, timeout=10, check=False).stdout.split()
            for pid in pids:  # what is left inside our own namespace is ours
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except ProcessLookupError:
                    pass
        for namespace in existing_namespaces():
            self._delete_namespace(namespace)
        shutil.rmtree(NETNS_ETC / LAPTOP_NS, ignore_errors=True)
        if self.state.created_netns_etc:
            try:
                NETNS_ETC.rmdir()  # only if empty: the main lab may have its own folders there
            except OSError:
                pass
        workdir = Path(self.state.workdir) if self.state.workdir else None
        if (workdir and workdir.parent == Path(tempfile.gettempdir())
                and workdir.name.startswith("sitewalk-hostile-")):
            shutil.rmtree(workdir, ignore_errors=True)
        self.state = State()
        self.state_path.unlink(missing_ok=True)
        try:
            self.state_path.parent.rmdir()  # our own state folder, once it is empty
        except OSError:
            pass

    @staticmethod
    def _delete_namespace(namespace: str) -> None:
        assert namespace.startswith(PREFIX)
        for _attempt in range(50):  # a killed process may hold the namespace for a moment
            done = subprocess.run(["ip", "netns", "del", namespace], capture_output=True,
                                  text=True, timeout=10, check=False)
            if done.returncode == 0 or namespace not in existing_namespaces():
                return
            time.sleep(0.1)
        raise HostileNetError(f"could not delete {namespace}: {done.stderr.strip()}")

    # ------------------------------------------------------------------------- status
    def status(self) -> dict[str, object]:
        """Which namespaces exist and which recorded processes are alive."""
        namespaces = existing_namespaces()
        alive = [pid for pid in self.state.pids if Path(f"/proc/{pid}").exists()]
        return {"up": set(NAMESPACES) <= set(namespaces) and len(alive) == len(self.state.pids)
                and bool(self.state.pids),
                "namespaces": namespaces, "processes": len(self.state.pids),
                "alive": len(alive), "workdir": self.state.workdir}

    def __enter__(self) -> HostileOffice:
        self.up()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.down()
