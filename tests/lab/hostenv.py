"""Per-host workspace in the state dir: template values, file helpers, daemon specs.

Each lab host gets ``<state>/hosts/<key>/`` for its configs and data, and writes
its daemon logs to ``<state>/logs/<key>-<daemon>.log``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .procs import LaunchSpec
from .render import render_template
from .topology import Node, Topology


@dataclass(frozen=True)
class HostEnv:
    """Everything a service builder needs to prepare one host."""

    node: Node
    topo: Topology
    truth: dict[str, Any] | None  # the host's ground-truth entry (None for the ISP)
    state_dir: Path
    cache: Path

    @property
    def key(self) -> str:
        """Return the host's short name (``fw``, ``dc``, ...)."""
        return self.node.key

    @property
    def hdir(self) -> Path:
        """Return the host's folder in the state dir."""
        return self.state_dir / "hosts" / self.key

    @property
    def logs(self) -> Path:
        """Return the shared log folder."""
        return self.state_dir / "logs"

    @property
    def fqdn(self) -> str:
        """Return the host's DNS name (its IP when it has none)."""
        return self.node.fqdn or self.node.ip

    def values(self, **extra: object) -> dict[str, object]:
        """Return the placeholder values common to every template, plus ``extra``."""
        return {
            "host": self.key,
            "fqdn": self.fqdn,
            "hostname": self.node.hostname,
            "ip": self.node.ip,
            "hdir": self.hdir,
            "logs": self.logs,
            "state": self.state_dir,
            "domain": self.topo.domain,
            "gateway": self.topo.gateway,
            **extra,
        }

    def mkdir(self, rel: str, mode: int = 0o755) -> Path:
        """Create ``hdir/rel`` (and parents) with ``mode``; return it."""
        path = self.hdir / rel
        path.mkdir(parents=True, exist_ok=True)
        os.chmod(path, mode)
        return path

    def write(self, rel: str, text: str, mode: int = 0o644) -> Path:
        """Write ``text`` to ``hdir/rel`` with ``mode``; return the path."""
        path = self.hdir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        os.chmod(path, mode)
        return path

    def render(self, template: str, rel: str | None = None, mode: int = 0o644,
               **extra: object) -> Path:
        """Render ``templates/<template>`` into ``hdir/<rel or template>``."""
        return self.write(rel or template, render_template(template, self.values(**extra)), mode)

    def daemon(self, name: str, argv: list[str], env: dict[str, str] | None = None,
               shadow: tuple[str, ...] = (), run_dirs: tuple[str, ...] = ()) -> LaunchSpec:
        """Return the launch spec of daemon ``name`` on this host.

        ``shadow`` lists system state dirs (e.g. ``/var/lib/samba``) that the daemon
        gets as private, empty folders of the state dir instead of the real ones.
        """
        pairs = []
        for system_dir in shadow:
            if Path(system_dir).is_dir():  # a bind mount needs an existing mount point
                src = self.mkdir(f"shadow/{name}/{system_dir.strip('/').replace('/', '-')}")
                pairs.append((src, system_dir))
        return LaunchSpec(
            host=self.key, name=name, ns=self.node.ns, hostname=self.node.hostname,
            argv=tuple(str(a) for a in argv), state_dir=self.state_dir,
            log=self.logs / f"{self.key}-{name}.log", env=env or {},
            shadow=tuple(pairs), run_dirs=run_dirs,
        )
