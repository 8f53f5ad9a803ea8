"""Start lab daemons in their namespaces and stop them again, by recorded PID only.

Each daemon runs as::

    ip netns exec NS unshare --pid --fork --kill-child --mount --uts \\
        --propagation private --mount-proc -- sh -c WRAPPER lab DAEMON ARGS...

so it gets the host's network namespace plus its own PID namespace, its own
mount namespace (private tmpfs ``/run`` and ``/tmp``; system state dirs such as
``/var/lib/samba`` shadowed by folders of the state dir) and its own UTS name
(the lab host name).

Inside the PID namespace the wrapper ``sh`` stays PID 1 and runs the daemon as
its child: a daemon must not be PID 1 itself, because PID 1 ignores signals it
has no handler for (vsftpd would shrug off SIGTERM) and inherits every orphan
(vsftpd segfaults reaping a child it does not know). When the daemon exits, the
``sh`` exits, the PID namespace dies and the kernel kills whatever is left in it.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .netns import in_ns
from .state import DaemonRecord

PRIVATE_TMPFS = ("/run", "/tmp")
BASE_ENV = {
    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "LANG": "C.UTF-8",
    "HOME": "/root",
}
CHILD_PID_WAIT = 3.0
TERM_GRACE = 5.0
KILL_GRACE = 3.0
POLL = 0.05


@dataclass(frozen=True)
class LaunchSpec:
    """How to start one daemon."""

    host: str
    name: str
    ns: str
    hostname: str
    argv: tuple[str, ...]
    state_dir: Path
    log: Path
    env: dict[str, str] = field(default_factory=dict)
    shadow: tuple[tuple[Path, str], ...] = ()  # (state-dir folder, system dir it replaces)
    run_dirs: tuple[str, ...] = ()  # directories to create in the private /run


def wrapper_script(spec: LaunchSpec) -> str:
    """Return the ``sh`` script that prepares the mount/UTS namespaces, then execs the daemon."""
    q = shlex.quote
    state = spec.state_dir
    lines = ["set -e", f"cd {q(str(state))}"]
    for src, dst in spec.shadow:
        lines.append(f"mount --bind {q(str(src))} {q(dst)}")
    for mnt in PRIVATE_TMPFS:
        lines.append(f"mount -t tmpfs -o mode=1777,size=64m swlab-tmp {mnt}"
                     if mnt == "/tmp" else
                     f"mount -t tmpfs -o mode=0755,size=64m swlab-run {mnt}")
    if any(state.is_relative_to(m) for m in PRIVATE_TMPFS):
        # The tmpfs just hid the state dir; the cwd still points at it, so bind it back.
        lines.append(f"mkdir -p {q(str(state))}")
        lines.append(f"mount --no-canonicalize --bind . {q(str(state))}")
    lines.append("mkdir -p /run/lock")
    for d in spec.run_dirs:
        lines.append(f"mkdir -p {q(d)}")
    lines.append(f"hostname {q(spec.hostname)}")
    lines.append("cd /")
    lines.append('"$@" &')
    lines.append('wait "$!"')
    return "\n".join(lines)


def launch_argv(spec: LaunchSpec) -> list[str]:
    """Return the full argv (``ip netns exec … unshare … sh -c …``) for ``spec``."""
    return in_ns(spec.ns, [
        "unshare", "--pid", "--fork", "--kill-child", "--mount", "--uts",
        "--propagation", "private", "--mount-proc", "--",
        "sh", "-c", wrapper_script(spec), f"swlab-{spec.host}-{spec.name}", *spec.argv,
    ])


def start_ticks(pid: int) -> int | None:
    """Return the start time of ``pid`` in clock ticks, or None if gone or a zombie."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    fields = raw.rsplit(")", 1)[1].split()
    if fields[0] in ("Z", "X"):
        return None
    return int(fields[19])


def is_alive(pid: int, ticks: int) -> bool:
    """Return True if ``pid`` is still the very process recorded with ``ticks``."""
    _reap(pid)
    return pid > 1 and start_ticks(pid) == ticks


def _reap(pid: int) -> None:
    """Collect ``pid`` if it is an exited child of this process (no-op otherwise)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="ascii")
    except OSError:
        return []
    return [int(tok) for tok in text.split()]


def _same_file(pid: int, binary: os.stat_result) -> bool:
    try:
        exe = os.stat(f"/proc/{pid}/exe")
    except OSError:
        return False
    return (exe.st_dev, exe.st_ino) == (binary.st_dev, binary.st_ino)


def _find_daemon(wrapper: int, binary: os.stat_result, timeout: float) -> int:
    """Return the PID of the daemon: the child of the namespace's ``sh`` running ``binary``.

    The ``sh`` also runs ``mount``, ``mkdir`` and ``hostname`` first, so a child
    only counts once its executable is the daemon's.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for init in _children(wrapper):
            for pid in _children(init):
                if _same_file(pid, binary):
                    return pid
        time.sleep(0.01)
    raise RuntimeError(f"daemon did not start within {timeout:.0f}s (wrapper pid {wrapper})")


def _binary(argv0: str) -> os.stat_result:
    path = shutil.which(argv0, path=BASE_ENV["PATH"])
    if path is None:
        raise RuntimeError(f"{argv0}: not installed (see tests/lab/apt-packages.txt)")
    return os.stat(path)


def launch(spec: LaunchSpec) -> tuple[subprocess.Popen[bytes], DaemonRecord]:
    """Start the daemon described by ``spec``; return its process handle and record."""
    spec.log.parent.mkdir(parents=True, exist_ok=True)
    env = {**BASE_ENV, **spec.env}
    binary = _binary(spec.argv[0])
    with spec.log.open("ab") as log:
        popen = subprocess.Popen(
            launch_argv(spec), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            env=env, start_new_session=True, close_fds=True,
        )
    try:
        child = _find_daemon(popen.pid, binary, CHILD_PID_WAIT)
    except RuntimeError as exc:
        popen.kill()  # --kill-child takes the PID namespace down with it
        popen.wait(timeout=5)
        raise RuntimeError(f"{spec.host}/{spec.name}: {exc}; log {spec.log}") from exc
    record = DaemonRecord(
        host=spec.host, name=spec.name, ns=spec.ns,
        pid=child, start_ticks=start_ticks(child) or 0,
        wrapper_pid=popen.pid, wrapper_start_ticks=start_ticks(popen.pid) or 0,
        log=str(spec.log),
    )
    return popen, record


def _signal(pid: int, ticks: int, sig: signal.Signals) -> None:
    if is_alive(pid, ticks):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def _wait_gone(records: Sequence[DaemonRecord], timeout: float) -> list[DaemonRecord]:
    """Wait (bounded) for daemons and their wrappers to exit; return those still alive."""
    deadline = time.monotonic() + timeout
    pending = list(records)
    while pending:
        pending = [r for r in pending
                   if is_alive(r.pid, r.start_ticks)
                   or is_alive(r.wrapper_pid, r.wrapper_start_ticks)]
        if not pending or time.monotonic() >= deadline:
            break
        time.sleep(POLL)
    return pending


def stop(records: Iterable[DaemonRecord], term_grace: float = TERM_GRACE) -> list[str]:
    """Stop recorded daemons: SIGTERM, bounded wait, then SIGKILL; return names that survived.

    Only the recorded PIDs are signalled, and only while their start time still
    matches the record (so a recycled PID is never hit). When a daemon exits, its
    namespace's ``sh`` (PID 1 there) exits too, and the kernel kills everything
    else in that PID namespace; SIGKILL to the recorded ``unshare`` wrapper does
    the same via ``--kill-child``.
    """
    records = list(records)
    for rec in records:
        _signal(rec.pid, rec.start_ticks, signal.SIGTERM)
    stubborn = _wait_gone(records, term_grace)
    for rec in stubborn:
        _signal(rec.pid, rec.start_ticks, signal.SIGKILL)
        _signal(rec.wrapper_pid, rec.wrapper_start_ticks, signal.SIGKILL)
    survivors = _wait_gone(stubborn, KILL_GRACE)
    return [f"{r.host}/{r.name} (pid {r.pid})" for r in survivors]


def run_isolated(spec: LaunchSpec, timeout: float) -> None:
    """Run ``spec`` to completion in the same isolation as a daemon; raise on failure.

    Output goes to ``spec.log``. On timeout the ``unshare`` process is killed, and
    ``--kill-child`` takes the command (and its whole PID namespace) with it.
    """
    spec.log.parent.mkdir(parents=True, exist_ok=True)
    with spec.log.open("ab") as log:
        try:
            proc = subprocess.run(
                launch_argv(spec), stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, env={**BASE_ENV, **spec.env}, timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(f"{spec.host}/{spec.name} timed out after {timeout:.0f}s "
                               f"(log: {spec.log})") from exc
    if proc.returncode != 0:
        raise RuntimeError(f"{spec.host}/{spec.name} failed with exit {proc.returncode} "
                           f"(log: {spec.log})")
