"""sitewalk's report renderer: the assessment as a PDF or a standalone HTML file.

The report reads the two public files of an assessment folder (``inventory.json`` and
``findings.json``) as plain dicts, never the ``scanner`` or ``checks`` packages, and builds a
plain view-model from them (:mod:`reports.viewmodel`, :mod:`reports.view`; the recommended plan
and its prices: :mod:`reports.plan_view`; the network picture: :mod:`reports.network_view`;
accepted risks are kept apart from the open issues: :mod:`reports.findings_view`). jinja2
partials in ``templates/`` lay it out with autoescaping on; WeasyPrint turns the same HTML into
a PDF with the print CSS in ``static/report.css``, through a fetcher that loads nothing from
outside.

Public interface::

    build_view_model(inventory, findings, branding=None) -> ReportView
    render_html(view) -> str
    render_pdf(view, output) -> None
    render_report(folder, fmt, output, branding=None) -> Path
    export(folder, fmt, output) -> Path          # fmt: json, csv, xlsx (:mod:`reports.exports`)
    ReportError

:mod:`reports.render` imports WeasyPrint, which is slow to load, so the render functions are
imported from here only when first used.
"""

from __future__ import annotations

from typing import Any

from reports.errors import ReportError
from reports.exports import export
from reports.viewmodel import build_view_model

__all__ = ["ReportError", "build_view_model", "export", "render_html", "render_pdf",
           "render_report"]


def __getattr__(name: str) -> Any:
    """The render functions, imported on first use (see the module docstring)."""
    if name in ("render_html", "render_pdf", "render_report"):
        from reports import render

        return getattr(render, name)
    raise AttributeError(f"module 'reports' has no attribute {name!r}")
