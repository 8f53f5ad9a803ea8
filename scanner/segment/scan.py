"""The listener's place in the scan: started before discovery, finished after identification.

:func:`start_listening` decides whether and how long to listen (root and a scan interface
with a MAC are needed; the ``quick`` profile does not wait for the LLDP interval and says
so); :func:`finish_listening` asks the hosts for their own names, stops the listener and
merges the switches it heard into the hosts.
"""

from __future__ import annotations

import ipaddress

from scanner.model import Host
from scanner.netinfo import LocalAddress
from scanner.segment.devices import neighbour_hosts
from scanner.segment.listen import LLDP_INTERVAL_S, SegmentListener, skipped
from scanner.segment.records import Segment

# The least each profile listens: one LLDP interval, except ``quick`` (a first look does not
# wait half a minute for a switch).
MIN_LISTEN_S = {"quick": 0.0, "standard": LLDP_INTERVAL_S, "thorough": 2 * LLDP_INTERVAL_S}


def start_listening(link: LocalAddress | None, gateway: str | None, profile: str,
                    privileged: bool, addresses: list[str]) -> SegmentListener | Segment:
    """A started listener, or the record of why there is none.

    Only a scan of the interface's own segment listens and asks: a scan of loopback or of
    routed networks says nothing about the wire under the laptop, and must send nothing on it.
    """
    if not privileged:
        return skipped("not running as root: the segment (LLDP, DHCP, IPv6, spanning tree, "
                       "name responders) was not listened to")
    if link is None or not link.mac:
        return skipped("no scan interface with a MAC address: the segment was not listened to")
    network = link.network
    if not any(ipaddress.IPv4Address(ip) in network for ip in addresses):
        return skipped(f"no target is on {link.interface}'s own segment ({network}): the "
                       "segment was not listened to")
    listener = SegmentListener(link.interface, link.mac, link.ip, gateway,
                               broadcast=str(link.network.broadcast_address),
                               min_listen_s=MIN_LISTEN_S.get(profile, LLDP_INTERVAL_S))
    if profile == "quick":
        listener.notes.append("quick profile: listened only while the scan ran, not a full "
                              "LLDP interval")
    listener.start()
    return listener


def finish_listening(listening: SegmentListener | Segment, hosts: dict[str, Host]
                     ) -> tuple[Segment, dict[str, Host]]:
    """The segment record, and the hosts with the switches it named merged in."""
    if isinstance(listening, Segment):
        return listening, hosts
    listening.ask_names([
        (ip, host.hostnames[0].split(".")[0] if host.hostnames else "", host.netbios_name)
        for ip, host in sorted(hosts.items()) if host.hostnames or host.netbios_name])
    segment = listening.stop()
    return segment, neighbour_hosts(segment, hosts)
