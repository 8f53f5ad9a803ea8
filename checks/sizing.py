"""How big the office is and what an hour without IT costs: the counts plan and verdict share.

Computer users come from the interview (``computer_users``, else ``employees``), else from the
directory audit (enabled people accounts: not built-in, no service traits), else from the
workstations the scan saw — an undercount, since laptops that are away are not on the network.
Servers and network devices are counted from the scan by the price book's device classes.

The downtime cost per hour is the interview's ``downtime_cost_per_hour``; when the owner could
not say, it is derived from ``annual_revenue`` as revenue ÷ :data:`WORKING_HOURS_PER_YEAR`
(52 weeks × 40 hours): the revenue an hour of business stands for, assuming an office with no
computers earns nothing in that hour. It leaves out idle wages, so it errs on the low side.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from checks.common import host_label
from checks.figures import Figure, Input, compute
from checks.interview import answer, answer_state
from checks.pricebook import Counting
from scanner.directory.model import Directory
from scanner.model import Host, Inventory

WORKING_HOURS_PER_YEAR = 2080


@dataclass(frozen=True)
class OfficeSize:
    """The counts a plan is priced on, each with where it came from."""

    users: Input
    users_from_interview: bool
    workstations_seen: int
    servers: Input
    network_devices: Input
    subnets: tuple[str, ...]  # networks with devices on them (/24 for IPv4, /64 for IPv6)


def _hosts_input(hosts: list[Host], what: str) -> Input:
    if not hosts:
        return Input(0, f"scan: no {what} seen", "count")
    names = ", ".join(host_label(h) for h in hosts[:12]) + (" …" if len(hosts) > 12 else "")
    return Input(len(hosts), f"scan: {len(hosts)} {what}: {names}", "count")


def _subnet(ip: str) -> str | None:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return None
    prefix = 24 if address.version == 4 else 64
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def users_input(interview: Mapping[str, Any], workstations_seen: int,
                directory: Directory | None = None) -> tuple[Input, bool]:
    """The number of computer users and whether the interview gave it."""
    if answer(interview, "computer_users") is not None:
        return Input(interview["computer_users"], "interview: computer_users", "users"), True
    if answer(interview, "employees") is not None:
        state = answer_state(interview, "computer_users").replace("_", " ")
        return Input(interview["employees"], f"interview: employees (computer_users {state})",
                     "users"), True
    if directory is not None and directory.ok:
        people = len(directory.people)
        return Input(people, f"directory: {people} enabled people accounts (built-in and "
                     "service accounts left out)", "users"), False
    return Input(workstations_seen, f"scan: {workstations_seen} workstations seen (laptops that "
                 "are away are not counted)", "users"), False


def measure(inventory: Inventory, interview: Mapping[str, Any],
            counting: Counting | None = None, directory: Directory | None = None) -> OfficeSize:
    """The office's users, servers, network devices and subnets."""
    counting = counting or Counting()
    workstations = len(inventory.by_class("workstation"))
    users, from_interview = users_input(interview, workstations, directory)
    subnets = sorted({net for net in (_subnet(h.ip) for h in inventory.hosts) if net})
    return OfficeSize(
        users=users, users_from_interview=from_interview, workstations_seen=workstations,
        servers=_hosts_input(inventory.by_class(*counting.server_classes), "servers"),
        network_devices=_hosts_input(inventory.by_class(*counting.network_device_classes),
                                     "network devices"),
        subnets=tuple(subnets))


def downtime_cost(interview: Mapping[str, Any]) -> Input | Figure:
    """What an hour with no computers costs the whole office, with how it was found."""
    if answer(interview, "downtime_cost_per_hour") is not None:
        return Input(interview["downtime_cost_per_hour"], "interview: downtime_cost_per_hour",
                     "per hour")
    if answer(interview, "annual_revenue") is not None:
        return compute(
            "annual_revenue / working_hours_per_year", "per hour",
            note="derived from revenue: the downtime cost per hour was not given",
            annual_revenue=Input(interview["annual_revenue"], "interview: annual_revenue",
                                 "per year"),
            working_hours_per_year=Input(WORKING_HOURS_PER_YEAR,
                                         "sitewalk: 52 weeks × 40 hours", "hours"))
    state = answer_state(interview, "downtime_cost_per_hour").replace("_", " ")
    return Input(None, f"interview: downtime_cost_per_hour {state}, annual_revenue "
                       f"{answer_state(interview, 'annual_revenue').replace('_', ' ')}",
                 "per hour")
