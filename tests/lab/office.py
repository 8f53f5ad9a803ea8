"""The virtual office: bring the lab up, tear it down, run commands inside it.

Python API used by the integration tests, ``make demo`` and the benchmarks::

    from tests.lab.office import LAPTOP_NS, Office, load_ground_truth

    office = Office()
    office.up()                       # ~15-20 s; raises LabError on failure
    office.run_in(LAPTOP_NS, ["nmap", "-sn", "192.168.77.0/24"], timeout=60)
    office.down()

Only PIDs and namespaces recorded in the state file are ever touched.
"""

from __future__ import annotations

import fcntl
import ipaddress
import os
import shutil
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import netns, network, procs, segment_lab, services
from .certs import cache_dir
from .hostenv import HostEnv
from .ready import NotReadyError, wait_ready
from .state import MARKER_FILE, STATE_FILE, DaemonRecord, LabState, load_state
from .topology import FW_WAN_IFACE, LAPTOP_NS, Topology, load_ground_truth, load_topology

__all__ = ["LAPTOP_NS", "AlreadyUpError", "LabError", "Office", "load_ground_truth"]

STATE_DIR_CANDIDATES = (Path("/run/sitewalk-lab"), Path("/tmp/sitewalk-lab"))
READY_TIMEOUT = 15.0
REQUIRED_TOOLS = (
    "unshare", "nft", "ss", "sysctl", "tar", "openssl", "ssh-keygen", "getent", "upsc",
    "ldbsearch", "samba-tool", "samba", "smbd", "dnsmasq", "snmpd", "sshd", "nginx", "rsync",
    "bacula-fd", "cupsd", "socat", "inetd", "xrdp", "vsftpd", "telnetd", "avahi-daemon",
    "smbclient", "miniupnpd", "lldpd", "radvd", "llmnrd", "nmbd",
)
LOCK_TIMEOUT = 120.0  # a concurrent up/down on the same state dir gets this long to finish
GENERATED_SUBDIRS = ("hosts",)  # removed on down; logs/ are kept for post-mortems


class LabError(RuntimeError):
    """The lab could not be brought up, torn down or used."""


class AlreadyUpError(LabError):
    """``up`` was called while a lab (or stale lab namespaces) exists."""


def default_state_dir() -> Path:
    """Return ``/run/sitewalk-lab``, or ``/tmp/sitewalk-lab`` when /run is not writable."""
    for candidate in STATE_DIR_CANDIDATES:
        if candidate.exists() or os.access(candidate.parent, os.W_OK):
            return candidate
    return STATE_DIR_CANDIDATES[-1]


@dataclass(frozen=True)
class UpSummary:
    """What ``up`` did, for the one-line summary."""

    hosts: int
    namespaces: int
    daemons: int
    seconds: float
    ready_seconds: float
    state_dir: Path

    def line(self) -> str:
        """Return the one-line summary printed by ``python3 -m tests.lab up``."""
        return (f"office up: {self.hosts} hosts, {self.namespaces} namespaces, "
                f"{self.daemons} daemons in {self.seconds:.1f}s "
                f"(services answered {self.ready_seconds:.1f}s after start); "
                f"state {self.state_dir}")


class Office:
    """The lab network of namespaces and daemons described by ``office.json``.

    ``LAPTOP_NS`` and ``load_ground_truth()`` are also available on the instance, so
    code holding only the pytest ``office`` fixture can use them.
    """

    LAPTOP_NS = LAPTOP_NS
    load_ground_truth = staticmethod(load_ground_truth)

    def __init__(self, state_dir: str | Path | None = None,
                 ready_timeout: float = READY_TIMEOUT) -> None:
        self.state_dir = Path(state_dir) if state_dir else default_state_dir()
        self.ready_timeout = ready_timeout
        self.truth: dict[str, Any] = load_ground_truth()
        self.topology: Topology = load_topology(self.truth)
        self._popens: dict[int, subprocess.Popen[bytes]] = {}

    # -- queries -----------------------------------------------------------------

    def state(self) -> LabState | None:
        """Return the recorded state, or None when the lab is not up."""
        return load_state(self.state_dir)

    def is_up(self) -> bool:
        """Return True if a completed ``up`` is recorded and all its namespaces exist."""
        state = self.state()
        if state is None or state.phase != "up":
            return False
        existing = set(netns.list_namespaces())
        return all(ns in existing for ns in state.namespaces)

    def status(self) -> dict[str, Any]:
        """Return a summary of what is recorded and what is still alive."""
        state = self.state()
        if state is None:
            return {"up": False, "state_dir": str(self.state_dir),
                    "stray_namespaces": netns.lab_namespaces()}
        existing = set(netns.list_namespaces())
        daemons = [
            {"host": d.host, "name": d.name, "pid": d.pid,
             "alive": procs.is_alive(d.pid, d.start_ticks)}
            for d in state.daemons
        ]
        return {
            "up": state.phase == "up" and all(ns in existing for ns in state.namespaces),
            "phase": state.phase,
            "state_dir": str(self.state_dir),
            "namespaces": {ns: ns in existing for ns in state.namespaces},
            "daemons": daemons,
        }

    def run_in(self, ns: str, argv: list[str], timeout: float
               ) -> subprocess.CompletedProcess[str]:
        """Run ``argv`` inside lab namespace ``ns``; never raises on a non-zero exit.

        ``subprocess.TimeoutExpired`` propagates when ``timeout`` is exceeded.
        """
        return subprocess.run(
            netns.in_ns(ns, argv), capture_output=True, text=True, timeout=timeout,
            check=False, stdin=subprocess.DEVNULL,
        )

    @contextmanager
    def wan_port_forward(self, port: int, to_ip: str) -> Iterator[None]:
        """Forward TCP ``port`` of the firewall's WAN address to ``to_ip`` for a while.

        The office has no port forward; this opens one (the mistake a consultant often finds,
        RDP forwarded to a PC) so the WAN view's positive case can be tested. The forward is
        removed on exit, whatever happens inside.
        """
        fw = self.topology.host("fw").ns
        if not 0 < port < 65536 or ipaddress.IPv4Address(to_ip) not in self.topology.lan:
            raise LabError(f"refusing to forward {port} to {to_ip}: not a LAN host port")
        rule = ["nft", "add", "rule", "ip", "nat", "prerouting", "iifname", FW_WAN_IFACE,
                "tcp", "dport", str(port), "dnat", "to", f"{to_ip}:{port}"]
        netns.ns_run(fw, rule, timeout=10)
        try:
            yield
        finally:
            netns.ns_run(fw, ["nft", "flush", "chain", "ip", "nat", "prerouting"], timeout=10,
                         check=False)

    # -- up ----------------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Serialize up/down on this state dir across processes (flock on the directory)."""
        fd = os.open(self.state_dir, os.O_RDONLY | os.O_DIRECTORY)
        try:
            deadline = time.monotonic() + LOCK_TIMEOUT
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise LabError(f"another lab up/down holds {self.state_dir}") from None
                    time.sleep(0.1)
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the lock

    def up(self, force: bool = False) -> UpSummary:
        """Build the office; raise :class:`AlreadyUpError` if it already exists."""
        preflight()
        check_tools()
        self.state_dir.mkdir(parents=True, exist_ok=True)
        with self._locked():
            if force:
                self._down()
            self._refuse_if_up()
            return self._up()

    def _up(self) -> UpSummary:
        started = time.monotonic()
        state = self._fresh_state()
        try:
            network.build(self.topology, state)
            segment_lab.wire(self.topology)  # LLDP switch, STP, the rogue PC's IPv6
            specs = self._prepare_hosts()
            running = self._start(state, specs)
            ready = wait_ready(self.topology, self.truth, running, self.ready_timeout)
        except BaseException as exc:
            problems = self._down()
            suffix = f" (teardown problems: {'; '.join(problems)})" if problems else ""
            if isinstance(exc, (LabError, NotReadyError, netns.LabCommandError, RuntimeError,
                                OSError, ValueError)):
                raise LabError(f"lab did not come up: {exc}{suffix}") from exc
            raise
        state.phase = "up"
        state.save()
        return UpSummary(
            hosts=len(self.topology.hosts), namespaces=len(state.namespaces),
            daemons=len(state.daemons), seconds=time.monotonic() - started,
            ready_seconds=ready, state_dir=self.state_dir,
        )

    def _refuse_if_up(self) -> None:
        state = self.state()
        if state is not None:
            raise AlreadyUpError(
                f"lab already up (state {state.path}, phase {state.phase}); "
                "run `python3 -m tests.lab down` first or use `up --force`")
        stray = netns.lab_namespaces()
        if stray:
            raise AlreadyUpError(
                f"lab namespaces exist but are not recorded in {self.state_dir}: "
                f"{', '.join(stray)} (another --state-dir?)")

    def _fresh_state(self) -> LabState:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.state_dir, 0o755)  # daemons drop privileges and must read their files
        marker = self.state_dir / MARKER_FILE
        if any(self.state_dir.iterdir()) and not marker.exists():
            raise LabError(f"{self.state_dir} is not empty and not a lab state dir")
        marker.touch()
        for sub in (*GENERATED_SUBDIRS, "logs"):
            shutil.rmtree(self.state_dir / sub, ignore_errors=True)
        (self.state_dir / "logs").mkdir(mode=0o755)
        state = LabState(state_dir=str(self.state_dir))
        state.save()
        return state

    def _prepare_hosts(self) -> list[procs.LaunchSpec]:
        cache = cache_dir(self.state_dir)
        truth_by_key = {h["name"]: h for h in self.truth["hosts"]}
        specs: list[procs.LaunchSpec] = []
        for node in (*self.topology.hosts, self.topology.isp):
            env = HostEnv(node=node, topo=self.topology, truth=truth_by_key.get(node.key),
                          state_dir=self.state_dir, cache=cache)
            env.hdir.mkdir(parents=True, exist_ok=True)
            rules = services.firewall_rules(env)
            if rules:
                netns.nft_load(node.ns, rules)
            specs.extend(services.BUILDERS[node.key](env))
            specs.extend(segment_lab.host_specs(env))
        specs.extend(segment_lab.switch_specs(
            segment_lab.switch_env(self.topology, self.state_dir, cache)))
        return specs

    def _start(self, state: LabState, specs: Sequence[procs.LaunchSpec]
               ) -> list[tuple[subprocess.Popen[bytes], DaemonRecord]]:
        running = []
        for spec in specs:
            popen, record = procs.launch(spec)
            self._popens[record.wrapper_pid] = popen
            state.daemons.append(record)
            state.save()
            running.append((popen, record))
        return running

    # -- down --------------------------------------------------------------------

    def down(self) -> list[str]:
        """Tear down whatever the state file records; return problems (empty = clean)."""
        if not (self.state_dir / STATE_FILE).exists():
            return []
        with self._locked():
            return self._down()

    def _down(self) -> list[str]:
        state = self.state()
        if state is None:
            return []
        problems = [f"still running after SIGKILL: {name}"
                    for name in procs.stop(state.daemons)]
        for popen in self._popens.values():
            if popen.poll() is None:
                try:
                    popen.wait(timeout=1)
                except subprocess.TimeoutExpired:
                    problems.append(f"wrapper {popen.pid} did not exit")
        self._popens.clear()
        for ns in reversed(state.namespaces):
            leftovers = netns.namespace_pids(ns) if ns in netns.list_namespaces() else []
            if leftovers:
                problems.append(f"{ns}: processes not started by the lab remain: {leftovers}")
            try:
                netns.delete_namespace(ns)
            except netns.LabCommandError as exc:
                problems.append(str(exc))
        for directory in state.etc_dirs:
            netns.remove_etc_dir(Path(directory))
        if state.created_netns_etc:
            netns.remove_netns_etc_if_empty()
        for sub in GENERATED_SUBDIRS:
            shutil.rmtree(self.state_dir / sub, ignore_errors=True)
        state.remove()
        return problems


def preflight() -> None:
    """Raise :class:`LabError` unless we are root and ``ip netns`` works."""
    if os.geteuid() != 0:
        raise LabError("the lab needs root (network namespaces, bind mounts)")
    if shutil.which("ip") is None:
        raise LabError("`ip` (iproute2) is required")
    proc = netns.run(["ip", "netns", "list"], check=False)
    if proc.returncode != 0:
        raise LabError(f"`ip netns` is unavailable: {proc.stderr.strip()}")


def check_tools() -> None:
    """Raise :class:`LabError` naming any command the lab needs that is not installed."""
    missing = [tool for tool in REQUIRED_TOOLS
               if shutil.which(tool, path=procs.BASE_ENV["PATH"]) is None]
    if missing:
        raise LabError(f"missing commands: {', '.join(missing)} "
                       "(install the packages in tests/lab/apt-packages.txt)")
