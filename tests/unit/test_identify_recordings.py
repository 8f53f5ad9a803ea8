"""Every SNMP recording of a real device is identified offline: class, maker and model.

The 115 recordings in ``tests/fixtures/snmprec`` and ``tests/fixtures/snmprec-more`` (LibreNMS
test data, see the README and MANIFEST.tsv there) are read as walk files, without snmpsim, and
identified the way ``sitewalk identify`` does. :data:`EXPECTED` follows each MANIFEST's vendor,
model and class columns, in sitewalk's class names (:data:`CLASS_MAP`); BMC recordings the
MANIFEST files under "server" are BMCs here. The model is asserted where the recording holds
it; None where it does not (the class and maker are still asserted). A set of makers accepts a
rebadged device under either name (a Minuteman UPS reports the Delta card that runs it).
How well this generalises to devices no product entry names is measured by
``bench/identify_generalisation.py``, not here.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from scanner.identify.walk import identify_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CLASS_MAP = {"firewall": "firewall", "router": "router", "switch": "switch", "ap": "access_point",
             "wlc": "access_point", "nas": "nas", "ups": "ups", "pdu": "pdu",
             "printer": "printer", "hypervisor": "hypervisor", "phone": "phone",
             "camera": "camera", "sensor": "iot", "backup": "backup_appliance",
             "server": "server"}
BMC = {"snmprec/drac_r640", "snmprec-more/drac_r540", "snmprec-more/fujitsu-irmc_rx300",
       "snmprec-more/hpe-ilo_4", "snmprec-more/ibm-imm_x3550m3",
       "snmprec-more/supermicro-bmc_x11", "snmprec-more/xclarity_lenovoxcc"}

# recording -> (device class, manufacturer or set of accepted names, model or None)
EXPECTED: dict[str, tuple[str, str | set[str] | None, str | None]] = {
    "snmprec/aruba-instant_105": ("access_point", "Aruba", "AP-105"),
    "snmprec/unifi_nanohd": ("access_point", "Ubiquiti", "UAP-nanoHD"),
    "snmprec/exagridos": ("backup_appliance", "ExaGrid", "EX40000E-SEC"),
    "snmprec/asa": ("firewall", "Cisco", "ASA 5555-X"),
    "snmprec/fortigate_60f": ("firewall", "Fortinet", "FortiGate 60F"),
    "snmprec/opnsense_vm": ("firewall", "Deciso", "OPNsense"),
    "snmprec/pfsense_frr-bgp": ("firewall", "Netgate", "pfSense"),
    "snmprec/sonicwall_sonicos7": ("firewall", "SonicWall", "TZ 570"),
    "snmprec/sophos-xg": ("firewall", "Sophos", "XG Firewall virtual appliance (SFVH)"),
    "snmprec/vmware-esxi": ("hypervisor", "HP", "ProLiant DL380p Gen8"),
    "snmprec/dsm_ds214se-dsm7": ("nas", "Synology", "DS214se"),
    "snmprec/qnap": ("nas", "QNAP", "TVS-871U-RP"),
    "snmprec/grandstream-ht_ht802": ("phone", "Grandstream", "HT802"),
    "snmprec/brother_hl5370dw": ("printer", "Brother", "HL-5370DW"),
    "snmprec/jetdirect_m252dw": ("printer", "HP", "Color LaserJet Pro M252dw"),
    "snmprec/xerox": ("printer", "Xerox", "AltaLink C8045"),
    "snmprec/edgeos_erl": ("router", "Ubiquiti", "EdgeRouter Lite"),
    "snmprec/routeros_rb750gr3": ("router", "MikroTik", "RB750Gr3"),
    "snmprec/drac_r640": ("bmc", "Dell", "iDRAC on PowerEdge R640"),
    "snmprec/linux": ("server", None, None),
    "snmprec/windows": ("server", "Dell", "PowerEdge 2650"),
    "snmprec/windows_svr_2019_1809": ("server", "Microsoft", None),
    "snmprec/ciscosb_sg350-10": ("switch", "Cisco", "SG350-10"),
    "snmprec/edgeswitch_usw-5-flex-v2": ("switch", "Ubiquiti", "USW-Flex"),
    "snmprec/ios_nac": ("switch", "Cisco", "Catalyst 2960"),
    "snmprec/netgear": ("switch", "Netgear", "GS724Tv4"),
    "snmprec/procurve_nac": ("switch", "HP", "2530-48G (J9775A)"),
    "snmprec/apc_smt750x-nmc2": ("ups", "APC", "Smart-UPS X 750"),
    "snmprec/eaton-mgeups_9px": ("ups", "Eaton", "9PX 1000i RT 2U"),
    "snmprec-more/aruba-instant": ("access_point", "Aruba", "AP-225"),
    "snmprec-more/ciscosb": ("access_point", "Cisco", "WAP371"),
    "snmprec-more/fortiap_fap231g": ("access_point", "Fortinet", "FortiAP"),
    "snmprec-more/grandstream-ap_gwn7660": ("access_point", "Grandstream", None),
    "snmprec-more/hiveos-wireless_ap305c-1": ("access_point", "Extreme Networks", "AP305C-1"),
    "snmprec-more/merakimr_cw9176": ("access_point", "Cisco Meraki", "CW9176I"),
    "snmprec-more/ruckuswireless-unleashed_legacy-unleashed": ("access_point", "Ruckus", "R850"),
    "snmprec-more/unifi_ukultra": ("access_point", "Ubiquiti", "UK-Ultra"),
    "snmprec-more/recoveryos_8024s": ("backup_appliance", "Unitrends", None),
    "snmprec-more/axiscam_p1435-le": ("camera", "Axis", "P1435-LE"),
    "snmprec-more/dahua-nvr": ("camera", "Dahua", "DH-NVR4108HS-8P-4KS2"),
    "snmprec-more/hikvision-nvr": ("camera", "Hikvision", None),
    "snmprec-more/vivotek": ("camera", "Vivotek", None),
    "snmprec-more/barracudangfirewall": ("firewall", "Barracuda", "CloudGen Firewall"),
    "snmprec-more/fireware_xtm26w": ("firewall", "WatchGuard", "XTM26-W"),
    "snmprec-more/fortigate_100e": ("firewall", "Fortinet", "FortiGate 100E"),
    "snmprec-more/fortigate_fwf60d": ("firewall", "Fortinet", "FortiWiFi 60D"),
    "snmprec-more/ftd_ftd1150": ("firewall", "Cisco", "Firepower"),
    "snmprec-more/gaia_1100": ("firewall", "Check Point", "Quantum Spark appliance"),
    "snmprec-more/ns-bsd_sn710": ("firewall", "Stormshield", "SN710"),
    "snmprec-more/panos_440": ("firewall", "Palo Alto Networks", "PA-400"),
    "snmprec-more/pfsense": ("firewall", "Netgate", "pfSense"),
    "snmprec-more/sonicwall_4": ("firewall", "SonicWall", "TZ 300 wireless-AC"),
    "snmprec-more/zyxelusg_usgflex100": ("firewall", "Zyxel", "USG FLEX 100H"),
    "snmprec-more/linux_xcp-ng": ("hypervisor", None, None),
    "snmprec-more/dsm": ("nas", "Synology", "RS2212RP+"),
    "snmprec-more/truenas-scale_24.04.2.2": ("nas", "iXsystems", "TrueNAS"),
    "snmprec-more/truenas": ("nas", "iXsystems", "TrueNAS"),
    "snmprec-more/apc_ap7900b": ("pdu", "APC", "AP7900B"),
    "snmprec-more/eatonpdu_2": ("pdu", "Eaton", "MA 36U-C IN: L5-20P 16A 1P OUT: 24x5-20R"),
    "snmprec-more/poweralert_pdu": ("pdu", "Tripp Lite", "PDUMV30HVNETLX"),
    "snmprec-more/raritan-pdu_px2": ("pdu", "Raritan", "PX2"),
    "snmprec-more/vertiv-pdu_mg02e4w1": ("pdu", "Vertiv", None),
    "snmprec-more/allworx_voip": ("phone", "Allworx", "Connect 731"),
    "snmprec-more/fortivoice": ("phone", "Fortinet", "FortiVoice"),
    "snmprec-more/grandstream-ht_ht814v2": ("phone", "Grandstream", None),
    "snmprec-more/panasonic-ns": ("phone", "Panasonic", "KX-NS1000"),
    "snmprec-more/brother": ("printer", "Brother", "MFC-L2710DW"),
    "snmprec-more/epson": ("printer", "Epson", "WF-C5790BA"),
    "snmprec-more/jetdirect": ("printer", "HP", "Color LaserJet M452nw"),
    "snmprec-more/konica_c250i": ("printer", "Konica Minolta", "bizhub C250i"),
    "snmprec-more/okilan_9450g": ("printer", "OKI", "MC873"),
    "snmprec-more/ricoh_mpc3002": ("printer", "Ricoh", "Aficio MP C3002"),
    "snmprec-more/sharp": ("printer", "Sharp", "MX-3570N"),
    "snmprec-more/utax": ("printer", {"UTAX", "Kyocera"}, "P-4532DN"),
    "snmprec-more/draytek": ("router", "DrayTek", "Vigor2920"),
    "snmprec-more/iosxe_isr4321": ("router", "Cisco", "ISR4321/K9"),
    "snmprec-more/pepwave": ("router", "Peplink", "MAX HD4"),
    "snmprec-more/routeros": ("router", "MikroTik", "RouterOS device"),
    "snmprec-more/rutos-2xx": ("router", "Teltonika", "RUT240"),
    "snmprec-more/teldat": ("router", "Teldat", "M1L"),
    "snmprec-more/akcp_serverprobe8": ("iot", "AKCP", "sensorProbe"),
    "snmprec-more/apc-netbotz_netbotz750": ("iot", "APC", "NetBotz 750"),
    "snmprec-more/avtech_roomalert12e": ("iot", "AVTECH", "12E"),
    "snmprec-more/wut_57613": ("iot", "W&T", None),
    "snmprec-more/drac_r540": ("bmc", "Dell", "iDRAC on PowerEdge R540"),
    "snmprec-more/fujitsu-irmc_rx300": ("bmc", "Fujitsu", "iRMC S4"),
    "snmprec-more/hpe-ilo_4": ("bmc", "HPE", "iLO 4"),
    "snmprec-more/ibm-imm_x3550m3": ("bmc", "IBM", None),
    "snmprec-more/linux_supermicro": ("server", "Supermicro", None),
    "snmprec-more/supermicro-bmc_x11": ("bmc", "Supermicro", None),
    "snmprec-more/vmware-vcsa": ("server", "VMware", "vCenter Server Appliance"),
    "snmprec-more/xclarity_lenovoxcc": ("bmc", "Lenovo", "XClarity Controller"),
    "snmprec-more/allied_websmart": ("switch", "Allied Telesis", "AT-GS950/24"),
    "snmprec-more/arubaos-cx_nac": ("switch", "Aruba", "CX 6100 (JL679A)"),
    "snmprec-more/ciscosb_cbs350": ("switch", "Cisco", "CBS350-24P-4G"),
    "snmprec-more/dlink_dgs-1510-28": ("switch", "D-Link", "DGS-1510-28"),
    "snmprec-more/edgeswitch_us-8-v2": ("switch", "Ubiquiti", "US-8"),
    "snmprec-more/fortiswitch_148f-fpoe": ("switch", "Fortinet", "FortiSwitch 148F-F"),
    "snmprec-more/iosxe_c9200l": ("switch", "Cisco", "Catalyst 9200"),
    "snmprec-more/jetstream_t1600g-28ts": ("switch", "TP-Link", "JetStream switch"),
    "snmprec-more/junos_ex": ("switch", "Juniper", "ex3400-48t"),
    "snmprec-more/netgear_3": ("switch", "Netgear", "M4100-D12G"),
    "snmprec-more/powerconnect_n2048-nac": ("switch", "Dell", "N2048"),
    "snmprec-more/swos_css326-24g-2s+": ("switch", "MikroTik", "CSS326-24G-2S+"),
    "snmprec-more/zynos_gs1900-fdb": ("switch", "Zyxel", "GS1900-48"),
    "snmprec-more/apc_smtl1000-nmc3": ("ups", "APC", "Smart-UPS 1000"),
    "snmprec-more/apc_sua1500rmi2u": ("ups", "APC", "Smart-UPS 1500 RM"),
    "snmprec-more/cyberpower_cp1000pfclcd": ("ups", "CyberPower", None),
    "snmprec-more/dell-ups_tower1000w": ("ups", "Dell", "Tower 1000W HV"),
    "snmprec-more/deltaups": ("ups", {"Delta Electronics", "Minuteman"}, None),
    "snmprec-more/eaton-mgeups_5px": ("ups", "Eaton", "5PX 3000"),
    "snmprec-more/netmanplus_204": ("ups", "Riello UPS", "Netman 204"),
    "snmprec-more/socomec-ups": ("ups", "Socomec", None),
    "snmprec-more/ruckuswireless_zd1200": ("access_point", "Ruckus", "ZD1200"),
    "snmprec-more/zyxelwlc_nxc2500": ("access_point", "Zyxel", "NXC2500"),
}


def _manifest() -> dict[str, dict[str, str]]:
    found = {}
    for folder in ("snmprec", "snmprec-more"):
        with (FIXTURES / folder / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                found[f"{folder}/{row['file'].removesuffix('.snmprec')}"] = row
    return found


def test_every_recording_is_in_the_table_with_the_manifest_class() -> None:
    manifest = _manifest()
    assert set(EXPECTED) == set(manifest) and len(EXPECTED) == 115
    for name, (device_class, _maker, _model) in EXPECTED.items():
        wanted = "bmc" if name in BMC else CLASS_MAP[manifest[name]["class"]]
        assert device_class == wanted, name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_recording_is_identified(name: str) -> None:
    host = identify_file(FIXTURES / f"{name}.snmprec")
    device_class, maker, model = EXPECTED[name]
    why = "\n".join(host.evidence)
    assert host.device_class == device_class, why
    assert host.manufacturer in (maker if isinstance(maker, set) else {maker}), why
    if model is not None:
        assert host.model == model, why
    assert host.evidence and all("→" in line for line in host.evidence)
    assert 0.0 < host.confidence <= 1.0
