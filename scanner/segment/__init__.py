"""The wire under the laptop: what the segment itself says during the scan.

* :mod:`scanner.segment.records` — the ``segment`` record of the inventory (dataclasses);
* :mod:`scanner.segment.parse` — frames (live or from a pcap) into that record, with scapy;
* :mod:`scanner.segment.listen` — the listener thread and its few questions;
* :mod:`scanner.segment.devices` — switches named by LLDP/CDP as inventory devices.

This package's ``__init__`` imports nothing: :mod:`scanner.model` imports the records.
"""
