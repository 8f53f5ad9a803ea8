"""Device identification from SNMP, MAC vendor, ports and the gateway role."""

from __future__ import annotations

from dataclasses import fields

from scanner.identify import classify
from scanner.identify.fuse import model_name
from scanner.identify.knowledge import evidence, families
from scanner.identify.names import consultant_name, enterprise_of, registrant
from scanner.identify.votes import render
from scanner.model import DEVICE_CLASSES, Host, Service, SnmpInfo, TlsCertificate, WebInterface
from scanner.snmp.parse import identity_oids


def _tcp(*ports: int) -> tuple[Service, ...]:
    return tuple(Service(p, "tcp") for p in ports)


def test_sophos_gateway_is_a_firewall() -> None:
    host = classify(Host(ip="192.168.77.1", vendor="Sophos Ltd", is_gateway=True,
                         snmp=SnmpInfo("v2c", "public", True, sys_descr="Linux fw 4.14",
                                       sys_object_id="1.3.6.1.4.1.2604.5")))
    assert (host.device_class, host.manufacturer) == ("firewall", "Sophos")
    assert host.confidence >= 0.9
    assert any("sysObjectID" in line for line in host.evidence)


def test_apc_card_gives_model_and_firmware() -> None:
    descr = ("APC Web/SNMP Management Card (MB:v4.1.0 PF:v7.0.8 PN:apc_hw05_aos_708.bin "
             "AF1:v7.0.8 AN1:apc_hw05_sumx_708.bin MN:AP9631 HR:05 SN: 5A1234E56789)")
    host = classify(Host(ip="10.0.0.3", snmp=SnmpInfo("v2c", "public", True, sys_descr=descr,
                                                       sys_object_id="1.3.6.1.4.1.318.1.3.27")))
    assert (host.device_class, host.manufacturer, host.model, host.firmware) == \
        ("ups", "APC", "AP9631", "7.0.8")


def test_ports_identify_a_domain_controller_and_a_printer() -> None:
    dc = classify(Host(ip="10.0.0.10", vendor="Dell Inc.", services=_tcp(53, 88, 389, 445)))
    assert (dc.device_class, dc.manufacturer) == ("domain_controller", "Dell")
    printer = classify(Host(ip="10.0.0.40", services=_tcp(631, 9100)))
    assert printer.device_class == "printer"


def test_unidentified_gateway_is_a_router_and_nothing_is_unknown() -> None:
    assert classify(Host(ip="10.0.0.1", is_gateway=True)).device_class == "router"
    blank = classify(Host(ip="10.0.0.99"))
    assert blank.device_class == "unknown" and blank.confidence == 0.0


def _snmp(oid: str = "", descr: str = "", **deeper: object) -> SnmpInfo:
    return SnmpInfo("v2c", "public", True, sys_descr=descr, sys_object_id=oid,
                    **deeper)  # type: ignore[arg-type]


def test_hardware_identity_outranks_the_sysobjectid_but_not_the_class() -> None:
    esxi = classify(Host(ip="10.0.0.20", snmp=_snmp(
        "1.3.6.1.4.1.6876.4.1", "VMware ESXi 7.0.0 build-15843807 VMware, Inc. x86_64",
        identity={"entity.manufacturer": "HP", "entity.model": "ProLiant DL380p Gen8"})))
    assert (esxi.device_class, esxi.manufacturer, esxi.model, esxi.firmware, esxi.os_family) == \
        ("hypervisor", "HP", "ProLiant DL380p Gen8", "7.0.0 build-15843807", "VMware ESXi")
    assert any(line.startswith("SNMP entity.model (1.3.6.1.2.1.47.1.1.1.1.13) = 'ProLiant DL380p "
                               "Gen8'") and line.endswith("→ identity") for line in esxi.evidence)


def test_family_is_the_model_only_when_nothing_more_exact_is_known() -> None:
    bare = classify(Host(ip="10.0.0.1", snmp=_snmp("1.3.6.1.4.1.12356.101.1.644")))
    assert (bare.device_class, bare.manufacturer, bare.model) == ("firewall", "Fortinet",
                                                                  "FortiGate")
    full = classify(Host(ip="10.0.0.1", snmp=_snmp(
        "1.3.6.1.4.1.12356.101.1.644",
        identity={"entity.model": "FGT_60F", "fortinet.version": "v7.2.6,build1575"})))
    assert (full.model, full.firmware) == ("FortiGate 60F", "v7.2.6,build1575")


def test_vendor_model_oids_identify_boxes_behind_generic_net_snmp() -> None:
    linux = classify(Host(ip="10.0.0.5", snmp=_snmp("1.3.6.1.4.1.8072.3.2.10",
                                                    "Linux nas0 3.2.101 armv7l")))
    # The generic agent on an ARM box is not shown to be a server: unknown, with the reason.
    assert (linux.device_class, linux.manufacturer, linux.os_family) == ("unknown", None, "Linux")
    assert linux.confidence == 0.0 and linux.evidence[-1].startswith("unknown: ")
    x86 = classify(Host(ip="10.0.0.6", snmp=_snmp("1.3.6.1.4.1.8072.3.2.10",
                                                  "Linux srv 4.9.0-8-amd64 #1 SMP Debian x86_64")))
    assert (x86.device_class, x86.os_family) == ("server", "Linux") and x86.confidence < 0.5
    nas = classify(Host(ip="10.0.0.5", snmp=_snmp(
        "1.3.6.1.4.1.8072.3.2.10", "Linux nas0 3.2.101 armv7l",
        identity={"synology.model": "DS214se", "synology.version": "DSM 7.1-42962"})))
    assert (nas.device_class, nas.manufacturer, nas.model, nas.firmware) == \
        ("nas", "Synology", "DS214se", "DSM 7.1-42962")


def test_a_print_queue_on_a_windows_server_does_not_make_it_a_printer() -> None:
    server = classify(Host(ip="10.0.0.10", snmp=_snmp(
        "1.3.6.1.4.1.311.1.1.3.1.2", "Hardware: Intel64 - Software: Windows Version 6.3",
        identity={"printer.model": "Microsoft Print To PDF"})))
    assert (server.device_class, server.manufacturer, server.model) == \
        ("server", "Microsoft", None)


def test_ups_mib_answers_identify_a_ups_of_any_make() -> None:
    ups = classify(Host(ip="10.0.0.3", snmp=_snmp(
        "1.3.6.1.4.1.99999.1", identity={"ups.manufacturer": "EATON", "ups.model": "5PX 1500"},
        ups_battery_status="normal")))
    assert (ups.device_class, ups.manufacturer, ups.model) == ("ups", "Eaton", "5PX 1500")
    assert "UPS-MIB (RFC 1628) or a UPS battery status answers → ups" in ups.evidence


def test_names_are_written_one_way() -> None:
    assert consultant_name("cisco Systems Inc.") == "Cisco"
    assert consultant_name("Hewlett-Packard") == "HP"
    assert consultant_name("Acme Widgets") == "Acme Widgets"
    assert model_name("Brother HL-5370DW series", "Brother") == "HL-5370DW"
    assert model_name("HP Color LaserJet Pro M252dw", "HP") == "Color LaserJet Pro M252dw"
    assert model_name("SFVH_SO01_SFOS", "Sophos") == "XG Firewall virtual appliance (SFVH)"
    assert model_name("XG125_XN03_SFOS", "Sophos") == "XG125"
    assert model_name("series", None) == "series"


def test_placeholders_fill_from_the_value_and_regex_groups() -> None:
    assert render("iDRAC on {value}", {"value": "PowerEdge R640"}) == "iDRAC on PowerEdge R640"
    assert render("{name} ({pn})", {"name": "2530-48G", "pn": "J9775A"}) == "2530-48G (J9775A)"
    assert render("{missing}", {}) is None
    assert render(None, {"value": "x"}) is None


def test_knowledge_tables_only_name_things_that_exist() -> None:
    keys = identity_oids()
    snmp_fields = {f.name for f in fields(SnmpInfo)}
    table = families()
    for rule in table["snmp_identity"]:
        assert rule["key"] in keys and rule.get("firmware_key", rule["key"]) in keys, rule
    for rule in table["sys_descr"]:
        field = rule.get("field", "sys_descr")
        assert field in snmp_fields or field in keys, rule
    for section in ("sys_object_id", "sys_descr", "snmp_identity", "subtrees", "mac_vendor"):
        for rule in table[section]:
            assert rule["source"] and "/" in rule["line"], rule  # every fact says where it is from
            assert rule.get("device_class", "unknown") in DEVICE_CLASSES, rule
            assert 0 <= rule.get("weight", 0) <= 1 and 0 <= rule.get("rank", 0) <= 1, rule
    generic = evidence()
    for section in ("keywords", "software", "storage", "interfaces", "agents", "web", "mdns",
                    "ports", "host_facts"):
        for rule in generic[section]:
            assert rule.get("device_class", "unknown") in DEVICE_CLASSES, rule
            assert 0 <= rule.get("weight", 0) <= 1, rule


def test_web_pages_mdns_and_ssdp_vote_with_their_evidence() -> None:
    printer = classify(Host(ip="10.0.0.41", mdns_names=("_ipp._tcp.local", "_uscan._tcp.local"),
                            web=(WebInterface(80, "http", title="Brother MFC-L2710DW series"),)))
    assert (printer.device_class, printer.manufacturer) == ("printer", "Brother")
    assert any(line.startswith("mDNS announces '_ipp._tcp.local'") for line in printer.evidence)
    bmc = classify(Host(ip="10.0.0.42", web=(WebInterface(
        443, "https", title="iDRAC9 - Login",
        certificate=TlsCertificate(subject="CN=idrac-abc,O=Dell Inc.")),)))
    assert bmc.device_class == "bmc"
    gateway = classify(Host(ip="10.0.0.1", upnp_igd=True))
    assert gateway.device_class == "router"
    assert "answers SSDP as an Internet Gateway Device → router" in gateway.evidence


def test_conflicts_are_visible_and_lower_the_confidence() -> None:
    host = classify(Host(ip="10.0.0.7", services=_tcp(9100, 5060)))  # printer 0.6, phone 0.4
    assert host.device_class == "printer" and host.confidence < 0.6
    assert any(line.startswith("conflict: phone also has weight 0.40") for line in host.evidence)


def test_thin_evidence_is_unknown_with_the_reason() -> None:
    host = classify(Host(ip="10.0.0.8", vendor="Acme Widgets"))
    assert host.device_class == "unknown" and host.evidence[-1].startswith("unknown: ")


def test_the_registry_names_the_maker_of_any_enterprise_number() -> None:
    odd = classify(Host(ip="10.0.0.9", snmp=_snmp("1.3.6.1.4.1.2636.1.1.1.2.99")))
    assert odd.manufacturer == "Juniper"  # no family entry: the IANA registry's registrant
    assert any("registered to 'Juniper Networks, Inc.'" in line for line in odd.evidence)
    assert consultant_name("Cyber Power System Inc.") == "CyberPower"
    hpe = classify(Host(ip="10.0.0.10", snmp=_snmp("1.3.6.1.4.1.232.99")))
    assert hpe.manufacturer == "HPE"  # registered to Compaq
    stack = classify(Host(ip="10.0.0.11", snmp=_snmp("1.3.6.1.4.1.4413.1", "SW 1.0")))
    assert stack.manufacturer is None  # Broadcom's FASTPATH runs in many makers' switches
    assert any("4413" in line and "not the maker" in line for line in stack.evidence)


def test_family_makers_agree_with_the_iana_registry_or_say_why_not() -> None:
    table = families()
    rules = [*table["sys_object_id"], *({**rule, "prefix": f"1.3.6.1.4.1.{rule['enterprise']}"}
                                        for rule in table["subtrees"])]
    for rule in rules:
        registered = consultant_name(registrant(enterprise_of(rule["prefix"])), tidy=True)
        if rule.get("manufacturer") and not rule.get("registrant_differs"):
            assert rule["manufacturer"] == registered, rule
