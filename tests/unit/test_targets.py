"""Target parsing and scope: private only, exclusions and the scanner's own address honoured."""

from __future__ import annotations

import pytest

from scanner.netinfo import DefaultRoute, LocalAddress
from scanner.targets import TargetError, default_targets, parse_target, resolve_targets


def test_cidr_range_and_short_range() -> None:
    assert resolve_targets(["192.168.1.0/30"]) == ["192.168.1.1", "192.168.1.2"]
    assert resolve_targets(["192.168.1.10-12"]) == ["192.168.1.10", "192.168.1.11",
                                                     "192.168.1.12"]
    assert resolve_targets(["10.0.0.5-10.0.0.6", "10.0.0.5"]) == ["10.0.0.5", "10.0.0.6"]


def test_own_address_and_exclusions_are_left_out() -> None:
    got = resolve_targets(["192.168.1.0/29"], exclude=["192.168.1.2-3"],
                          own_addresses=["192.168.1.6"])
    assert got == ["192.168.1.1", "192.168.1.4", "192.168.1.5"]


@pytest.mark.parametrize("spec", ["8.8.8.8", "192.0.2.0/24", "172.32.0.1", "0.0.0.0/0"])
def test_public_targets_are_refused(spec: str) -> None:
    with pytest.raises(TargetError, match="not a private"):
        resolve_targets([spec])


def test_public_allowed_only_when_asked() -> None:
    assert resolve_targets(["198.51.100.1"], allow_public=True) == ["198.51.100.1"]


@pytest.mark.parametrize("spec", ["", "192.168.1", "192.168.1.300", "a.b.c.d", "192.168.1.9-2",
                                  "192.168.1.0/33"])
def test_malformed_targets(spec: str) -> None:
    with pytest.raises(TargetError):
        parse_target(spec) if spec != "192.168.1.9-2" else resolve_targets([spec])


def test_too_many_addresses() -> None:
    with pytest.raises(TargetError, match="more than the limit of 4096; pass --allow-large"):
        resolve_targets(["10.0.0.0/16"])


def test_a_large_range_only_when_confirmed_and_never_above_a_slash_16() -> None:
    addresses = resolve_targets(["10.20.0.0/18"], allow_large=True, exclude=["10.20.0.0/24"])
    # hosts() leaves out the network and broadcast addresses; the excluded /24 holds the first
    assert len(addresses) == 16384 - 2 - 255 and addresses[0] == "10.20.1.0"
    with pytest.raises(TargetError, match="limit of 4096; scan the site in smaller ranges"):
        resolve_targets(["10.0.0.0/15"], allow_large=True)
    with pytest.raises(TargetError, match="smaller ranges"):
        resolve_targets(["10.0.0.0/15"])


def test_default_target_is_the_default_interfaces_private_subnet() -> None:
    route = DefaultRoute("192.168.77.1", "eth0")
    addresses = [LocalAddress("eth0", "192.168.77.250", 24, None),
                 LocalAddress("eth1", "10.1.1.1", 24, None)]
    assert default_targets(addresses, route) == ["192.168.77.0/24"]


def test_default_target_refuses_a_public_subnet() -> None:
    with pytest.raises(TargetError, match="not private"):
        default_targets([LocalAddress("eth0", "192.0.2.2", 24, None)],
                        DefaultRoute("192.0.2.1", "eth0"))
    with pytest.raises(TargetError, match="no default route"):
        default_targets([], None)
