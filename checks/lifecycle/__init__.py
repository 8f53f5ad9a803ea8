"""Product lifecycles: is an identified product still supported by its vendor?

The interface of this sub-package:

- :mod:`checks.lifecycle.model`: :class:`SupportVerdict`, the answer for one product.
- :mod:`checks.lifecycle.table`: the lifecycle table (bundled endoflife.date snapshot, or a
  newer copy fetched by ``sitewalk data update``), :func:`data_date` and :func:`support`.
- :mod:`checks.lifecycle.windows`: :func:`windows_support` for Windows and Windows Server.
- :mod:`checks.lifecycle.identify`: from a scanned host to the products it runs
  (:mod:`checks.lifecycle.products` and ``data/distro_banners.json`` are its tables).
- :mod:`checks.lifecycle.results` and :mod:`checks.lifecycle.support_checks`: the checks.
- :mod:`checks.lifecycle.update`: fetching a newer table; :mod:`checks.lifecycle.build_table`
  builds the bundled one from a snapshot.
"""
