"""Rendering the quarterly business review of a client from the history, as PDF or HTML.

:func:`render_quarterly_report` is what ``sitewalk report CLIENT --quarterly`` calls. It reads
the client's history (:func:`history.quarterly.quarterly_data`), builds the view-model
(:mod:`reports.quarterly_viewmodel`) and lays it out with the one-off review's stylesheet,
jinja2 environment (autoescaping on) and logo handling from :mod:`reports.render`; the PDF is
made by WeasyPrint through :class:`reports.fetcher.PackageOnlyFetcher`, so nothing outside the
report's own files (and the consultant's logo) can be loaded.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from reports.branding import load_branding
from reports.errors import ReportError
from reports.fetcher import STATIC_DIR, PackageOnlyFetcher
from reports.quarterly_view import QuarterlyView
from reports.quarterly_viewmodel import build_quarterly_view
from reports.render import (
    FORMATS,
    _environment,
    _logo_data_uri,
    _stylesheet,
    write_report_file,
)

TEMPLATE = "quarterly.html.j2"
_QUARTER = re.compile(r"\d{4}-Q[1-4]")


def quarterly_html(view: QuarterlyView, medium: str = "screen", logo_src: str | None = None
                   ) -> str:
    """The review as one standalone HTML document."""
    template = _environment().get_template(TEMPLATE)
    if logo_src is None:
        logo_src = _logo_data_uri(view)  # type: ignore[arg-type]  # only .branding is read
    return template.render(view=view, css=_stylesheet(), medium=medium, logo_src=logo_src)


def quarterly_pdf(view: QuarterlyView, output: Path) -> None:
    """Write the review as a PDF; resources load only through the allow-listing fetcher."""
    from weasyprint import HTML  # slow to import; only the PDF needs it

    logo = view.branding.logo_path
    fetcher = PackageOnlyFetcher(allowed_files=(logo,) if logo else ())
    html = quarterly_html(view, "print", logo.as_uri() if logo else "")
    HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher).write_pdf(output)


def default_output(client: str, quarter: str, fmt: str) -> Path:
    """``qbr-harbor-dental-group-2026-Q3.pdf`` in the current folder."""
    slug = re.sub(r"[^a-z0-9]+", "-", client.casefold()).strip("-")[:60] or "client"
    return Path(f"qbr-{slug}-{quarter}.{fmt}")


def render_quarterly_report(client: str, output: Path | None = None, *, db: str | None = None,
                            site: str | None = None, quarter: str | None = None,
                            branding: Path | None = None, fmt: str = "pdf",
                            prospect: bool | None = None, today: date | None = None) -> Path:
    """Render ``client``'s quarterly review from the history; the file written.

    ``quarter`` ("2026-Q3") renders the review as of that quarter (default: the latest);
    ``site`` is needed when the client has more than one; ``prospect`` overrides the client's
    stored status (a prospect's review adds "The risks that have waited"). Raises
    :class:`reports.errors.ReportError` for a bad format, branding or output path and
    :class:`history.errors.HistoryError` (``exit_code`` 2 or 1) for the history.
    """
    from history.quarterly import quarterly_data
    from history.store import open_store

    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise ReportError(f"unknown report format {fmt!r} (choose {' or '.join(FORMATS)})")
    if quarter is not None and not _QUARTER.fullmatch(quarter):
        raise ReportError(f"--quarter: {quarter[:20]!r} is not a quarter like 2026-Q3")
    brand = load_branding(branding) if branding else None
    with open_store(db) as store:
        data = quarterly_data(store, client, site, quarter)
    view = build_quarterly_view(data, brand, prospect=prospect, report_date=today)
    output = output or default_output(data.client, data.current.quarter, fmt)
    if output.is_dir():
        output = output / default_output(data.client, data.current.quarter, fmt).name
    write_report_file(output, fmt, lambda: quarterly_html(view),
                      lambda path: quarterly_pdf(view, path))
    return output
