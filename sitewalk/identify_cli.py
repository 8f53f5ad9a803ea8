"""``sitewalk identify FILE``: name one device from a walk a client sent, offline.

    sitewalk identify walk.txt            # snmpwalk -On output
    sitewalk identify device.snmprec      # an snmpsim recording
    sitewalk identify walk.txt --json

The walk is read the way a scan reads an agent (:mod:`scanner.snmp.offline`) and identified by
:mod:`scanner.identify`: class, manufacturer, model, firmware, confidence and every piece of
evidence. A file that holds no walk is a one-line error with exit code 2.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from scanner.identify.walk import identify_file
from scanner.model import Host
from scanner.snmp.walkfile import WalkFileError

EXIT_BAD_INPUT = 2


def identity_dict(host: Host, path: Path) -> dict[str, object]:
    """What ``--json`` prints for an identified walk."""
    snmp = host.snmp
    return {
        "file": str(path), "device_class": host.device_class, "confidence": host.confidence,
        "manufacturer": host.manufacturer, "model": host.model, "firmware": host.firmware,
        "os_family": host.os_family, "serial_number": snmp.serial_number if snmp else "",
        "sys_object_id": snmp.sys_object_id if snmp else "",
        "sys_descr": snmp.sys_descr if snmp else "", "evidence": list(host.evidence),
    }


@click.command()
@click.argument("walk_file", metavar="FILE", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the identity as JSON.")
def identify(walk_file: Path, as_json: bool) -> None:
    """Identify a device from an snmpwalk -On output or an .snmprec file."""
    try:
        host = identify_file(walk_file)
    except WalkFileError as exc:
        error = click.ClickException(str(exc))
        error.exit_code = EXIT_BAD_INPUT
        raise error from None
    found = identity_dict(host, walk_file)
    if as_json:
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    for label, key in (("class", "device_class"), ("manufacturer", "manufacturer"),
                       ("model", "model"), ("firmware", "firmware"), ("OS", "os_family"),
                       ("serial number", "serial_number")):
        click.echo(f"{label + ':':15}{found[key] or '-'}")
    click.echo(f"{'confidence:':15}{host.confidence:.2f}")
    click.echo("evidence:")
    for line in host.evidence:
        click.echo(f"  - {line}")
