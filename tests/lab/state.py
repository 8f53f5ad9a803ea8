"""The lab's state file: what ``up`` created, so ``down`` removes exactly that.

Every resource is recorded *before* it is created, and the file is rewritten
atomically after each change, so a crash half-way through ``up`` still leaves a
state file from which ``down`` can clean up.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

STATE_FILE = "state.json"
MARKER_FILE = ".sitewalk-lab"


@dataclass
class DaemonRecord:
    """One daemon started by the lab (``pid`` is the daemon itself, in its own PID namespace)."""

    host: str
    name: str
    ns: str
    pid: int
    start_ticks: int  # /proc/PID/stat starttime: guards against PID reuse
    wrapper_pid: int  # the `unshare` process that waits for the daemon
    wrapper_start_ticks: int
    log: str


@dataclass
class LabState:
    """Everything ``up`` created."""

    state_dir: str
    phase: str = "building"  # "building" while up() runs, then "up"
    started_at: float = field(default_factory=time.time)
    namespaces: list[str] = field(default_factory=list)
    etc_dirs: list[str] = field(default_factory=list)
    created_netns_etc: bool = False
    daemons: list[DaemonRecord] = field(default_factory=list)

    @property
    def path(self) -> Path:
        """Return the path of the state file."""
        return Path(self.state_dir) / STATE_FILE

    def save(self) -> None:
        """Write the state file atomically."""
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, self.path)

    def remove(self) -> None:
        """Delete the state file."""
        self.path.unlink(missing_ok=True)


def load_state(state_dir: Path) -> LabState | None:
    """Return the recorded state in ``state_dir``, or None when there is none."""
    path = state_dir / STATE_FILE
    try:
        raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise RuntimeError(f"unreadable lab state file {path}: {exc}") from exc
    daemons = [DaemonRecord(**d) for d in raw.pop("daemons", [])]
    return LabState(**raw, daemons=daemons)
