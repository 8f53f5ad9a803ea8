"""SNMP collection and parsing: the system group, the deeper bounded collection, SNMPv3 users,
the harmless write test, and the pure functions that read the answers.

Modules: :mod:`.query` (who answers, with which credentials), :mod:`.tables` (the deeper
collection), :mod:`.session` (one agent's bounded request budget), :mod:`.parse` (raw values to
fields), :mod:`.v3` (SNMPv3 users), :mod:`.write` (the write test). The OIDs asked and how the
answers are read live in ``data/snmp_oids.json``.
"""
