"""The only way WeasyPrint may load a resource while building the PDF: local, allow-listed files.

A report is built from strings an untrusted network handed us. They are escaped, so they
should never become markup, but if one ever did, it must not be able to make the PDF renderer
reach out (an ``<img src=http://…>`` tracking pixel, a ``file:///etc/…`` read). This fetcher
serves the ``reports`` package's static assets and the files explicitly allowed (the
consultant's logo) and raises for everything else: other schemes, other paths, symlinks that
lead out.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

PACKAGE_DIR = Path(__file__).resolve().parent
STATIC_DIR = PACKAGE_DIR / "static"


class FetchRefused(ValueError):
    """A URL the report renderer refuses to load."""


class PackageOnlyFetcher(URLFetcher):
    """Serves ``file:`` URLs under ``reports/static`` or in ``allowed_files``; refuses every
    other URL, without touching the network."""

    def __init__(self, allowed_files: tuple[Path, ...] = ()) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.allowed_files = frozenset(path.resolve() for path in allowed_files)

    def allows(self, path: Path) -> bool:
        """Whether a resolved local path may be served."""
        return path in self.allowed_files or path.is_relative_to(STATIC_DIR)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        """The file behind ``url``, or :class:`FetchRefused`."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise FetchRefused(f"refused to fetch {url[:200]!r}: only local report files")
        try:
            path = Path(unquote(parts.path)).resolve(strict=True)
        except (OSError, RuntimeError):
            raise FetchRefused(f"refused to fetch {url[:200]!r}: no such file") from None
        if not path.is_file() or not self.allows(path):
            raise FetchRefused(f"refused to fetch {url[:200]!r}: outside the report files")
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(),
                                  headers={"Content-Type": mime_type})
