"""Thin, bounded wrappers around ``ip``, ``sysctl`` and ``nft`` for lab namespaces.

Every command has a timeout, and every namespace-taking helper refuses names that
do not start with ``swlab-`` so a typo can never reconfigure the real host.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from .topology import NS_PREFIX

CMD_TIMEOUT = 20.0
NETNS_ETC = Path("/etc/netns")


class LabCommandError(RuntimeError):
    """A command needed to build or inspect the lab failed."""


def run(argv: Sequence[str], timeout: float = CMD_TIMEOUT, check: bool = True,
        input_text: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` with a timeout; raise :class:`LabCommandError` on failure if ``check``."""
    try:
        proc = subprocess.run(
            list(argv), capture_output=True, text=True, timeout=timeout, check=False,
            input=input_text, stdin=None if input_text is not None else subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        raise LabCommandError(f"timed out after {timeout:.0f}s: {' '.join(argv)}") from exc
    except FileNotFoundError as exc:
        raise LabCommandError(f"command not found: {argv[0]}") from exc
    if check and proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        msg = detail[-1] if detail else f"exit {proc.returncode}"
        raise LabCommandError(f"{' '.join(argv)}: {msg}")
    return proc


def check_ns_name(ns: str) -> str:
    """Return ``ns`` if it is a lab namespace name, else raise ``ValueError``."""
    if not ns.startswith(NS_PREFIX) or "/" in ns or len(ns) <= len(NS_PREFIX):
        raise ValueError(f"not a lab namespace: {ns!r}")
    return ns


def in_ns(ns: str, argv: Sequence[str]) -> list[str]:
    """Return the argv that runs ``argv`` inside namespace ``ns``."""
    return ["ip", "netns", "exec", check_ns_name(ns), *argv]


def ip(ns: str, *args: str) -> None:
    """Run ``ip -n NS ARGS...``."""
    run(["ip", "-n", check_ns_name(ns), *args])


def ns_run(ns: str, argv: Sequence[str], timeout: float = CMD_TIMEOUT,
           check: bool = True, input_text: str | None = None
           ) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` inside ``ns``."""
    return run(in_ns(ns, argv), timeout=timeout, check=check, input_text=input_text)


def sysctl(ns: str, key: str, value: str) -> None:
    """Set a sysctl inside ``ns`` (only namespaced sysctls make sense here)."""
    ns_run(ns, ["sysctl", "-q", "-w", f"{key}={value}"])


def list_namespaces() -> list[str]:
    """Return the names of all named network namespaces."""
    proc = run(["ip", "netns", "list"], check=False)
    if proc.returncode != 0:
        return []
    return [line.split()[0] for line in proc.stdout.splitlines() if line.strip()]


def lab_namespaces() -> list[str]:
    """Return the existing namespaces whose name starts with ``swlab-``."""
    return [ns for ns in list_namespaces() if ns.startswith(NS_PREFIX)]


def add_namespace(ns: str) -> None:
    """Create network namespace ``ns`` and bring its loopback up."""
    run(["ip", "netns", "add", check_ns_name(ns)])
    ip(ns, "link", "set", "lo", "up")


def delete_namespace(ns: str) -> None:
    """Delete namespace ``ns`` if it exists (its veth ends disappear with it)."""
    if ns in list_namespaces():
        run(["ip", "netns", "delete", check_ns_name(ns)])


def namespace_pids(ns: str) -> list[int]:
    """Return the PIDs of processes still living in ``ns``."""
    proc = run(["ip", "netns", "pids", check_ns_name(ns)], check=False)
    return [int(tok) for tok in proc.stdout.split() if tok.isdigit()]


def etc_dir(ns: str) -> Path:
    """Return ``/etc/netns/NS``: files there are bind-mounted over /etc by ``ip netns exec``."""
    return NETNS_ETC / check_ns_name(ns)


def write_etc_files(ns: str, files: dict[str, str]) -> Path:
    """Write per-namespace /etc overrides (resolv.conf, hosts) and return the directory."""
    directory = etc_dir(ns)
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def remove_etc_dir(directory: Path) -> None:
    """Remove one ``/etc/netns/swlab-*`` directory that the lab created."""
    if directory.parent != NETNS_ETC or not directory.name.startswith(NS_PREFIX):
        raise ValueError(f"refusing to remove {directory}")
    shutil.rmtree(directory, ignore_errors=True)


def remove_netns_etc_if_empty() -> None:
    """Remove ``/etc/netns`` itself (call only if the lab created it)."""
    try:
        NETNS_ETC.rmdir()  # fails harmlessly when someone else put something there
    except OSError:
        pass


def nft_load(ns: str, ruleset: str) -> None:
    """Load an nftables ruleset (text) into ``ns``."""
    ns_run(ns, ["nft", "-f", "-"], input_text=ruleset)
