"""sitewalk's virtual office: an isolated LAN of network namespaces running real daemons.

See ``tests/lab/README.md``. Entry points: ``python3 -m tests.lab up|down|status``
and :class:`tests.lab.office.Office`.
"""
