"""Watching the scanner's own network link while the scan runs.

A cable pulled, a Wi-Fi that drops, a USB adapter unplugged: the link the scan goes out on
disappears or goes down. Without a watch, every nmap and probe would wait out its own timeout
against a network that is gone. :class:`LinkWatch` looks at the link twice a second; when it
is gone it calls ``on_lost`` once (the pipeline records the gap and stops the running nmaps),
so the scan ends within seconds and keeps what it found before.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from pathlib import Path

POLL_S = 0.5


def link_state(interface: str, sys_net: Path = Path("/sys/class/net")) -> str:
    """``"up"``, ``"down"`` or ``"gone"`` for one interface of this network namespace.

    ``if_nametoindex`` asks the kernel in the caller's namespace; the operstate file says
    whether the link is down. States other than "down" ("unknown" for some virtual links,
    "dormant") count as up: only a link known to be down or gone stops the scan.
    """
    try:
        socket.if_nametoindex(interface)
    except OSError:
        return "gone"
    try:
        state = (sys_net / interface / "operstate").read_text(encoding="ascii").strip()
    except OSError:
        return "up"  # no sysfs view of this namespace: existence is all we can tell
    return "down" if state in ("down", "lowerlayerdown", "notpresent") else "up"


class LinkWatch:
    """A daemon thread that calls ``on_lost(interface, state)`` once if one of ``interfaces``
    goes down or away.

    Use as a context manager around the stages that send traffic; leaving it stops the thread.
    A scan that goes out on two links and loses one stops as a whole: that is rare on a small
    office LAN, and half a picture is reported as partial either way.
    """

    def __init__(self, interfaces: tuple[str, ...], on_lost: Callable[[str, str], None],
                 poll_s: float = POLL_S,
                 state: Callable[[str], str] = link_state) -> None:
        self.interfaces = interfaces
        self.on_lost = on_lost
        self.poll_s = poll_s
        self.state = state
        self.lost = ""  # "down" or "gone" once the link was lost
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def _watch(self) -> None:
        while not self._done.wait(self.poll_s):
            for interface in self.interfaces:
                state = self.state(interface)
                if state != "up":
                    self.lost = state
                    self.on_lost(interface, state)
                    return

    def __enter__(self) -> LinkWatch:
        if self.interfaces:
            self._thread = threading.Thread(target=self._watch, name="link-watch", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
