"""A host's UPS state, from NUT when it answered, else from the UPS's own SNMP card."""

from __future__ import annotations

from scanner.model import SnmpInfo, UpsStatus

# UPS-MIB / PowerNet output source -> the NUT status word people know.
_STATUS_WORDS = {"normal": "OL", "battery": "OB", "bypass": "OL BYPASS", "booster": "OL BOOST",
                 "reducer": "OL TRIM", "none": "OFF"}


def ups_from_snmp(snmp: SnmpInfo, manufacturer: str | None = None,
                  model: str | None = None) -> UpsStatus | None:
    """A :class:`UpsStatus` (source "snmp") from the UPS fields of an SNMP answer, if any."""
    if not (snmp.ups_output_source or snmp.ups_battery_status
            or snmp.ups_charge_percent is not None):
        return None
    words = _STATUS_WORDS.get(snmp.ups_output_source, "")
    if snmp.ups_battery_status == "low":
        words = f"{words} LB".strip()
    if snmp.ups_battery_status == "replace":
        words = f"{words} RB".strip()
    on_battery = (snmp.ups_output_source == "battery") if snmp.ups_output_source not in (
        "", "unknown", "other") else None
    return UpsStatus(
        source="snmp", name=snmp.sys_name, status=words, on_battery=on_battery,
        charge_percent=snmp.ups_charge_percent, runtime_minutes=snmp.ups_runtime_minutes,
        load_percent=snmp.ups_load_percent,
        battery_needs_replacing=(snmp.ups_battery_status == "replace"
                                 if snmp.ups_battery_status else None),
        last_self_test=snmp.ups_self_test, manufacturer=manufacturer or "", model=model or "")
