"""Hostile strings from the network stay text, stay bounded, and make the renderer fetch nothing."""

from __future__ import annotations

import copy
import json
import re
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
from weasyprint import HTML

from reports import render
from reports.branding import load_branding
from reports.fetcher import STATIC_DIR, FetchRefused, PackageOnlyFetcher
from reports.render import render_html, render_pdf
from reports.viewmodel import build_view_model

SAMPLE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "report-sample"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=http://192.0.2.1/x.png>"
HUGE = "SYSDESCR" + "A" * 10_000  # a 10 kB sysDescr
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler-utils (pdftotext) is not installed")


class RecordingFetcher(PackageOnlyFetcher):
    """The real fetcher, remembering every URL it was asked for."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.calls: list[str] = []

    def fetch(self, url, headers=None):
        self.calls.append(url)
        return super().fetch(url, headers)


def hostile_assessment() -> tuple[dict, dict]:
    inventory = json.loads((SAMPLE / "inventory.json").read_text(encoding="utf-8"))
    findings = json.loads((SAMPLE / "findings.json").read_text(encoding="utf-8"))
    inventory["client"] = findings["client"] = "Evil <b>Corp</b> \x1b[31m" + SCRIPT
    switch = next(h for h in inventory["hosts"] if h["ip"] == "192.168.20.2")
    switch["hostnames"] = [SCRIPT]
    switch["snmp"]["sys_descr"] = HUGE
    switch["snmp"]["sys_contact"] = IMG
    switch["services"][0]["product"] = IMG
    switch["services"][0]["name"] = IMG
    telnet = next(f for f in findings["findings"]
                  if f["check_id"] == "SEC-002" and f["ip"] == "192.168.20.2")
    telnet["host_name"] = SCRIPT
    telnet["message"] = "Telnet banner: " + IMG + "\x00\x07"
    telnet["evidence"] = [IMG, "192.168.20.2 udp/161: sysDescr " + HUGE]
    return inventory, findings


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def view():
    inventory, findings = hostile_assessment()
    return build_view_model(inventory, findings)


def test_view_model_bounds_and_cleans_network_strings(view) -> None:
    row = next(row for row in view.inventory if row.ip == "192.168.20.2")
    assert row.name == SCRIPT
    assert len(row.description) == 500 and row.description.endswith("…")
    assert "\x1b" not in view.client and view.client.endswith(SCRIPT)
    telnet = next(i for s in view.sections for i in s.issues if i.check_id == "SEC-002")
    host = telnet.hosts[0]
    assert host.name == SCRIPT
    assert "\x00" not in host.message and "\x07" not in host.message
    assert max(len(line) for line in host.evidence) <= 500
    assert all(len(service) < 60 for service in row.services)


def test_html_shows_hostile_strings_as_escaped_text(view) -> None:
    html = render_html(view)
    assert SCRIPT not in html and "<img src=http" not in html and "<b>Corp" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=http://192.0.2.1/x.png&gt;" in html
    assert "A" * 600 not in html  # bounded
    assert "A" * 480 in html
    assert "\x1b" not in html and "\x00" not in html
    assert "<script" not in html.lower()


@needs_poppler
def test_pdf_shows_hostile_strings_as_bounded_text_and_fetches_nothing(
        view, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    connections: list[object] = []

    def no_network(self, address, *args, **kwargs):
        connections.append(address)
        raise OSError("network access during rendering")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    fetcher = RecordingFetcher()
    output = tmp_path / "hostile.pdf"
    render_pdf(view, output, url_fetcher=fetcher)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(output), "-"], check=True,
                          capture_output=True, text=True).stdout
    flat = squash(text)
    assert squash(SCRIPT) in flat
    assert squash(IMG) in flat
    assert "Evil<b>Corp</b>" in flat
    assert "SYSDESCR" + "A" * 400 in flat
    assert "A" * 600 not in flat
    assert connections == []
    outside = [url for url in fetcher.calls
               if not Path(url.removeprefix("file://")).resolve().is_relative_to(STATIC_DIR)]
    assert outside == []


def test_default_pdf_fetcher_is_asked_for_the_logo_and_nothing_else(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[RecordingFetcher] = []

    def recording(*args, **kwargs) -> RecordingFetcher:
        made.append(RecordingFetcher(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(render, "PackageOnlyFetcher", recording)
    inventory, findings = hostile_assessment()
    view = build_view_model(inventory, findings, load_branding(SAMPLE / "branding.toml"))
    render_pdf(view, tmp_path / "branded.pdf")
    assert [fetcher.calls for fetcher in made] == [[(SAMPLE / "logo.svg").resolve().as_uri()]]


def test_fetcher_serves_package_files_and_the_logo_only(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n")
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the report")
    escape = STATIC_DIR / "escape-link.css"
    fetcher = PackageOnlyFetcher(allowed_files=(logo,))
    assert fetcher.fetch(logo.as_uri()).read().startswith(b"\x89PNG")
    assert b"@page" in fetcher.fetch((STATIC_DIR / "report.css").as_uri()).read()
    refused = ["http://192.0.2.1/x.png", "https://example.com/a.css", "ftp://192.0.2.1/x",
               "data:text/css,body{}", "file:///etc/passwd", secret.as_uri(),
               "file://192.0.2.1/share/x.png", (STATIC_DIR / ".." / "render.py").as_uri()]
    try:
        escape.symlink_to(secret)
        refused.append(escape.as_uri())
        for url in refused:
            with pytest.raises(FetchRefused):
                fetcher.fetch(url)
    finally:
        escape.unlink(missing_ok=True)


def test_markup_that_slipped_through_still_loads_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Defence in depth: even raw markup asking for remote resources gets none of them."""
    connections: list[object] = []
    monkeypatch.setattr(socket.socket, "connect",
                        lambda self, address, *a, **k: connections.append(address))
    page = (f"<html><head><link rel=stylesheet href=http://192.0.2.1/a.css>"
            "<style>@import url(http://192.0.2.1/b.css); body { background: "
            "url(file:///etc/passwd) } @font-face { font-family: X; src: "
            "url(http://192.0.2.1/f.woff) }</style></head><body>"
            f"{IMG}<img src=file:///etc/hostname><p style='font-family: X'>x</p></body></html>")
    fetcher = RecordingFetcher()
    HTML(string=page, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher).write_pdf(
        tmp_path / "x.pdf")
    assert set(fetcher.calls) == {
        "http://192.0.2.1/a.css", "http://192.0.2.1/b.css", "http://192.0.2.1/f.woff",
        "http://192.0.2.1/x.png", "file:///etc/hostname", "file:///etc/passwd"}
    assert connections == []  # every one of them was refused without touching the network


@needs_poppler
def test_long_unbroken_strings_wrap_inside_the_page(tmp_path: Path) -> None:
    """A 500-character word in a table cell must wrap, not run off the page."""
    inventory, findings = hostile_assessment()
    host = copy.deepcopy(inventory["hosts"][1])
    host["ip"], host["mac"] = "192.168.20.99", "02:00:00:00:00:99"
    host["hostnames"] = ["X" * 190]
    host["services"] = [{"port": p, "protocol": "tcp", "name": "n" * 24, "product": "",
                         "version": ""} for p in range(1, 60)]
    inventory["hosts"].append(host)
    output = tmp_path / "wide.pdf"
    render_pdf(build_view_model(inventory, findings), output)
    # -bbox gives every word's position: nothing may start or end beyond the page width.
    bbox = subprocess.run(["pdftotext", "-bbox", str(output), "-"], check=True,
                          capture_output=True, text=True).stdout
    page_width = float(re.search(r'<page width="([\d.]+)"', bbox).group(1))
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', bbox)]
    assert max(right_edges) <= page_width - 50  # inside the 18 mm (51 pt) right margin
