"""Benchmark: sitewalk's standard scan against nmap on a big virtual LAN (25, 100, 250 hosts).

Run by hand, as root, under the shared lock (never in CI)::

    flock /tmp/sitewalk-netns.lock .venv/bin/python -m bench.scale 25 100 250

For each size it brings up N live hosts, cheaply: two namespaces of our own, ``swscale-scan``
(the consultant's laptop, 192.168.80.1/22) and ``swscale-hub``, joined by one veth pair. In the
hub, every host is a macvlan interface on the hub's end of the pair, with its own address and
a MAC from a real vendor's OUI (Dell, HP, Brother, Yealink, Synology, Cisco …), so ARP
discovery sees N devices. Real listeners run once in the hub on every port some host opens
(python's http.server, socat with banners, an OpenSSL TLS listener); nftables gives each host
its own port set (``ip daddr . tcp dport`` in a set; anything else is answered with a reset,
as a closed port is) and makes some hosts silent to ping. The hub's ICMP rate limit is lifted
so each address answers UDP like a host of its own would.

The ground truth (each host's role, vendor and open TCP ports) is generated from a fixed seed
and kept; the bench then runs, one after the other, ``sitewalk scan`` (standard profile, the
whole /22) and ``nmap -sV -O --top-ports 100`` on the live addresses, and prints per size:
wall time, the peak memory of each process tree (sampled from /proc), the machine load
(``/proc/loadavg``, other helpers share the machine), and port recall — of every open port,
and of the ports the profile promises to look at on that host. nmap is stopped at three times
sitewalk's time (and 5 s; at most 900 s): if it has not finished by then, the ratio
target (at most a third) is met whatever its final time would have been.

Everything is brought down at the end (and before starting, whatever a crashed run left):
the listeners by PID and process group, then the two namespaces.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

SCAN_NS = "swscale-scan"
HUB_NS = "swscale-hub"
SCAN_LINK = "sws-s0"
HUB_LINK = "sws-h0"
SCANNER_IP = "192.168.80.1"
PREFIX = 22
SITEWALK = str(Path(sys.executable).with_name("sitewalk"))

# role -> (share of the office, OUIs to draw MACs from, port sets to draw from, silent to ping)
ROLES: dict[str, tuple[float, tuple[str, ...], tuple[tuple[int, ...], ...], float]] = {
    "workstation": (0.50, ("00:14:22", "f4:8e:38", "d4:be:d9", "e8:6a:64"),
                    ((135, 139, 445), (135, 139, 445, 3389), (135, 139, 445, 5357)), 0.6),
    "printer": (0.10, ("3c:d9:2b", "00:80:77", "00:17:c8"),
                ((80, 443, 515, 631, 9100), (80, 631, 9100)), 0.0),
    "phone": (0.15, ("80:5e:c0", "00:04:f2", "00:15:65"), ((5060,), (80, 5060), (80, 443, 5060)),
              0.3),
    "server": (0.10, ("00:1e:c9", "ac:1f:6b"),
               ((22, 80, 443, 8080, 10050), (135, 139, 445, 3389, 1433, 49670),
                (22, 3306, 8443, 9090), (135, 139, 445, 88, 389, 53, 636, 3268)), 0.2),
    "nas": (0.04, ("00:11:32",), ((22, 80, 139, 443, 445, 873, 5000, 5001, 6690),), 0.0),
    "network": (0.05, ("00:1b:54",), ((22, 80, 443), (23, 80), (22, 443, 8443)), 0.0),
    "iot": (0.06, ("b8:27:eb",), ((80, 1883), (554, 8000), (34567,), (22, 8123)), 0.5),
}
WEB = {80, 8080, 8000, 5000, 9090, 8123}
TLS = {443, 5001, 8443, 636}
BANNERS = {22: "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3", 21: "220 FTP server ready",
           23: "\xff\xfb\x01login: ", 5060: "", 1883: "", 9100: ""}
PROMISED_ALL = "every TCP port"
WEB_SERVER = ("import functools, http.server, sys\n"
              "http.server.ThreadingHTTPServer.request_queue_size = 1024\n"
              "handler = functools.partial(http.server.SimpleHTTPRequestHandler,"
              " directory=sys.argv[2])\n"
              "http.server.ThreadingHTTPServer(('', int(sys.argv[1])), handler).serve_forever()")


@dataclass
class TruthHost:
    """One host of the big LAN as built: what a perfect scan would report."""

    ip: str
    mac: str
    role: str
    ports: tuple[int, ...]
    silent_to_ping: bool


@dataclass
class Measure:
    """What one tool did at one size."""

    tool: str
    seconds: float
    peak_mb: float
    load: str
    finished: bool
    found: dict[str, set[int]] = field(default_factory=dict)
    promised: dict[str, set[int]] = field(default_factory=dict)  # ip -> ports it looked at
    note: str = ""


def _run(*argv: str, check: bool = True) -> str:
    done = subprocess.run(list(argv), capture_output=True, text=True, timeout=60, check=False)
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)}: {done.stderr.strip()}")
    return done.stdout


def load() -> str:
    """The machine's 1-minute load (2 cores), for the figures' margins."""
    return Path("/proc/loadavg").read_text().split()[0]


def office(size: int, seed: int = 80) -> list[TruthHost]:
    """The ground truth of a ``size``-host office, the same for the same seed."""
    chance = random.Random(seed * 1000 + size)
    roles = [role for role, (share, *_rest) in ROLES.items()
             for _ in range(max(1, round(share * size)))]
    chance.shuffle(roles)
    roles = (roles * 2)[:size]
    hosts = []
    for index, role in enumerate(roles):
        _share, ouis, sets, silent = ROLES[role]
        number = 10 + index  # 192.168.80.10 … 192.168.81.4 for 250
        ip = f"192.168.{80 + number // 256}.{number % 256}"
        tail = ":".join(f"{(index >> shift) & 0xff:02x}" for shift in (16, 8, 0))
        hosts.append(TruthHost(ip=ip, mac=f"{chance.choice(ouis)}:{tail}", role=role,
                               ports=chance.choice(sets),
                               silent_to_ping=chance.random() < silent))
    return hosts


class ScaleLan:
    """The big LAN: up on entry, down (leaving nothing) on exit."""

    def __init__(self, hosts: list[TruthHost], workdir: Path) -> None:
        self.hosts = hosts
        self.workdir = workdir
        self.listeners: list[subprocess.Popen[bytes]] = []

    def __enter__(self) -> ScaleLan:
        down()
        _run("ip", "netns", "add", SCAN_NS)
        _run("ip", "netns", "add", HUB_NS)
        for ns in (SCAN_NS, HUB_NS):
            _run("ip", "-n", ns, "link", "set", "lo", "up")
        hub = ["ip", "netns", "exec", HUB_NS]
        for key in ("all", "default"):
            _run(*hub, "sysctl", "-qw", f"net.ipv4.conf.{key}.arp_ignore=1",
                 f"net.ipv4.conf.{key}.arp_announce=2", f"net.ipv4.conf.{key}.rp_filter=0")
        _run(*hub, "sysctl", "-qw", "net.ipv4.icmp_ratelimit=0",
             "net.ipv4.icmp_msgs_per_sec=100000")
        _run("ip", "link", "add", SCAN_LINK, "netns", SCAN_NS, "type", "veth", "peer", "name",
             HUB_LINK, "netns", HUB_NS)
        _run("ip", "-n", SCAN_NS, "addr", "add", f"{SCANNER_IP}/{PREFIX}", "dev", SCAN_LINK)
        _run("ip", "-n", SCAN_NS, "link", "set", SCAN_LINK, "up")
        # The office router is the first network device: the laptop's default route (mDNS
        # and SSDP need one to send their multicast queries).
        router = next((h.ip for h in self.hosts if h.role == "network"), self.hosts[0].ip)
        _run("ip", "-n", SCAN_NS, "route", "add", "default", "via", router)
        _run("ip", "-n", HUB_NS, "link", "set", HUB_LINK, "up")
        batch = []
        for index, host in enumerate(self.hosts):
            name = f"swm{index}"
            batch += [f"link add {name} link {HUB_LINK} address {host.mac} type macvlan "
                      "mode bridge",
                      f"addr add {host.ip}/32 dev {name}", f"link set {name} up"]
        batch.append(f"route add 192.168.80.0/{PREFIX} dev {HUB_LINK}")
        script = self.workdir / "links.batch"
        script.write_text("\n".join(batch) + "\n")
        _run("ip", "-n", HUB_NS, "-batch", str(script))
        self._firewall()
        self._listen()
        return self

    def _firewall(self) -> None:
        opened = ", ".join(f"{h.ip} . {p}" for h in self.hosts for p in h.ports)
        silent = ", ".join(h.ip for h in self.hosts if h.silent_to_ping)
        rules = f"""table inet swscale {{
  set open {{ type ipv4_addr . inet_service; {f"elements = {{ {opened} }}" if opened else ""} }}
  set silent {{ type ipv4_addr; {f"elements = {{ {silent} }}" if silent else ""} }}
  chain input {{
    type filter hook input priority 0; policy accept;
    ip daddr @silent icmp type echo-request drop
    meta l4proto tcp ct state established,related accept
    meta l4proto tcp ip daddr . tcp dport @open accept
    meta l4proto tcp reject with tcp reset
  }}
}}
"""
        path = self.workdir / "scale.nft"
        path.write_text(rules)
        _run("ip", "netns", "exec", HUB_NS, "nft", "-f", str(path))

    def _listen(self) -> None:
        ports = sorted({p for h in self.hosts for p in h.ports})
        www = self.workdir / "www"
        www.mkdir(exist_ok=True)
        (www / "index.html").write_text("<title>Device admin</title>\n")
        key, cert = self.workdir / "key.pem", self.workdir / "cert.pem"
        _run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
             "-subj", "/CN=device.scale.test", "-keyout", str(key), "-out", str(cert))
        for port in ports:
            if port in WEB:
                # python's web server, with a listen queue a device of its own would have (its
                # default of 5 drops connections when many "hosts" are asked at once).
                argv = [sys.executable, "-c", WEB_SERVER, str(port), str(www)]
            elif port in TLS:
                argv = ["socat", f"OPENSSL-LISTEN:{port},fork,reuseaddr,backlog=1024,cert={cert},"
                        f"key={key},verify=0",
                        "SYSTEM:printf 'HTTP/1.0 200 OK\\r\\nServer: scale\\r\\n\\r\\nok'"]
            elif port in BANNERS and BANNERS[port]:
                argv = ["socat", f"TCP-LISTEN:{port},fork,reuseaddr,backlog=1024",
                        f"SYSTEM:printf '%s\\r\\n' '{BANNERS[port]}'; sleep 2"]
            else:  # a service that waits for the client to speak first
                argv = ["socat", f"TCP-LISTEN:{port},fork,reuseaddr,backlog=1024", "SYSTEM:sleep 3"]
            self.listeners.append(subprocess.Popen(
                ["ip", "netns", "exec", HUB_NS, *argv], stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            shown = _run("ip", "netns", "exec", HUB_NS, "ss", "-ltnH")
            if all(f":{p} " in shown for p in ports):
                return
            time.sleep(0.2)
        raise RuntimeError("the hub's listeners did not start")

    def __exit__(self, *exc: object) -> None:
        for process in self.listeners:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(timeout=10)
        self.listeners.clear()
        down()


def down() -> None:
    """Delete our two namespaces and whatever runs in them (only ``swscale-`` ones)."""
    existing = _run("ip", "netns", "list", check=False).split()
    for ns in (SCAN_NS, HUB_NS):
        if ns not in existing:
            continue
        for pid in _run("ip", "netns", "pids", ns, check=False).split():
            try:
                os.kill(int(pid), signal.SIGKILL)
            except ProcessLookupError:
                pass
        _run("ip", "netns", "del", ns, check=False)


PEAK_PARTS: list = [0.0, ""]  # the largest tree seen and what it was made of


def _tree_rss_mb(root: int) -> float:
    """The resident memory of ``root`` and every process below it, in MB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            status = (entry / "status").read_text()
        except OSError:
            continue
        pid = int(entry.name)
        children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(pid)
        rss[pid] = next((int(line.split()[1]) for line in status.splitlines()
                         if line.startswith("VmRSS:")), 0)
    total, todo = 0, [root]
    names: dict[str, int] = {}
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        try:
            name = (Path(f"/proc/{pid}/comm")).read_text().strip()
        except OSError:
            name = "?"
        names[name] = names.get(name, 0) + rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    if total / 1024 > PEAK_PARTS[0]:
        PEAK_PARTS[:] = [total / 1024, ", ".join(
            f"{name} {kb / 1024:.0f} MB" for name, kb in sorted(names.items(),
                                                              key=lambda i: -i[1])[:5])]
    return total / 1024


def measured(argv: list[str], limit: float) -> tuple[float, float, str, bool, str]:
    """(seconds, peak MB of the process tree, load at the end, finished, stdout)."""
    started = time.monotonic()
    process = subprocess.Popen(["ip", "netns", "exec", SCAN_NS, *argv],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    peak = [0.0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.25):
            peak[0] = max(peak[0], _tree_rss_mb(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    finished = True
    try:
        out, err = process.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        finished = False
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
    stop.set()
    sampler.join()
    return time.monotonic() - started, peak[0], load(), finished, out + err[-2000:]


def _sitewalk(hosts: list[TruthHost], folder: Path) -> Measure:
    seconds, peak, at, finished, said = measured(
        [SITEWALK, "scan", f"192.168.80.0/{PREFIX}", "--client", "Scale bench", "--out",
         str(folder), "--authorised-by", "Bench owner, owner", "--authorised-on",
         "2026-01-05"], 1800)
    result = Measure("sitewalk scan (standard)", seconds, peak, at, finished)
    inventory = json.loads((folder / "inventory.json").read_text())
    result.found = {h["ip"]: {s["port"] for s in h["services"] if s["protocol"] == "tcp"}
                    for h in inventory["hosts"]}
    plan_file = folder / "evidence" / "sweep-plan.json"
    plan = json.loads(plan_file.read_text()).get("hosts", {}) if plan_file.exists() else {}
    from scanner.sweep.plan import key_ports
    key = set(key_ports())
    all_ports = set(range(1, 65536))
    result.promised = {h.ip: all_ports if plan.get(h.ip, PROMISED_ALL) == PROMISED_ALL else key
                       for h in hosts}
    if inventory.get("partial"):
        result.note = "partial: " + "; ".join(e["message"] for e in inventory["errors"]
                                              if e["lost"])[:300]
    phases = [line for line in said.splitlines() if "note:" in line][:3]
    result.note += " ".join(phases)[:300]
    return result


def _nmap(hosts: list[TruthHost], limit: float) -> Measure:
    from scanner.nmap_scan import hosts_from_xml
    from scanner.sweep.plan import top_tcp_ports

    seconds, peak, at, finished, said = measured(
        ["nmap", "-oX", "-", "-sV", "-O", "--top-ports", "100", "-n",
         *[h.ip for h in hosts]], limit)
    result = Measure("nmap -sV -O --top-ports 100", seconds, peak, at, finished)
    if finished:
        xml_text = said[:said.rfind("</nmaprun>") + len("</nmaprun>")]
        result.found = {h.ip: {s.port for s in h.services if s.protocol == "tcp"}
                        for h in hosts_from_xml(xml_text)}
    top = set(top_tcp_ports(100))
    result.promised = {h.ip: top for h in hosts}
    return result


def recall(hosts: list[TruthHost], run: Measure) -> tuple[str, str]:
    """(open ports found of all, of those the tool promised to look at)."""
    truth = {(h.ip, p) for h in hosts for p in h.ports}
    promised = {(ip, p) for ip, p in truth if p in run.promised.get(ip, set())}
    found = {(ip, p) for ip, ports in run.found.items() for p in ports}
    return (f"{len(truth & found)}/{len(truth)}",
            f"{len(promised & found)}/{len(promised)}" if promised else "-")


def bench(size: int, skip_nmap: bool) -> list[str]:
    """Bring up ``size`` hosts, measure both tools, bring everything down; table rows."""
    hosts = office(size)
    rows = []
    with tempfile.TemporaryDirectory(prefix="swscale-") as work:
        workdir = Path(work)
        built = time.monotonic()
        with ScaleLan(hosts, workdir):
            print(f"# {size} hosts up in {time.monotonic() - built:.1f} s "
                  f"(load {load()}); ground truth: {sum(len(h.ports) for h in hosts)} open "
                  f"TCP ports, {sum(h.silent_to_ping for h in hosts)} hosts silent to ping",
                  flush=True)
            (workdir / "truth.json").write_text(json.dumps([vars(h) for h in hosts]))
            runs = [_sitewalk(hosts, workdir / "scan")]
            print(f"  sitewalk done in {runs[0].seconds:.1f} s (load {runs[0].load}) "
                  f"{runs[0].note}", flush=True)
            print(f"  sitewalk's peak: {PEAK_PARTS[1]}", flush=True)
            breakdown = _breakdown(workdir / "scan")
            if breakdown:
                print("  where sitewalk's time went: " + breakdown, flush=True)
            if not skip_nmap:
                limit = min(900.0, 3 * runs[0].seconds + 5)
                runs.append(_nmap(hosts, limit))
        for run in runs:
            every, promised = recall(hosts, run)
            time_text = (f"{run.seconds:.1f} s" if run.finished
                         else f"> {run.seconds:.0f} s (stopped)")
            rows.append(f"| {size} | {run.tool} | {time_text} | {run.peak_mb:.0f} MB | "
                        f"{every if run.found else '-'} | {promised if run.found else '-'} | "
                        f"{run.load} |")
        if len(runs) == 2:
            ratio = runs[0].seconds / runs[1].seconds
            rows.append(f"| {size} | ratio | {'<' if not runs[1].finished else ''}"
                        f"{ratio:.2f} (target ≤ 0.33) | | | | |")
    return rows


def _breakdown(folder: Path) -> str:
    """Seconds of the scan's phases, from its saved nmap runs (elapsed as nmap reports it)."""
    import re
    totals: dict[str, float] = {}
    for path in (folder / "evidence").glob("nmap-*.xml"):
        found = re.search(r'<finished [^>]*elapsed="([\d.]+)"', path.read_text(errors="replace"))
        if not found:
            continue
        name = path.stem
        kind = ("sweep re-asks" if "retry" in name else "tcp sweep" if "sweep-tcp" in name
                else "udp sweep" if "sweep-udp" in name else "certificates" if "tls" in name
                else "version detection + scripts (summed over hosts)")
        totals[kind] = totals.get(kind, 0.0) + float(found.group(1))
    return ", ".join(f"{kind} {seconds:.1f} s" for kind, seconds in sorted(totals.items()))


def main() -> int:
    """Measure each size given on the command line and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[25, 100, 250])
    parser.add_argument("--no-nmap", action="store_true", help="measure sitewalk only")
    options = parser.parse_args()
    if os.geteuid() != 0:
        print("bench.scale needs root (network namespaces)", file=sys.stderr)
        return 2
    if any(not 1 <= size <= 1000 for size in options.sizes):
        print("sizes are 1 to 1000 hosts", file=sys.stderr)
        return 2
    rows = ["| live hosts | tool | wall time | peak memory (tree) | open TCP ports found | "
            "of those promised | load (1 min) |", "|---|---|---|---|---|---|---|"]
    try:
        for size in options.sizes:
            rows += bench(size, options.no_nmap)
    finally:
        down()
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
