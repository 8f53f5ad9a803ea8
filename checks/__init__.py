"""sitewalk's checks: the consultant's judgement about an inventory, written down.

Each area module (firewall, backup, power, servers, exposure …) holds small checks registered
with :func:`checks.registry.check`; :mod:`checks.assess` runs them, :mod:`checks.scoring`
scores the results and :mod:`checks.verdict` decides whether the prospect is a fit.
"""
