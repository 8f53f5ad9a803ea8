"""What a check sees: the inventory, the directory audit, the interview answers and parameters."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from scanner.directory.model import Directory
from scanner.model import Host, Inventory


@dataclass(frozen=True)
class Context:
    """The read-only input of every check."""

    inventory: Inventory
    interview: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    directory: Directory | None = None  # directory.json, when a directory audit ran

    @property
    def now(self) -> datetime:
        """The evaluation clock of age-based checks: ``params["now"]``, else the audit's time.

        Ages count from when the directory was read, not from when it is assessed, so
        re-assessing an old folder gives the same answer; tests inject ``now``.
        """
        injected = self.params.get("now")
        if isinstance(injected, datetime):
            return injected
        if self.directory is not None:
            return self.directory.collected_at
        return datetime.now(UTC)

    @property
    def hosts(self) -> tuple[Host, ...]:
        """Every host in the inventory."""
        return self.inventory.hosts

    def hosts_with_port(self, port: int, protocol: str = "tcp") -> list[Host]:
        """Hosts where ``port`` is open."""
        return [h for h in self.inventory.hosts if port in h.open_ports(protocol)]

    @property
    def gateway(self) -> Host | None:
        """The default gateway's host record, if the scan saw it."""
        return next((h for h in self.inventory.hosts if h.is_gateway), None)
