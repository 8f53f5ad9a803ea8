"""The hostile office: a small isolated network of hostile and broken hosts for the scanner.

``python3 -m tests.hostile up|down|status`` builds it by hand; the integration test
``tests/integration/test_hostile_office.py`` and ``bench/hostile_office.py`` build it for
themselves. See ``README.md`` here for the hosts and the hostile strings each one serves.
"""
