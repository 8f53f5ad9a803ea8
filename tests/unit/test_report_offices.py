"""Three offices read differently: too small, the sweet spot, too large.

Each office is a small hand-built inventory (``scanner.model`` dataclasses) and an interview,
assessed by the real ``checks.assess.assess`` with the default price book, then rendered. The
report must say the right verdict and speak accordingly: the peer-to-peer office is not sold
the full plan as if it were a fit, the sweet-spot office is, and the large one is pointed to
co-managed IT.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from checks.assess import assess
from reports.render import render_html, render_pdf
from reports.view import ReportView
from reports.viewmodel import build_view_model
from scanner.model import Host, Inventory, ScannerInfo, Service, SnmpInfo, inventory_to_dict

STARTED, FINISHED = "2025-05-06T09:00:00-04:00", "2025-05-06T09:31:00-04:00"
WINDOWS_PORTS = (135, 139, 445)


def _mac(subnet: int, index: int) -> str:
    return f"02:5e:{subnet:02x}:00:{index // 256:02x}:{index % 256:02x}"


def _services(*ports: int, names: dict[int, str] | None = None) -> tuple[Service, ...]:
    known = {22: "ssh", 53: "domain", 80: "http", 88: "kerberos-sec", 135: "msrpc",
             139: "netbios-ssn", 389: "ldap", 443: "https", 445: "microsoft-ds",
             631: "ipp", 3389: "ms-wbt-server", 5000: "http", 9100: "jetdirect"}
    known.update(names or {})
    return tuple(Service(port=port, protocol="tcp", name=known.get(port, "")) for port in ports)


def _pcs(subnet: int, count: int, prefix: str, first: int = 101) -> list[Host]:
    return [Host(ip=f"10.{subnet}.0.{first + i}", mac=_mac(subnet, first + i), vendor="Dell Inc.",
                 hostnames=(f"{prefix}-PC{i + 1:02d}.office.lan",),
                 services=_services(*WINDOWS_PORTS), device_class="workstation",
                 os_family="Windows", confidence=0.9, discovered_by=("arp",))
            for i in range(count)]


def _inventory(client: str, subnet: int, hosts: list[Host]) -> Inventory:
    return Inventory(client=client, targets=(f"10.{subnet}.0.0/24",), hosts=tuple(hosts),
                     gateway=f"10.{subnet}.0.1",
                     scanner=ScannerInfo(ip=f"10.{subnet}.0.250", interface="eth0",
                                         privileged=True),
                     started_at=STARTED, finished_at=FINISHED, complete=True,
                     tool_version="test")


def peer_to_peer_office() -> tuple[Inventory, dict[str, Any]]:
    """Six people on PCs behind the ISP's router, a printer, no server: too small."""
    hosts = [
        Host(ip="10.31.0.1", mac=_mac(31, 1), vendor="TP-LINK TECHNOLOGIES CO.,LTD.",
             services=_services(53, 80, 443), device_class="router", manufacturer="TP-Link",
             model="Archer C7", confidence=0.8, discovered_by=("arp",), is_gateway=True),
        Host(ip="10.31.0.20", mac=_mac(31, 20), vendor="Brother Industries, Ltd.",
             hostnames=("BRN001122.office.lan",), services=_services(80, 631, 9100),
             device_class="printer", manufacturer="Brother", model="HL-L2350DW",
             confidence=0.9, discovered_by=("arp",)),
        *_pcs(31, 6, "STUDIO"),
    ]
    interview = {"company": "Linden Street Design", "industry": "graphic design studio",
                 "regulation": ["none"], "employees": 6, "computer_users": 6, "sites": 1,
                 "remote_workers": 1, "current_support": "friend_or_relative",
                 "monthly_it_spend": 150, "hourly_rate_paid": 90,
                 "downtime_cost_per_hour": 200, "offsite_backup": "yes", "cloud_backup": "no",
                 "last_restore_test": "never", "av_product": "Windows Defender",
                 "ups_devices": [], "email_platform": "google",
                 "line_of_business_apps": ["Adobe Creative Cloud"]}
    return _inventory("Linden Street Design", 31, hosts), interview


def _infrastructure(subnet: int, domain: str) -> list[Host]:
    """A business firewall, a managed switch, a domain controller, a NAS, a UPS, a printer."""
    return [
        Host(ip=f"10.{subnet}.0.1", mac=_mac(subnet, 1), vendor="Fortinet, Inc.",
             services=_services(22, 443), device_class="firewall", manufacturer="Fortinet",
             model="FortiGate 60F", firmware="FortiOS 7.2.8", confidence=0.95,
             discovered_by=("arp",), is_gateway=True),
        Host(ip=f"10.{subnet}.0.2", mac=_mac(subnet, 2), vendor="Hewlett Packard Enterprise",
             hostnames=(f"sw-core.{domain}",), services=_services(22, 443),
             device_class="switch", manufacturer="Aruba", model="Aruba 2930F",
             confidence=0.9, discovered_by=("arp",)),
        Host(ip=f"10.{subnet}.0.5", mac=_mac(subnet, 5), vendor="Dell Inc.",
             hostnames=(f"DC01.{domain}",),
             services=_services(53, 88, 135, 139, 389, 445, 3389), device_class="domain_controller",
             os_family="Windows", confidence=0.95, discovered_by=("arp",)),
        Host(ip=f"10.{subnet}.0.10", mac=_mac(subnet, 10), vendor="Synology Incorporated",
             hostnames=(f"nas01.{domain}",), services=_services(22, 139, 445, 5000),
             device_class="nas", manufacturer="Synology", model="DS920+", confidence=0.9,
             discovered_by=("arp",)),
        Host(ip=f"10.{subnet}.0.11", mac=_mac(subnet, 11), vendor="American Power Conversion",
             services=_services(80, 443) + (Service(161, "udp", "snmp"),),
             snmp=SnmpInfo(version="v2c", community="public", default_community=True,
                           sys_descr="APC Web/SNMP Management Card", sys_name="ups-closet"),
             device_class="ups", manufacturer="APC", model="Smart-UPS 1500",
             confidence=0.95, discovered_by=("arp",)),
        Host(ip=f"10.{subnet}.0.20", mac=_mac(subnet, 20), vendor="HP Inc.",
             hostnames=(f"printer01.{domain}",), services=_services(80, 443, 631, 9100),
             device_class="printer", manufacturer="HP", model="LaserJet M479",
             confidence=0.9, discovered_by=("arp",)),
    ]


def sweet_spot_office() -> tuple[Inventory, dict[str, Any]]:
    """Fourteen users, a domain controller, a business firewall, no offsite backup."""
    hosts = _infrastructure(32, "harper.lan") + _pcs(32, 12, "HARPER")
    interview = {"company": "Harper & Lowe Insurance", "industry": "insurance agency",
                 "regulation": ["none"], "employees": 15, "computer_users": 14, "sites": 1,
                 "remote_workers": 2, "current_support": "break_fix", "monthly_it_spend": 700,
                 "hourly_rate_paid": 135, "downtime_cost_per_hour": 900, "offsite_backup": "no",
                 "cloud_backup": "no", "last_restore_test": "never",
                 "av_product": "Windows Defender", "ups_devices": ["server", "firewall"],
                 "email_platform": "microsoft365", "line_of_business_apps": ["Applied Epic"]}
    return _inventory("Harper & Lowe Insurance", 32, hosts), interview


def large_office() -> tuple[Inventory, dict[str, Any]]:
    """140 users with their own IT staff: more than a small-office plan is built for."""
    hosts = _infrastructure(33, "meridian.lan") + _pcs(33, 40, "MERIDIAN") + [
        Host(ip="10.33.0.6", mac=_mac(33, 6), vendor="Dell Inc.", hostnames=("DC02.meridian.lan",),
             services=_services(53, 88, 135, 139, 389, 445), device_class="domain_controller",
             os_family="Windows", confidence=0.95, discovered_by=("arp",)),
        Host(ip="10.33.0.7", mac=_mac(33, 7), vendor="Dell Inc.", hostnames=("esx01.meridian.lan",),
             services=_services(22, 443), device_class="hypervisor", manufacturer="VMware",
             model="ESXi 8.0", confidence=0.9, discovered_by=("arp",))]
    interview = {"company": "Meridian Logistics", "industry": "freight forwarding",
                 "regulation": ["pci"], "employees": 160, "computer_users": 140, "sites": 3,
                 "remote_workers": 25, "current_support": "in_house_it",
                 "monthly_it_spend": 9000, "downtime_cost_per_hour": 6000,
                 "offsite_backup": "yes", "cloud_backup": "yes",
                 "last_restore_test": "2025-02-10", "av_product": "CrowdStrike Falcon",
                 "ups_devices": ["server", "firewall", "switch"],
                 "email_platform": "microsoft365", "line_of_business_apps": ["CargoWise"]}
    return _inventory("Meridian Logistics", 33, hosts), interview


OFFICES = {"too_small": peer_to_peer_office, "sweet_spot": sweet_spot_office,
           "too_large": large_office}


def report_view(office: str) -> ReportView:
    inventory, interview = OFFICES[office]()
    findings = assess(inventory, interview)
    return build_view_model(inventory_to_dict(inventory), findings)


def words(html: str) -> str:
    """The visible text of an HTML page, whitespace collapsed."""
    text = re.sub(r"<style>.*?</style>|<svg.*?</svg>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text).replace("&amp;", "&").replace("&#39;", "'")
    return re.sub(r"\s+", " ", text)


@functools.cache
def rendered(office: str) -> tuple[ReportView, str]:
    """An office's view-model and the visible text of its HTML report (made once)."""
    view = report_view(office)
    return view, words(render_html(view))


@pytest.mark.parametrize("office", sorted(OFFICES))
def test_each_office_gets_its_verdict(office: str) -> None:
    view, text = rendered(office)
    assert view.verdict.code == office
    assert view.verdict.label in text and view.verdict.sentence in text
    assert "What we propose " + view.plan.summary in text


def test_the_too_small_office_is_not_sold_the_plan_as_a_fit() -> None:
    view, text = rendered("too_small")
    plan = view.plan
    assert plan.stance == "not_yet" and plan.summary.startswith("One-time fixes, about $")
    assert "We recommend the" not in text and "go ahead with the" not in text
    assert "we do not suggest signing up for one today" in text
    # The one-time work is the offer; the plan follows it, for reference, with no sales pitch.
    assert text.index("One-time work") < text.index("For reference: what a managed plan")
    assert "Plans we offer" not in text and "Why this plan" not in text
    assert "paying by the hour is the better value" in plan.comparison.headline
    assert "The one-time fixes in this report, at the estimate shown." in text


def test_the_sweet_spot_office_is_offered_the_plan() -> None:
    view, text = rendered("sweet_spot")
    plan = view.plan
    assert plan.stance == "recommend"
    assert f"We recommend the {plan.tier_name} plan" in text
    assert f"{plan.monthly} a month" in text and "proposed" in text and "Plans we offer" in text
    assert f"go ahead with the {plan.tier_name} plan" in text
    assert text.index("What the plan includes") < text.index("One-time work")
    assert plan.comparison.chart is not None and plan.comparison.downtime_known


def test_the_large_office_is_pointed_to_co_managed_it() -> None:
    view, text = rendered("too_large")
    assert view.plan.stance == "co_managed"
    assert "We suggest co-managed IT" in text and "your own IT staff" in text
    assert "A scoping meeting for co-managed IT." in text  # what the signature accepts
    assert "We recommend the" not in text and "go ahead with the" not in text
    assert "shown for reference, not as our offer" in text
    assert "Break/fix or flat rate?" in text and 'class="year-chart"' not in render_html(view)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_the_executive_summary_page_says_it_in_print(tmp_path: Path) -> None:
    """One office in print (the longest summary): verdict and proposal on page 3, the page
    of the executive summary. The other two are checked in HTML, to keep the tests quick."""
    view, _ = rendered("too_large")
    output = tmp_path / "too_large.pdf"
    render_pdf(view, output)
    page = subprocess.run(["pdftotext", "-f", "3", "-l", "3", str(output), "-"], check=True,
                          capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", " ", page)
    assert flat.startswith("Executive summary")
    assert view.verdict.label in flat and view.plan.summary in flat
