"""Reading SNMP answers: values, UPS fields, printer supplies, chassis rows, software lists."""

from __future__ import annotations

import pytest
from pysnmp.proto.rfc1902 import Integer32, ObjectIdentifier, OctetString, TimeTicks

from scanner.snmp.parse import (
    as_int,
    by_index,
    chassis_index,
    clean_value,
    group_applies,
    identity_oids,
    oid_table,
    printer_model,
    serial_number,
    software_names,
    supply_levels,
    supply_percent,
    text_of,
    ups_fields,
)


def test_text_of_decodes_octets_and_never_expands_integers() -> None:
    assert text_of(OctetString(b"Cisco IOS\r\nline two")) == "Cisco IOS line two"
    assert text_of(Integer32(2**31 - 1)) == "2147483647"  # bytes() would allocate 2 GB
    assert text_of(ObjectIdentifier("1.3.6.1.2.1.25.3.1.5")) == "1.3.6.1.2.1.25.3.1.5"
    assert len(text_of(OctetString(b"x" * 5000))) <= 255
    assert text_of(None) == ""


@pytest.mark.parametrize(("raw", "expected"), [
    (OctetString(b'\\"4.3.3'), "4.3.3"),  # QNAP's entPhysicalFirmwareRev as recorded
    (OctetString(b"<private>"), ""),
    (OctetString(b"  Unknown "), ""),
    (OctetString(b"TVS-871U-RP"), "TVS-871U-RP"),
])
def test_clean_value_trims_quotes_and_drops_placeholders(raw: OctetString, expected: str) -> None:
    assert clean_value(raw) == expected


def test_as_int_reads_numbers_in_any_snmp_type() -> None:
    assert as_int(Integer32(-3)) == -3
    assert as_int(TimeTicks(10976200)) == 10976200
    assert as_int(OctetString(b"42")) == 42
    assert as_int(OctetString(b"forty-two")) is None
    assert as_int(None) is None


def test_groups_run_only_where_their_condition_fits() -> None:
    groups = {group["name"]: group for group in oid_table()["scalar_groups"]}
    assert group_applies(groups["ups_rfc1628"], "1.3.6.1.4.1.9.1.1", "")  # no condition
    assert group_applies(groups["synology"], "1.3.6.1.4.1.8072.3.2.10", "Linux nas0")
    assert not group_applies(groups["synology"], "1.3.6.1.4.1.8072.3.2.100", "")
    assert group_applies(groups["sonicwall"], "1.0.3.0.6.0.1.0", "SonicWALL TZ 570 (SonicOS 7)")
    assert not group_applies(groups["sophos"], "1.3.6.1.4.1.9", "Sophos")


def test_chassis_is_the_first_entity_of_class_chassis() -> None:
    column = "1.3.6.1.2.1.47.1.1.1.1.5"
    routeros = [(f"{column}.65536", Integer32(3)), (f"{column}.131073", Integer32(2))]
    esxi = [(f"{column}.1", Integer32(4))]
    asa = [(f"{column}.1", Integer32(9)), (f"{column}.7", Integer32(3))]
    assert chassis_index(routeros, 3) == "65536"
    assert chassis_index(esxi, 3) == "1"  # no chassis: the first entity
    assert chassis_index(asa, 3) == "7"
    assert chassis_index([], 3) == "1"  # no entPhysicalClass (FortiGate): try index 1


def test_ups_fields_prefer_the_replace_indicator_then_the_standard_mib() -> None:
    apc = {"apc.battery_replace": Integer32(1), "apc.output_status": Integer32(2),
           "apc.runtime_ticks": TimeTicks(10976200), "apc.capacity_tenths": Integer32(1000),
           "apc.output_load_tenths": Integer32(0), "apc.test_result": Integer32(2)}
    assert ups_fields(apc) == {
        "ups_battery_status": "normal", "ups_output_source": "normal",
        "ups_runtime_minutes": 1829, "ups_charge_percent": 100, "ups_load_percent": 0,
        "ups_self_test": "failed"}
    worn = {"apc.battery_replace": Integer32(2), "ups.battery_status": Integer32(2),
            "ups.output_source": Integer32(5), "ups.test_result": Integer32(6)}
    assert ups_fields(worn) == {"ups_battery_status": "replace", "ups_output_source": "battery",
                                "ups_self_test": "never run"}
    assert ups_fields({"ups.battery_status": Integer32(99)}) == {}  # undefined value: not used
    assert ups_fields({}) == {}


@pytest.mark.parametrize(("level", "capacity", "percent"), [
    (63, 100, 63), (17208, 25000, 69), (0, -2, 0), (-3, 100, None), (-2, 100, None),
    (50, -1, None), (120, 100, 100), (None, 100, None),
])
def test_supply_percent_follows_rfc3805(level: int | None, capacity: int | None,
                                       percent: int | None) -> None:
    assert supply_percent(level, capacity) == percent


def test_supplies_are_joined_by_index_and_duplicate_names_kept_apart() -> None:
    base = "1.3.6.1.2.1.43.11.1.1"
    descriptions = by_index([(f"{base}.6.1.1", OctetString(b"Black Toner")),
                             (f"{base}.6.1.2", OctetString(b"Black Toner")),
                             (f"{base}.6.1.3", OctetString(b""))], f"{base}.6")
    capacities = by_index([(f"{base}.8.1.1", Integer32(100)),
                           (f"{base}.8.1.3", Integer32(200))], f"{base}.8")
    levels = by_index([(f"{base}.9.1.1", Integer32(40)), (f"{base}.9.1.2", Integer32(-3)),
                       (f"{base}.9.1.3", Integer32(50))], f"{base}.9")
    assert supply_levels(descriptions, capacities, levels) == {
        "Black Toner": 40, "Black Toner (1.2)": None, "supply 1.3": 25}


def test_software_names_are_distinct_sorted_and_bounded() -> None:
    rows = [("1", OctetString(b"svchost.exe")), ("2", OctetString(b"svchost.exe")),
            ("3", OctetString(b"A" * 300)), ("4", OctetString(b"")), ("5", OctetString(b"7z"))]
    names = software_names(rows, 128)
    assert names == ("7z", "A" * 128, "svchost.exe")


def test_serial_number_comes_from_the_most_specific_source() -> None:
    assert serial_number({"entity.serial": "E1", "synology.serial": "S1"}) == "S1"
    assert serial_number({"entity.serial": "E1"}) == "E1"
    assert serial_number({}) == ""


def test_printer_model_needs_the_printer_mib_as_well() -> None:
    status = {"host.device_type_1": ObjectIdentifier("1.3.6.1.2.1.25.3.1.5"),
              "host.device_descr_1": OctetString(b"Brother HL-5370DW series")}
    assert printer_model(status, printer_mib_answered=True) == "Brother HL-5370DW series"
    # A Windows server lists "Microsoft Print To PDF" as a printer device, without Printer-MIB.
    assert printer_model(status, printer_mib_answered=False) == ""
    processor = {**status, "host.device_type_1": ObjectIdentifier("1.3.6.1.2.1.25.3.1.3")}
    assert printer_model(processor, printer_mib_answered=True) == ""


def test_every_identity_key_has_one_oid() -> None:
    oids = identity_oids()
    assert oids["synology.model"] == "1.3.6.1.4.1.6574.1.5.1.0"
    assert oids["entity.model"] == "1.3.6.1.2.1.47.1.1.1.1.13"
    assert all(oid.startswith(("1.3.6.1.2.1.", "1.3.6.1.4.1.")) for oid in oids.values())
    keys = [key for group in oid_table()["scalar_groups"] for key in group.get("identity", {})]
    assert len(keys) == len(set(keys))
