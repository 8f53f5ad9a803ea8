"""Device identification from SNMP, MAC vendor, ports and the gateway role."""

from __future__ import annotations

from scanner.classify import classify
from scanner.model import Host, Service, SnmpInfo


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
