"""Finding the domain controllers: ``--dc``, DNS SRV records, then what the scan saw.

Order: an address the consultant gave; ``_ldap._tcp.dc._msdcs.REALM`` SRV records through the
laptop's resolver; the same SRV query sent to the DNS server of each domain controller the
network scan identified (an office's DHCP resolver often does not forward the AD zone); and
last the scanned controllers themselves (their LDAP root DSE named the domain). Every query is
bounded (a few names, a 3 s lifetime each) and goes only to the resolver or to scanned hosts.
"""

from __future__ import annotations

from dataclasses import dataclass

from scanner.directory.reader import NoControllerError
from scanner.model import Host, Inventory

DNS_LIFETIME = 3.0
MAX_CANDIDATES = 5


@dataclass(frozen=True)
class Controller:
    """A domain controller to try, and how it was found."""

    address: str
    found_by: str
    name: str = ""


def scanned_controllers(inventory: Inventory | None) -> list[Host]:
    """Hosts the scan identified as domain controllers (root DSE read, or classified so)."""
    if inventory is None:
        return []
    return [h for h in inventory.hosts
            if h.directory is not None or h.device_class == "domain_controller"]


def realm_of(inventory: Inventory | None) -> str:
    """The AD DNS domain the scanned controllers' root DSE named, if any."""
    for host in scanned_controllers(inventory):
        if host.directory and host.directory.dns_domain:
            return host.directory.dns_domain.lower()
    return ""


def _srv(realm: str, nameserver: str | None) -> list[tuple[str, str]]:
    """(target name, address) pairs from the SRV record, via ``nameserver`` or the system."""
    import dns.exception
    import dns.resolver

    resolver = dns.resolver.Resolver(configure=nameserver is None)
    if nameserver is not None:
        resolver.nameservers = [nameserver]
    resolver.lifetime = DNS_LIFETIME
    try:
        answer = resolver.resolve(f"_ldap._tcp.dc._msdcs.{realm}", "SRV")
    except (dns.exception.DNSException, OSError, ValueError):
        return []
    found = []
    for record in sorted(answer, key=lambda r: (r.priority, -r.weight))[:MAX_CANDIDATES]:
        target = str(record.target).rstrip(".")
        try:
            addresses = [str(a) for a in resolver.resolve(target, "A")]
        except (dns.exception.DNSException, OSError, ValueError):
            addresses = []
        found += [(target, a) for a in addresses[:2]]
    return found


def find_controllers(realm: str, given: str | None = None,
                     inventory: Inventory | None = None) -> list[Controller]:
    """Controllers to try, best first; :class:`NoControllerError` when there is none."""
    if given:
        return [Controller(given, "given with --dc")]
    realm = realm or realm_of(inventory)
    found: list[Controller] = []
    if realm:
        found += [Controller(a, f"DNS SRV _ldap._tcp.dc._msdcs.{realm}", n)
                  for n, a in _srv(realm, None)]
        if not found:
            for host in scanned_controllers(inventory)[:MAX_CANDIDATES]:
                if 53 in host.open_ports("tcp") or 53 in host.open_ports("udp"):
                    found += [Controller(a, f"DNS SRV _ldap._tcp.dc._msdcs.{realm} asked of "
                                            f"{host.ip}", n) for n, a in _srv(realm, host.ip)]
    if not found:
        found = [Controller(h.ip, "the scan (LDAP root DSE)") for h in
                 scanned_controllers(inventory)[:MAX_CANDIDATES]
                 if 389 in h.open_ports("tcp")]
    unique = list({c.address: c for c in found}.values())
    if not unique:
        hint = (f"no SRV record for {realm}" if realm else
                "the domain's DNS name is unknown (use name@REALM)")
        raise NoControllerError(f"no domain controller found ({hint}, none seen by the scan); "
                                "give one with --dc ADDRESS")
    return unique[:MAX_CANDIDATES]
