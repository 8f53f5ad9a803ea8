"""Identification accuracy against 29 recordings of real devices, served by snmpsim on 127.0.0.1.

Each recording in ``tests/fixtures/snmprec`` (LibreNMS test data, see PROVENANCE.md there) is
queried through :func:`scanner.snmp.query.query_system_groups` with the deeper collection on, the
answer is put on a ``Host`` and classified, and the class, manufacturer and model are compared
with :data:`EXPECTED`. SNMP traffic goes to 127.0.0.1 only, to the snmpsim process this module
starts on a free port and stops by its PID.
"""

from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

from scanner.folder import validate
from scanner.identify import classify
from scanner.identify.walk import identify_file
from scanner.model import Host, Inventory, SnmpInfo, inventory_from_dict, inventory_to_dict
from scanner.snmp.query import SnmpOptions, query_system_groups

# pysnmp builds pysmi's MIB compiler with pysmi's deprecated method names; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:add\\w+ is deprecated:DeprecationWarning")

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "snmprec"
SNMPSIM = Path(sys.executable).parent / "snmpsim-command-responder"
LOCALHOST = "127.0.0.1"  # the only address these tests ever send SNMP to
START_SECONDS = 30.0
REQUEST_TIMEOUT = 1.0
DETAIL_SECONDS = 5.0
WORKERS = 4

# MANIFEST.tsv class -> sitewalk device class.
CLASS_MAP = {"firewall": "firewall", "router": "router", "switch": "switch", "ap": "access_point",
             "nas": "nas", "ups": "ups", "printer": "printer", "hypervisor": "hypervisor",
             "phone": "phone", "backup": "backup_appliance", "server": "server"}
CLASS_EXCEPTIONS = {"drac_r640": "bmc"}  # MANIFEST says server; the recording is its iDRAC

# recording -> (device class, manufacturer, model). Derived from MANIFEST.tsv and checked
# against the data. Where they differ from MANIFEST's vendor column, the recording says who
# made the hardware: vmware-esxi runs on an HP ProLiant (ENTITY-MIB), windows on a Dell
# PowerEdge (OpenManage). None: the recording holds no such fact (linux names no maker, the
# Windows Server 2019 agent names no hardware model).
EXPECTED: dict[str, tuple[str, str | None, str | None]] = {
    "aruba-instant_105": ("access_point", "Aruba", "AP-105"),
    "unifi_nanohd": ("access_point", "Ubiquiti", "UAP-nanoHD"),
    "exagridos": ("backup_appliance", "ExaGrid", "EX40000E-SEC"),
    "asa": ("firewall", "Cisco", "ASA 5555-X"),
    "fortigate_60f": ("firewall", "Fortinet", "FortiGate 60F"),
    "opnsense_vm": ("firewall", "Deciso", "OPNsense"),
    "pfsense_frr-bgp": ("firewall", "Netgate", "pfSense"),
    "sonicwall_sonicos7": ("firewall", "SonicWall", "TZ 570"),
    "sophos-xg": ("firewall", "Sophos", "XG Firewall virtual appliance (SFVH)"),
    "vmware-esxi": ("hypervisor", "HP", "ProLiant DL380p Gen8"),
    "dsm_ds214se-dsm7": ("nas", "Synology", "DS214se"),
    "qnap": ("nas", "QNAP", "TVS-871U-RP"),
    "grandstream-ht_ht802": ("phone", "Grandstream", "HT802"),
    "brother_hl5370dw": ("printer", "Brother", "HL-5370DW"),
    "jetdirect_m252dw": ("printer", "HP", "Color LaserJet Pro M252dw"),
    "xerox": ("printer", "Xerox", "AltaLink C8045"),
    "edgeos_erl": ("router", "Ubiquiti", "EdgeRouter Lite"),
    "routeros_rb750gr3": ("router", "MikroTik", "RB750Gr3"),
    "drac_r640": ("bmc", "Dell", "iDRAC on PowerEdge R640"),
    "linux": ("server", None, None),
    "windows": ("server", "Dell", "PowerEdge 2650"),
    "windows_svr_2019_1809": ("server", "Microsoft", None),
    "ciscosb_sg350-10": ("switch", "Cisco", "SG350-10"),
    "edgeswitch_usw-5-flex-v2": ("switch", "Ubiquiti", "USW-Flex"),
    "ios_nac": ("switch", "Cisco", "Catalyst 2960"),
    "netgear": ("switch", "Netgear", "GS724Tv4"),
    "procurve_nac": ("switch", "HP", "2530-48G (J9775A)"),
    "apc_smt750x-nmc2": ("ups", "APC", "Smart-UPS X 750"),
    "eaton-mgeups_9px": ("ups", "Eaton", "9PX 1000i RT 2U"),
}
DEFECTIVE = ("windows_svr_2019_1809", "sophos-xg")
SYNTHETIC = "sitewalk/server_agents"


def _manifest() -> dict[str, dict[str, str]]:
    with (FIXTURES / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return {row["file"].removesuffix(".snmprec"): row for row in rows}


def _free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind((LOCALHOST, 0))
        return probe.getsockname()[1]


def _options(community: str, port: int) -> SnmpOptions:
    return SnmpOptions(communities=(community,), port=port, timeout=REQUEST_TIMEOUT, retries=0,
                       detail_seconds=DETAIL_SECONDS)


def _wait_until_ready(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:  # bounded: one short GET per round
        if process.poll() is not None:
            pytest.fail(f"snmpsim exited with {process.returncode}:\n{log.read_text()[-2000:]}")
        answer = query_system_groups([LOCALHOST], SnmpOptions(
            communities=("linux",), port=port, timeout=0.5, retries=0, details=False))
        if isinstance(answer[LOCALHOST], SnmpInfo):
            return
        time.sleep(0.2)
    pytest.fail(f"snmpsim not ready after {START_SECONDS:g} s:\n{log.read_text()[-2000:]}")


@pytest.fixture(scope="session")
def snmpsim_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """snmpsim serving tests/fixtures/snmprec on 127.0.0.1:<free port>, stopped by its PID."""
    if not SNMPSIM.exists():
        pytest.skip(f"snmpsim is not installed next to {sys.executable}")
    work = tmp_path_factory.mktemp("snmpsim")
    port = _free_udp_port()
    log = work / "snmpsim.log"
    with log.open("wb") as log_handle:
        process = subprocess.Popen(
            [str(SNMPSIM), f"--data-dir={FIXTURES}", f"--cache-dir={work / 'cache'}",
             f"--agent-udpv4-endpoint={LOCALHOST}:{port}"],
            env={**os.environ, "SNMPSIM_ALLOW_ROOT": "true"},
            stdout=log_handle, stderr=subprocess.STDOUT)
    try:
        _wait_until_ready(process, port, log)
        yield port
    finally:
        process.terminate()  # this process only, by its PID
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _ask(community: str, port: int) -> tuple[SnmpInfo | str, float]:
    started = time.monotonic()
    answer = query_system_groups([LOCALHOST], _options(community, port))
    return answer[LOCALHOST], time.monotonic() - started


@pytest.fixture(scope="session")
def answers(snmpsim_port: int) -> dict[str, tuple[SnmpInfo | str, float]]:
    """Recording -> (what query_system_groups returned, seconds it took).

    Asked from a few worker processes at once: the client's work is CPU-bound (pysnmp), so
    threads would only queue behind the GIL.
    """
    recordings = [*EXPECTED, SYNTHETIC]
    with ProcessPoolExecutor(max_workers=WORKERS) as pool:
        results = pool.map(_ask, recordings, [snmpsim_port] * len(recordings))
        return dict(zip(recordings, results, strict=True))


def _host(answers: dict[str, tuple[SnmpInfo | str, float]], recording: str) -> Host:
    info, _seconds = answers[recording]
    assert isinstance(info, SnmpInfo), f"{recording}: no SNMP answer: {info}"
    return classify(Host(ip=LOCALHOST, snmp=info))


def test_expected_table_covers_every_recording_and_follows_the_manifest() -> None:
    manifest = _manifest()
    on_disk = {path.stem for path in FIXTURES.glob("*.snmprec")}
    assert set(EXPECTED) == set(manifest) == on_disk
    assert len(EXPECTED) == 29
    for recording, (device_class, _maker, _model) in EXPECTED.items():
        wanted = CLASS_EXCEPTIONS.get(recording) or CLASS_MAP[manifest[recording]["class"]]
        assert device_class == wanted, recording


@pytest.mark.parametrize("recording", sorted(EXPECTED))
def test_recording_is_identified(answers: dict[str, tuple[SnmpInfo | str, float]],
                                 recording: str) -> None:
    host = _host(answers, recording)
    got = (host.device_class, host.manufacturer, host.model)
    assert got == EXPECTED[recording], "\n".join(host.evidence)
    assert host.vendor is None  # vendor stays the MAC registry's; there is no MAC here
    assert host.evidence and all("→" in line for line in host.evidence)


@pytest.mark.parametrize("recording", DEFECTIVE)
def test_defective_recordings_cost_bounded_time_and_still_identify(
        answers: dict[str, tuple[SnmpInfo | str, float]], recording: str) -> None:
    _info, seconds = answers[recording]
    assert seconds < DETAIL_SECONDS + 2 * REQUEST_TIMEOUT + 1.0
    host = _host(answers, recording)
    assert (host.device_class, host.manufacturer) == EXPECTED[recording][:2]


def test_unanswered_deep_requests_are_reported_not_raised(
        answers: dict[str, tuple[SnmpInfo | str, float]]) -> None:
    info, _seconds = answers["windows_svr_2019_1809"]
    assert isinstance(info, SnmpInfo)
    assert any("no response" in note for note in info.detail_errors)
    assert info.sys_object_id == "1.3.6.1.4.1.311.1.1.3.1.2"  # the system group is kept


def test_out_of_order_vendor_oids_are_still_read_by_get(
        answers: dict[str, tuple[SnmpInfo | str, float]]) -> None:
    info, _seconds = answers["sophos-xg"]
    assert isinstance(info, SnmpInfo)
    assert info.identity["sophos.firmware"] == "18.0.1 MR-1-Build396"
    assert info.serial_number == "C01001GF24TPDE1"


def test_ups_state_from_powernet_and_rfc1628(
        answers: dict[str, tuple[SnmpInfo | str, float]]) -> None:
    apc, _ = answers["apc_smt750x-nmc2"]
    eaton, _ = answers["eaton-mgeups_9px"]
    assert isinstance(apc, SnmpInfo) and isinstance(eaton, SnmpInfo)
    assert (apc.ups_battery_status, apc.ups_output_source, apc.ups_runtime_minutes,
            apc.ups_charge_percent, apc.ups_load_percent) == ("normal", "normal", 1829, 100, 0)
    assert apc.serial_number == "AS1907242163"
    assert (eaton.ups_battery_status, eaton.ups_output_source, eaton.ups_runtime_minutes,
            eaton.ups_charge_percent, eaton.ups_load_percent) == ("normal", "normal", 24, 100, 35)
    assert eaton.identity["ups.manufacturer"] == "EATON"


def test_printer_supplies_and_hardware_identity(
        answers: dict[str, tuple[SnmpInfo | str, float]]) -> None:
    hp, _ = answers["jetdirect_m252dw"]
    brother, _ = answers["brother_hl5370dw"]
    qnap, _ = answers["qnap"]
    windows, _ = answers["windows"]
    assert isinstance(hp, SnmpInfo) and isinstance(brother, SnmpInfo)
    assert isinstance(qnap, SnmpInfo) and isinstance(windows, SnmpInfo)
    assert hp.printer_supplies == {"Black Cartridge HP CF400X": 63, "Cyan Cartridge HP CF401X": 63,
                                   "Magenta Cartridge HP CF403X": 88,
                                   "Yellow Cartridge HP CF402X": 36}
    # Brother: level 0 is empty; level -3 ("some left") has no percentage; 17208 of 25000.
    assert brother.printer_supplies == {"Black Toner Cartridge": 0,
                                        "Black Toner Cartridge (1.2)": None, "Drum Unit": 69}
    assert (qnap.serial_number, qnap.identity["entity.software_rev"]) == ("Q157I12451", "4.3.3")
    assert windows.serial_number == "1234567"
    assert classify(Host(ip=LOCALHOST, snmp=qnap)).firmware == "4.3.3"


def test_installed_and_running_software_are_bounded_lists(
        answers: dict[str, tuple[SnmpInfo | str, float]]) -> None:
    info, _seconds = answers[SYNTHETIC]
    assert isinstance(info, SnmpInfo)
    assert info.installed_software == (
        "7-Zip 19.00 (x64)", "Microsoft Visual C++ 2019 X64 Minimum Runtime - 14.29.30133",
        "Notepad++ (64-bit x64)", "Sophos Endpoint Agent", "Veeam Agent for Microsoft Windows")
    assert {"SophosFileScanner.exe", "Veeam.EndPoint.Service.exe"} <= set(info.running_software)
    assert len(info.running_software) < 150  # 150 rows read of 210, duplicates folded
    assert "worker-209.exe" not in info.running_software
    host = classify(Host(ip=LOCALHOST, snmp=info))
    assert (host.device_class, host.manufacturer, host.os_family) == \
        ("server", "Microsoft", "Windows")


def test_unknown_community_is_a_reason_not_an_exception(snmpsim_port: int) -> None:
    answer = query_system_groups([LOCALHOST], SnmpOptions(
        communities=("no-such-recording",), port=snmpsim_port, timeout=0.3, retries=0))
    assert isinstance(answer[LOCALHOST], str) and "timeout" in answer[LOCALHOST]


def test_identified_hosts_fit_the_inventory_schema(
        answers: dict[str, tuple[SnmpInfo | str, float]], tmp_path: Path) -> None:
    hosts = [_host(answers, recording) for recording in [*EXPECTED, SYNTHETIC]]
    hosts = [replace(host, ip=f"10.0.0.{number}") for number, host in enumerate(hosts, 1)]
    inventory = Inventory(client="recordings", targets=("10.0.0.0/24",), hosts=tuple(hosts))
    data = inventory_to_dict(inventory)
    validate(data, "scanner", "inventory.schema.json", tmp_path / "inventory.json")
    assert inventory_from_dict(data) == inventory


@pytest.mark.parametrize("recording", sorted(EXPECTED))
def test_live_collection_identifies_like_the_walk_file(
        answers: dict[str, tuple[SnmpInfo | str, float]], recording: str) -> None:
    """What a scan collects from the agent and what ``sitewalk identify`` reads from the file
    give the same identity (the walk file holds every OID; the scan asks a bounded few)."""
    live = _host(answers, recording)
    offline = identify_file(FIXTURES / f"{recording}.snmprec")
    assert (live.device_class, live.manufacturer, live.model) == \
        (offline.device_class, offline.manufacturer, offline.model), \
        "\n".join(["live:", *live.evidence, "offline:", *offline.evidence])
