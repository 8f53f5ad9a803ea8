"""A tiny, private network for the scan fault tests: one scanner, one target, one cable.

Two network namespaces of our own, joined by one veth pair and linked to nothing else (no
bridge to the machine's interfaces, no route out)::

    swfault-scan  swf-s0 192.168.79.1/24  ── veth ──  swf-t0 192.168.79.10, .11/24  swfault-target

The target runs real listeners: a fake SSH banner on 22 and a silent service on 8080 (socat),
and python's http.server on 80. The silent one makes version detection take a few seconds,
which leaves time to kill an nmap or pull the cable while it runs. Deleting ``swf-t0`` deletes
the pair, so the scanner's own link disappears, as when a USB adapter is unplugged.

Every process here is started by :class:`FaultNet` and stopped by its PID (its process group);
only the two ``swfault-`` namespaces are created or deleted.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

SCAN_NS = "swfault-scan"
TARGET_NS = "swfault-target"
SCAN_LINK = "swf-s0"
TARGET_LINK = "swf-t0"
SCANNER_IP = "192.168.79.1"
TARGETS = ("192.168.79.10", "192.168.79.11")
PORTS = (22, 80, 8080)


class FaultNetError(RuntimeError):
    """The fault network could not be built."""


def _ip(*args: str) -> None:
    done = subprocess.run(["ip", *args], capture_output=True, text=True, timeout=20, check=False)
    if done.returncode != 0:
        raise FaultNetError(f"ip {' '.join(args)}: {done.stderr.strip()}")


def in_ns(namespace: str, *argv: str) -> list[str]:
    """``argv`` run inside one of our namespaces."""
    assert namespace in (SCAN_NS, TARGET_NS)
    return ["ip", "netns", "exec", namespace, *argv]


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, grandchildren …), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # the process ended while we looked
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found: list[int] = []
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def command_line(pid: int) -> list[str]:
    """A process's argv ([] once it has ended)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def wait_for_nmap(root_pid: int, *words: str, timeout: float = 60) -> int:
    """The PID of an nmap below ``root_pid`` whose argv has every one of ``words``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for pid in descendants(root_pid):
            argv = command_line(pid)
            if argv and Path(argv[0]).name == "nmap" and all(w in argv for w in words):
                return pid
        time.sleep(0.05)
    raise AssertionError(f"no nmap {' '.join(words)} under PID {root_pid} within {timeout} s")


class FaultNet:
    """Build the network and its listeners on entry; stop and delete them on exit."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.listeners: list[subprocess.Popen[bytes]] = []

    def __enter__(self) -> FaultNet:
        self.down()  # what a crashed earlier run left
        _ip("netns", "add", SCAN_NS)
        _ip("netns", "add", TARGET_NS)
        _ip("link", "add", SCAN_LINK, "netns", SCAN_NS, "type", "veth", "peer", "name",
            TARGET_LINK, "netns", TARGET_NS)
        _ip("-n", SCAN_NS, "addr", "add", f"{SCANNER_IP}/24", "dev", SCAN_LINK)
        for address in TARGETS:
            _ip("-n", TARGET_NS, "addr", "add", f"{address}/24", "dev", TARGET_LINK)
        for namespace, link in ((SCAN_NS, SCAN_LINK), (TARGET_NS, TARGET_LINK)):
            _ip("-n", namespace, "link", "set", "lo", "up")
            _ip("-n", namespace, "link", "set", link, "up")
        self._listen("socat", "TCP-LISTEN:22,fork,reuseaddr",
                     "SYSTEM:echo SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3; sleep 2")
        self._listen("socat", "TCP-LISTEN:8080,fork,reuseaddr", "SYSTEM:sleep 20")
        (self.workdir / "www").mkdir(exist_ok=True)
        (self.workdir / "www" / "index.html").write_text("<title>Front desk</title>\n")
        self._listen(sys.executable, "-m", "http.server", "80", "--directory",
                     str(self.workdir / "www"))
        self._wait_listening()
        return self

    def _listen(self, *argv: str) -> None:
        self.listeners.append(subprocess.Popen(
            in_ns(TARGET_NS, *argv), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True))

    def _wait_listening(self, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = subprocess.run(in_ns(TARGET_NS, "ss", "-ltnH"), capture_output=True,
                                   text=True, timeout=10, check=False).stdout
            if all(f":{port} " in shown for port in PORTS):
                return
            time.sleep(0.1)
        raise FaultNetError(f"the target's listeners did not start within {timeout} s")

    def pull_cable(self) -> None:
        """Delete the target's end of the veth pair (the scanner's end goes with it)."""
        _ip("-n", TARGET_NS, "link", "del", TARGET_LINK)

    def down(self) -> None:
        """Stop our listeners (by process group) and delete our two namespaces."""
        for process in self.listeners:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(timeout=10)
        self.listeners.clear()
        existing = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True,
                                  timeout=10, check=False).stdout.split()
        for namespace in (SCAN_NS, TARGET_NS):
            if namespace not in existing:
                continue
            # Only what a crashed run of these tests left in our own namespace.
            pids = subprocess.run(["ip", "netns", "pids", namespace], capture_output=True,
                                  text=True, timeout=10, check=False).stdout.split()
            for pid in pids:
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except ProcessLookupError:
                    pass
            _ip("netns", "del", namespace)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.down()
