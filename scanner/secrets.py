"""Credentials the scan uses are never written down: SNMP communities are masked.

A well-known community ("public", "private" …) is no secret: it is the finding itself, and the
report names it. Any other community is the site's own credential, given by the consultant
with ``--community``: it is used on the wire and then forgotten. Everything the scan saves
(``inventory.json``, the evidence files) shows :data:`MASK` in its place, and so do the
reports and exports made from it (``reports.exports`` masks older folders too).
SNMPv3 keys never leave memory (see :mod:`scanner.snmp.v3`).
"""

from __future__ import annotations

from scanner.snmp.query import WELL_KNOWN_COMMUNITIES

MASK = "********"


def shown_community(community: str) -> str:
    """The community as it may be written down: itself when well known, else the mask."""
    if not community or community.lower() in WELL_KNOWN_COMMUNITIES:
        return community
    return MASK

