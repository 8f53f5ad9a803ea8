"""What the consultant may scan: parsing target specs and keeping the scan in scope.

Targets are CIDRs (``192.168.1.0/24``), single addresses, or ranges (``192.168.1.10-50`` or
``192.168.1.10-192.168.1.50``). Anything outside the private ranges of RFC 1918 is refused
unless explicitly allowed, and the scanner's own addresses are always left out.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from scanner.netinfo import DefaultRoute, LocalAddress

PRIVATE_RANGES = tuple(ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12",
                                                          "192.168.0.0/16"))
MAX_ADDRESSES = 4096  # a /20 without asking: a larger range is usually a typo
LARGE_MAX_ADDRESSES = 65536  # a /16, only when the consultant confirms it (--allow-large)


class TargetError(ValueError):
    """A target spec that is malformed or out of scope; the message is one line for the user."""


def parse_target(spec: str) -> list[ipaddress.IPv4Network]:
    """One target spec as a list of networks (a range becomes the CIDRs that cover it)."""
    text = spec.strip()
    try:
        if "-" in text:
            start_text, end_text = (part.strip() for part in text.split("-", 1))
            start = ipaddress.IPv4Address(start_text)
            if "." not in end_text:
                end_text = start_text.rsplit(".", 1)[0] + "." + end_text
            end = ipaddress.IPv4Address(end_text)
            if end < start:
                raise TargetError(f"target {spec!r}: the range ends before it starts")
            return list(ipaddress.summarize_address_range(start, end))
        return [ipaddress.IPv4Network(text, strict=False)]
    except (ipaddress.AddressValueError, ipaddress.NetmaskValueError, ValueError) as exc:
        if isinstance(exc, TargetError):
            raise
        raise TargetError(f"target {spec!r} is not an IPv4 address, CIDR or range") from None


def is_private(network: ipaddress.IPv4Network) -> bool:
    """True when the whole network lies inside one RFC 1918 private range."""
    return any(network.subnet_of(private) for private in PRIVATE_RANGES)


def resolve_targets(specs: Iterable[str], *, allow_public: bool = False,
                    exclude: Iterable[str] = (), own_addresses: Iterable[str] = (),
                    max_addresses: int = MAX_ADDRESSES, allow_large: bool = False
                    ) -> list[str]:
    """The sorted, de-duplicated host addresses to scan, with exclusions applied.

    Raises :class:`TargetError` for a malformed spec, a public target without
    ``allow_public``, or more than ``max_addresses`` addresses (``LARGE_MAX_ADDRESSES`` when
    the consultant confirmed a large range with ``allow_large``).
    """
    networks: list[ipaddress.IPv4Network] = []
    for spec in specs:
        for network in parse_target(spec):
            if not allow_public and not is_private(network):
                raise TargetError(f"target {spec!r} is not a private (RFC 1918) address; "
                                  "pass --allow-public only if you are authorised to scan it")
            networks.append(network)
    if not networks:
        raise TargetError("no targets given")
    total = sum(n.num_addresses for n in networks)
    if allow_large and total <= LARGE_MAX_ADDRESSES:
        max_addresses = max(max_addresses, LARGE_MAX_ADDRESSES)
    if total > max_addresses:
        hint = ("pass --allow-large to confirm a range this large"
                if not allow_large and total <= LARGE_MAX_ADDRESSES
                else "scan the site in smaller ranges")
        raise TargetError(f"{total} addresses to scan is more than the limit of {max_addresses}; "
                          f"{hint}")
    try:
        excluded_networks = [net for spec in exclude for net in parse_target(spec)]
    except TargetError as exc:
        raise TargetError(str(exc).replace("target ", "exclusion ", 1)) from None
    skip = {ipaddress.IPv4Address(a) for a in own_addresses}
    addresses: set[ipaddress.IPv4Address] = set()
    for network in networks:
        hosts = network.hosts() if network.prefixlen < 31 else iter(network)
        for address in hosts:
            if address in skip or any(address in net for net in excluded_networks):
                continue
            addresses.add(address)
    return [str(a) for a in sorted(addresses)]


def default_targets(addresses: list[LocalAddress], route: DefaultRoute | None) -> list[str]:
    """The directly connected private subnet of the default interface, as one CIDR.

    Raises :class:`TargetError` when there is no default interface or its subnet is not private,
    so that a scan never goes to a network the consultant did not name.
    """
    if route is None:
        raise TargetError("no default route: name the targets to scan (e.g. 192.168.1.0/24)")
    for address in addresses:
        if address.interface == route.interface:
            if not is_private(address.network):
                raise TargetError(f"the default interface's subnet {address.network} is not "
                                  "private: name the targets to scan")
            return [str(address.network)]
    raise TargetError(f"the default interface {route.interface} has no IPv4 address: "
                      "name the targets to scan")
