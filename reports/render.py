"""Rendering the view-model: one standalone HTML file, or a PDF made by WeasyPrint from it.

:func:`render_html` and :func:`render_pdf` take a :class:`reports.view.ReportView`;
:func:`render_report` does the whole job for an assessment folder (what ``sitewalk report``
calls). The HTML is self-contained (CSS inlined, the logo as a data URI, no JavaScript, no
external fetch). The PDF is laid out by WeasyPrint from the same templates with print CSS,
through :class:`reports.fetcher.PackageOnlyFetcher`, so it cannot load anything from outside.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from reports.branding import LOGO_TYPES, load_branding
from reports.errors import ReportError
from reports.fetcher import STATIC_DIR, PackageOnlyFetcher
from reports.labels import CHAPTERS, appendix_letters
from reports.loader import load_assessment, load_directory
from reports.view import ReportView
from reports.viewmodel import build_view_model

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
FORMATS = ("html", "pdf")


@lru_cache(maxsize=1)
def _environment() -> Environment:
    # autoescape=True (not select_autoescape): every template escapes, whatever its name.
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@lru_cache(maxsize=1)
def _stylesheet() -> Markup:
    # Our own static file, not data: safe to place inside <style> unescaped.
    return Markup((STATIC_DIR / "report.css").read_text(encoding="utf-8"))


def _html(view: ReportView, logo_src: str, medium: str) -> str:
    template = _environment().get_template("base.html.j2")
    return template.render(view=view, css=_stylesheet(), logo_src=logo_src, medium=medium,
                           chapters=CHAPTERS,
                           appendices=appendix_letters(view.plan.priced, view.has_acceptances))


def _logo_data_uri(view: ReportView) -> str:
    path = view.branding.logo_path
    if path is None:
        return ""
    mime_type = LOGO_TYPES[path.suffix.lower()]
    return f"data:{mime_type};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def render_html(view: ReportView) -> str:
    """The report as one standalone HTML document."""
    return _html(view, _logo_data_uri(view), medium="screen")


def render_pdf(view: ReportView, output: Path, *,
               url_fetcher: PackageOnlyFetcher | None = None) -> None:
    """Write the report as a PDF; resources load only through ``url_fetcher`` (allow-listed)."""
    from weasyprint import HTML  # imported here: it is slow to import and only PDF needs it

    logo = view.branding.logo_path
    fetcher = url_fetcher or PackageOnlyFetcher(allowed_files=(logo,) if logo else ())
    html = _html(view, logo.as_uri() if logo else "", medium="print")
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher)
    document.write_pdf(output)


def render_report(folder: Path, fmt: str, output: Path, branding: Path | None = None) -> Path:
    """Render an assessment folder's report as ``fmt`` ("pdf" or "html") to ``output``."""
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise ReportError(f"unknown report format {fmt!r} (choose {' or '.join(FORMATS)})")
    inventory, findings = load_assessment(folder)
    view = build_view_model(inventory, findings, load_branding(branding) if branding else None,
                            directory=load_directory(folder))
    if output.is_dir():
        output = output / f"report.{fmt}"
    write_report_file(output, fmt, lambda: render_html(view), lambda path: render_pdf(view, path))
    return output


def write_report_file(output: Path, fmt: str, html: Callable[[], str],
                      pdf: Callable[[Path], None]) -> None:
    """Write a report to ``output`` through a temp file and a rename: never half a file.

    ``html`` returns the HTML text; ``pdf`` writes the PDF to the path it is given.
    """
    if not output.parent.is_dir():
        raise ReportError(f"{output}: the folder to write the report into does not exist")
    temporary = output.with_name(f".{output.name}.tmp")
    try:
        if fmt == "html":
            temporary.write_text(html(), encoding="utf-8")
        else:
            pdf(temporary)
        temporary.replace(output)
    except OSError as error:
        reason = error.strerror or error
        raise ReportError(f"{output}: cannot write the report ({reason})") from None
    finally:
        temporary.unlink(missing_ok=True)
