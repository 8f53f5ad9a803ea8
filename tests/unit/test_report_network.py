"""The network picture of the inventory chapter: every device placed, marked and legible.

The picture is built from the view-model (:mod:`reports.network_view`) and written as inline
SVG by ``_network.html.j2``. It must read for 8 devices and for 250 (the large office of
``bench/report_render.py``), keep every text inside its box, and show what the network handed
us as escaped, bounded text.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest

from bench.report_render import large_assessment
from reports.labels import SEVERITY_COLORS, severity_rank
from reports.network_types import Box, NetworkPicture
from reports.network_view import HEIGHT_BUDGET
from reports.render import render_html, render_pdf
from reports.svgtext import fit_text, text_width
from reports.viewmodel import build_view_model

SAMPLE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "report-sample"
GROUPS = ["Servers & domain", "Storage & backup", "Power", "Printers", "Workstations",
          "Phones & IoT", "Unidentified"]
SVG = re.compile(r'<svg [^>]*class="network-picture".*?</svg>', re.S)


def load(name: str) -> dict:
    return json.loads((SAMPLE / name).read_text(encoding="utf-8"))


def no_findings(client: str) -> dict:
    return {"schema_version": "1.0", "client": client, "findings": [], "checks": [],
            "scores": {"overall": {"score": None}, "areas": {}, "weights": {}, "bands": []},
            "verdict": {"verdict": "need_more_information", "reasons": [], "criteria": []}}


def host(ip: str, device_class: str, name: str = "", **extra: object) -> dict:
    return {"ip": ip, "mac": None, "vendor": None, "hostnames": [name] if name else [],
            "device_class": device_class, "services": [], **extra}


def small_office() -> dict:
    """Eight devices: the ISP's router, a printer, six PCs; no switch answers."""
    hosts = [host("10.0.0.1", "router", is_gateway=True, manufacturer="TP-Link",
                  model="Archer C7"),
             host("10.0.0.20", "printer", "BRN001122.office.lan")]
    hosts += [host(f"10.0.0.{101 + i}", "workstation", f"STUDIO-PC{i + 1:02d}.office.lan")
              for i in range(6)]
    return {"schema_version": "1.3", "client": "Linden Street Design",
            "targets": ["10.0.0.0/24"], "hosts": hosts, "complete": True}


def picture_of(inventory: dict, findings: dict | None = None) -> NetworkPicture:
    view = build_view_model(inventory, findings or no_findings(inventory["client"]))
    assert view.network is not None
    return view.network


def texts(picture: NetworkPicture) -> list[str]:
    return ([label.text for box in picture.boxes for label in box.labels]
            + [label.text for panel in picture.panels for label in panel.labels]
            + [label.text for label in picture.labels])


def device_boxes(picture: NetworkPicture) -> list[Box]:
    """The boxes of single devices (not the internet, the gateway, or a count)."""
    return [box for box in picture.boxes[2:] if not box.segments]


def assert_legible(picture: NetworkPicture) -> None:
    """Every box inside the drawing, every text inside its box (or the drawing)."""
    for box in picture.boxes:
        assert 0 <= box.x and box.x + box.width <= picture.width + 0.01, box.description
        assert 0 <= box.y and box.y + box.height <= picture.height + 0.01, box.description
        for label in box.labels:
            width = text_width(label.text, label.size, bold=label.bold, mono=label.mono)
            left = label.x - (width / 2 if label.anchor == "middle" else 0)
            assert box.x <= left and left + width <= box.x + box.width + 0.01, label.text
        if box.marker:
            assert box.marker.x + box.marker.radius <= box.x + box.width
    for label in picture.labels + tuple(lab for p in picture.panels for lab in p.labels):
        width = text_width(label.text, label.size, bold=label.bold, mono=label.mono)
        left = label.x - {"start": 0, "middle": width / 2, "end": width}[label.anchor]
        assert 0 <= left and left + width <= picture.width + 0.01, label.text
    assert picture.height <= HEIGHT_BUDGET


@pytest.fixture(scope="module")
def sample() -> NetworkPicture:
    return picture_of(load("inventory.json"), load("findings.json"))


def test_the_sample_office_is_drawn_device_by_device_in_its_groups(sample) -> None:
    inventory = load("inventory.json")
    shown = texts(sample)
    for device in inventory["hosts"]:
        assert device["ip"] in shown or any(device["ip"] in box.labels[1].text
                                            for box in sample.boxes[1:2]), device["ip"]
    gateway = sample.boxes[1]
    assert gateway.description.startswith("The gateway: SonicWall TZ 400, 192.168.20.1")
    assert "192.168.20.1 · Firewall, the way out to the internet" in shown
    gear = {box.labels[0].text: box.labels[2].text for box in sample.boxes
            if len(box.labels) == 3 and box.labels[2].text in ("Switch", "Access point")}
    assert gear == {"sw-core": "Switch", "ap-front": "Access point"}
    assert [panel.labels[0].text for panel in sample.panels] == GROUPS
    assert len(device_boxes(sample)) == len(inventory["hosts"]) - 1  # all but the gateway
    assert sample.summarised == ()
    assert "Office network · 192.168.20.0/24" in shown
    assert_legible(sample)


def test_devices_are_marked_by_their_most_serious_open_issue(sample) -> None:
    findings = load("findings.json")
    expected: dict[str, tuple[str, set[str]]] = {}
    for result in findings["findings"]:
        if result["status"] != "FAIL" or not result["ip"] or result["severity"] == "info":
            continue
        worst, checks = expected.get(result["ip"], (result["severity"], set()))
        if severity_rank(result["severity"]) < severity_rank(worst):
            worst = result["severity"]
        expected[result["ip"]] = (worst, checks | {result["check_id"]})
    marked = {box.labels[1].text: box for box in device_boxes(sample) if box.marker}
    assert set(marked) == set(expected)
    for ip, (severity, checks) in expected.items():
        box = marked[ip]
        assert box.marker.color == box.stripe == SEVERITY_COLORS[severity]
        assert box.marker.count == str(len(checks))
    assert marked["192.168.20.2"].description == (
        "sw-core, 192.168.20.2, Switch: 2 open issues, the most serious high")
    assert sample.marked == len(expected)


def test_an_eight_device_office_without_switches(tmp_path: Path) -> None:
    picture = picture_of(small_office())
    shown = texts(picture)
    assert picture.summarised == ()
    assert len(device_boxes(picture)) == 7
    assert "No switch or access point answered the scan" in shown
    assert "TP-Link Archer C7" in shown and "STUDIO-PC06" in shown
    assert [panel.labels[0].text for panel in picture.panels] == ["Printers", "Workstations"]
    assert not any(box.marker for box in picture.boxes)
    assert_legible(picture)


def test_a_250_device_office_is_summarised_to_fit_one_page() -> None:
    inventory, findings = large_assessment()
    picture = picture_of(inventory, findings)
    assert_legible(picture)
    assert "101 workstations" in picture.summarised
    assert not any(name.endswith(" servers") for name in picture.summarised), \
        "servers are the last group to be summarised"
    # every device is somewhere: the gateway, a box of its own, or counted in a summary
    counted = sum(int(box.description.split(" ", 1)[0]) for box in picture.boxes[2:]
                  if box.segments)
    assert 1 + len(device_boxes(picture)) + counted == 250
    summary = next(box for box in picture.boxes if box.labels[0].text == "101 workstations")
    assert summary.labels[1].text == "10.1.0.10 – 10.1.1.50"
    assert summary.labels[2].text.startswith("Most serious issue: ")
    bar = summary.segments
    assert sum(segment.width for segment in bar) == pytest.approx(
        bar[-1].x + bar[-1].width - bar[0].x, abs=0.05), "the parts of the bar touch"
    assert {box.labels[0].text for box in picture.boxes[2:5]} == {
        "15 switches", "15 access points", "14 routers & firewalls"}


def test_without_a_gateway_the_picture_says_so() -> None:
    inventory = small_office()
    inventory["hosts"][0]["is_gateway"] = False
    gateway = picture_of(inventory).boxes[1]
    assert gateway.dashed and gateway.labels[0].text == "Gateway not identified"
    inventory["gateway"] = "10.0.0.254"
    gateway = picture_of(inventory).boxes[1]
    assert gateway.labels[1].text == "10.0.0.254: did not answer the scan"


def test_the_view_from_outside_is_noted_beside_the_internet() -> None:
    inventory = small_office()
    inventory["wan_view"] = {"target": "203.0.113.7", "services": [
        {"port": 443, "protocol": "tcp", "name": "https"},
        {"port": 3389, "protocol": "tcp", "name": "ms-wbt-server"}]}
    picture = picture_of(inventory)
    assert [label.text for label in picture.labels[:2]] == [
        "Seen from outside: 203.0.113.7", "2 ports open: 443/https, 3389/rdp"]
    assert_legible(picture)


HOSTILE = ["<script>alert(1)</script>", 'A&B "quoted" \'single\' <b>x</b>',
           "W" * 190, "ctl\x00\x1b[31m\u202ename"]


def hostile_office() -> dict:
    inventory = small_office()
    for device, name in zip(inventory["hosts"][1:], HOSTILE, strict=False):
        device["hostnames"] = [name]
    inventory["hosts"][0]["model"] = "<img src=http://192.0.2.1/x.png>"
    inventory["targets"] = ['10.0.0.0/24" onload="x']
    inventory["wan_view"] = {"target": "<i>203.0.113.7</i>", "services": []}
    return inventory


def test_network_strings_are_escaped_and_bounded_in_the_svg() -> None:
    inventory = hostile_office()
    picture = picture_of(inventory)
    assert_legible(picture)
    long_name = next(t for t in texts(picture) if t.startswith("WWW"))
    assert long_name.endswith("…") and len(long_name) < 30
    html = render_html(build_view_model(inventory, no_findings(inventory["client"])))
    svg = SVG.search(html).group(0)
    root = ElementTree.fromstring(svg)  # well-formed: every string escaped
    assert "<script" not in svg and "<img" not in svg and "<b>" not in svg and "<i>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "A&amp;B &#34;quoted&#34; &#39;single&#39;" in svg
    assert 'onload="x' not in svg and "\x00" not in svg and "\x1b" not in svg
    assert "\u202e" not in svg
    drawn = [element.text or "" for element in root.iter("{http://www.w3.org/2000/svg}text")]
    assert max(len(text) for text in drawn) < 80
    titles = [element.text for element in root.iter("{http://www.w3.org/2000/svg}title")]
    assert any(title.startswith("W" * 190) for title in titles)  # the full name, bounded


def test_fit_text_cuts_with_an_ellipsis() -> None:
    assert fit_text("sw-core", 100, 8) == "sw-core"
    cut = fit_text("Google Nest Learning Thermostat", 80, 8)
    assert cut.endswith("…") and text_width(cut, 8) <= 80
    assert fit_text("x" * 10, 1, 8) == ""
    assert text_width("WM", 10, bold=True) > text_width("il", 10)


def test_no_devices_no_picture() -> None:
    inventory = small_office()
    inventory["hosts"] = []
    view = build_view_model(inventory, no_findings(inventory["client"]))
    assert view.network is None
    html = render_html(view)
    assert 'class="network-picture"' not in html and "Network picture" not in html


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_the_picture_is_text_in_the_pdf(tmp_path: Path) -> None:
    inventory = copy.deepcopy(small_office())
    output = tmp_path / "small.pdf"
    render_pdf(build_view_model(inventory, no_findings(inventory["client"])), output)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(output), "-"], check=True,
                          capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", " ", text)
    assert "6.1 Network picture" in flat and "6.2 Every device" in flat
    for words in ("Internet", "TP-Link Archer C7", "STUDIO-PC06", "10.0.0.106", "Workstations"):
        assert words in flat, words
    # the picture comes before the table of devices
    assert flat.index("STUDIO-PC06") < flat.index("6.2 Every device")


def test_a_switch_heard_by_lldp_is_drawn_with_the_laptop_s_port() -> None:
    inventory = small_office()
    inventory["hosts"].append(host("10.77.0.2", "switch", "SW-OFFICE-01", mac="00:1b:54:77:0c:09",
                                   switch_port="Gi1/0/12 (Office wall port 12)",
                                   discovered_by=["lldp"]))
    picture = picture_of(inventory)
    shown = texts(picture)
    assert "SW-OFFICE-01" in shown
    assert "laptop on port Gi1/0/12 (Office wall port 12)" in shown
    assert "No switch or access point answered the scan" not in shown
    assert_legible(picture)
