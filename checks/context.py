"""What a check sees: the inventory, the on-site interview answers and tunable parameters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scanner.model import Host, Inventory


@dataclass(frozen=True)
class Context:
    """The read-only input of every check."""

    inventory: Inventory
    interview: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)

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
