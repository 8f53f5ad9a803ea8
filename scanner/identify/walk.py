"""Identify one device offline from a walk file (``snmpwalk -On`` output or ``.snmprec``)."""

from __future__ import annotations

from pathlib import Path

from scanner.identify.fuse import classify
from scanner.identify.knowledge import ALL, Knowledge
from scanner.model import Host
from scanner.snmp.offline import snmp_info_from_walk
from scanner.snmp.walkfile import Walk, read_walk

OFFLINE_IP = "0.0.0.0"  # a walk file has no address; the Host model needs one


def identify_walk(walk: Walk, knowledge: Knowledge = ALL) -> Host:
    """The identified host for an already-read walk."""
    return classify(Host(ip=OFFLINE_IP, snmp=snmp_info_from_walk(walk)), knowledge)


def identify_file(path: Path, knowledge: Knowledge = ALL) -> Host:
    """The identified host for a walk file; WalkFileError when it holds no walk."""
    return identify_walk(read_walk(path), knowledge)
