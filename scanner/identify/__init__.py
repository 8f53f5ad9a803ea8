"""Device identification: class, manufacturer, model and firmware, the way a consultant names them.

Knowledge that generalises comes first: the IANA enterprise registry for the maker of any
sysObjectID (:mod:`.names`), the standard MIBs for what a device is (:mod:`.standard`); product
families (:mod:`.snmp_votes`, ``data/families.json``) add models and settle what standards leave
open; the other sources (MAC registry, ports, web pages, mDNS, SSDP) vote too
(:mod:`.host_votes`). :mod:`.fuse` weighs the votes, keeps their evidence and says "unknown"
with the reason when the evidence is thin. :mod:`.walk` identifies a device from a walk file.
"""

from scanner.identify.fuse import classify, votes_for
from scanner.identify.knowledge import ALL, Knowledge

__all__ = ["ALL", "Knowledge", "classify", "votes_for"]
