"""The standalone HTML report in a real browser: Chromium parses it, draws it, logs nothing.

Needs Debian's ``chromium`` (``apt-get install chromium``; the Makefile's test packages). When
it is missing the tests fail, never skip: the HTML report is what a prospect may open, so CI
must look at it in a browser. Chromium runs with a fresh profile, no sandbox (CI runs as root),
every background service off, and host resolution pointed nowhere, so it cannot reach the
network even if the page asked it to.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from reports.render import render_report

SAMPLE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "report-sample"
CHROMIUM_TIMEOUT = 90  # seconds; a cold start on a slow CI machine takes a few
WINDOW = (1280, 2000)
SECTION_IDS = ("summary", "fit", "offer", "findings", "not-assessed", "inventory", "method",
               "pricing")
# Chromium logs a page's console messages as "...:INFO:CONSOLE:12] "text", source: ..."
CONSOLE_LINE = re.compile(r"\bCONSOLE[:(]\d+|Uncaught")


def chromium_binary() -> str:
    found = shutil.which("chromium") or ("/usr/bin/chromium"
                                         if Path("/usr/bin/chromium").exists() else None)
    if found is None:
        pytest.fail("Chromium is not installed: install Debian's 'chromium' package "
                    "(apt-get install chromium) to test the HTML report in a browser",
                    pytrace=False)
    return found


def run_chromium(page: Path, profile: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """Headless Chromium on one local page, with a new profile and nothing in the background."""
    command = [
        chromium_binary(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-extensions", "--hide-scrollbars",
        "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={profile}",
        "--enable-logging=stderr", "--v=0", *options, page.as_uri(),
    ]
    try:
        return subprocess.run(command, capture_output=True, text=True,
                              timeout=CHROMIUM_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"Chromium did not finish within {CHROMIUM_TIMEOUT} s", pytrace=False)


def console_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if CONSOLE_LINE.search(line)]


def png_size_and_colours(path: Path) -> tuple[int, int, int]:
    """Width, height and how many distinct byte values the image data holds (a blank page
    holds a handful; a drawn report hundreds)."""
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n"), "not a PNG file"
    width, height = struct.unpack(">II", data[16:24])
    chunks, offset = [], 8
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        if kind == b"IDAT":
            chunks.append(data[offset + 8:offset + 8 + length])
        offset += 12 + length
    pixels = zlib.decompress(b"".join(chunks))
    return width, height, len(set(pixels))


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("browser")
    return render_report(SAMPLE, "html", folder / "report.html", SAMPLE / "branding.toml")


def test_the_report_draws_in_chromium_without_console_errors(
        page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    done = run_chromium(page, tmp_path / "profile", f"--screenshot={shot}",
                        f"--window-size={WINDOW[0]},{WINDOW[1]}")
    assert shot.exists(), f"no screenshot; Chromium said:\n{done.stderr[-2000:]}"
    width, height, colours = png_size_and_colours(shot)
    assert (width, height) == WINDOW
    assert shot.stat().st_size > 30_000 and colours > 100, "the screenshot looks blank"
    assert console_lines(done.stderr) == []


def test_the_dom_chromium_parsed_has_every_section(page: Path, tmp_path: Path) -> None:
    done = run_chromium(page, tmp_path / "profile", "--dump-dom")
    dom = done.stdout
    assert "<html" in dom[:100] and dom.rstrip().endswith("</html>"), done.stderr[-2000:]
    for anchor in SECTION_IDS:
        assert f'id="{anchor}"' in dom, anchor
    assert re.search(r'<svg class="year-chart"[^>]*>.*?<rect', dom, re.S)
    assert '<svg class="gauge"' in dom
    assert "<script" not in dom.lower()
    assert "Accepted by, for Whitfield &amp; Moreno CPAs" in dom
    assert console_lines(done.stderr) == []


def test_a_console_error_would_be_seen(tmp_path: Path) -> None:
    """The check above can fail: a page that logs an error shows up in Chromium's log."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><title>x</title><script>console.error('boom');"
                   "undefined_function();</script>", encoding="utf-8")
    done = run_chromium(bad, tmp_path / "profile", "--dump-dom")
    lines = console_lines(done.stderr)
    assert any("boom" in line for line in lines) and any("Uncaught" in line for line in lines)
