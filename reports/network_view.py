"""The network picture of the inventory chapter: what answered the scan, drawn as a diagram.

Top to bottom: the internet; the gateway; the network gear (switches, access points, other
routers and firewalls) in one row; the office network as a line; below it one band per group
of devices (servers, storage, power, printers, workstations, phones & IoT, unidentified),
hanging off a trunk on the left. Each device is a small box with its short name and address,
and a device with open issues gets a stripe and a disc in the colour of its most serious one,
with how many it has.

The picture must read on one page for 8 devices and for 250, so it has a height budget: while
the drawing is taller than that, the group drawn on most rows is summarised as one box ("103
workstations", their address range and how many have open issues of each severity). Network
gear beyond one row is summarised per kind the same way. Every device stays in the table under
the picture.

A switch that announced itself by LLDP or CDP on the laptop's port is drawn in the gear row
even when it has no address the scan could reach, with the port the laptop is plugged into,
and the office network hangs under it. Otherwise it is a logical picture: the scan does not
read switches' bridge tables, so which port each other device is on is not known, and devices
hang off "the office network", not off a given switch port.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

from reports.inventory_view import dicts, service_label
from reports.labels import (
    DEVICE_GROUPS,
    NETWORK_GEAR,
    SEVERITY_COLORS,
    SEVERITY_LABELS,
    SEVERITY_ORDER,
    SEVERITY_TEXT_COLORS,
    severity_rank,
)
from reports.network_types import Box, Label, Line, Marker, NetworkPicture, Panel, Segment
from reports.svgtext import fit_text, text_width
from reports.text import clean_name
from reports.view import InventoryRow

DeviceIssues = dict[str, tuple[str, int]]  # ip -> (worst open severity, open issues)

WIDTH = 600.0
HEIGHT_BUDGET = 560.0  # what fits on a page under the chapter heading, at the text width

INK = "#1b2733"
MUTED = "#5b6670"
LINE = "#8a949e"
RULE = "#c7ced6"
PANEL = "#f4f6f8"
WHITE = "#ffffff"
CLOUD = "#e9eef3"
NO_ISSUE = "#dfe4e9"  # devices with no open issue, in a summary's bar

# The top of the picture.
INTERNET_W, INTERNET_H, INTERNET_Y = 120.0, 26.0, 4.0
GATEWAY_W, GATEWAY_H = 224.0, 36.0
CONNECTOR = 16.0
GEAR_W, GEAR_H, GEAR_GAP, GEAR_SLOTS = 136.0, 30.0, 12.0, 4
# The bands.
TRUNK_X = 10.0
PANEL_X = 24.0
LABEL_W = 96.0
CHIPS_X = PANEL_X + 104.0
CHIPS_W = WIDTH - 8.0 - CHIPS_X
PER_ROW = 4
CHIP_GAP = 6.0
CHIP_W = (CHIPS_W - CHIP_GAP * (PER_ROW - 1)) / PER_ROW
CHIP_H, ROW_GAP, BAND_PAD, BAND_MIN_H, BAND_GAP = 28.0, 5.0, 5.0, 34.0, 6.0
SUMMARY_H = 26.0  # a group drawn as a count: one box, in a band of the smallest height
BUS_TO_BANDS = 18.0


@dataclass(frozen=True)
class _Device:
    row: InventoryRow
    severity: str  # "" when the device has no open issue
    issues: int


@dataclass
class _Group:
    label: str
    singular: str
    plural: str
    devices: list[_Device]
    summarised: bool = False

    @property
    def rows(self) -> int:
        return 1 if self.summarised else math.ceil(len(self.devices) / PER_ROW)

    @property
    def height(self) -> float:
        if self.summarised:
            return BAND_MIN_H
        rows = self.rows
        return max(BAND_MIN_H, 2 * BAND_PAD + rows * CHIP_H + (rows - 1) * ROW_GAP)


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def _severity_phrase(device: _Device) -> str:
    if not device.severity:
        return "no open issue found"
    severity = SEVERITY_LABELS[device.severity].lower()
    if device.issues == 1:
        return f"1 open issue, {severity}"
    return f"{device.issues} open issues, the most serious {severity}"


def _shown_name(row: InventoryRow) -> tuple[str, bool]:
    """The name on a device's box and whether it is the device's own name. A device known
    only by its class ("Unidentified") says "no name": its group already says what it is."""
    if not row.named and row.name == row.class_label:
        return "no name", False
    return row.name, row.named


def _marker(device: _Device, x: float, y: float, radius: float = 5.5) -> Marker | None:
    if not device.severity:
        return None
    return Marker(x=x, y=y, radius=radius, color=SEVERITY_COLORS[device.severity],
                  text_color=SEVERITY_TEXT_COLORS.get(device.severity, WHITE),
                  count=str(min(device.issues, 99)))


def _chip(device: _Device, x: float, y: float, width: float, height: float,
          kind: str = "") -> Box:
    """One device: its name, then its address (and its kind, for network gear)."""
    row = device.row
    name, named = _shown_name(row)
    right = 16.0 if device.severity else 5.0
    room = width - 7.0 - right
    name_size, address_size = 8.0, 7.0
    labels = [Label(x=x + 7, y=y + height / 2 - 2,
                    text=fit_text(name, room, name_size, bold=named), size=name_size,
                    color=INK if named else MUTED, bold=named, italic=not named)]
    address = fit_text(row.ip, room, address_size, mono=True)
    labels.append(Label(x=x + 7, y=y + height / 2 + 8.5, text=address, size=address_size,
                        color=MUTED, mono=True))
    if kind:
        kind_x = x + 7 + text_width(address + " ", address_size, mono=True)
        kind_text = fit_text(kind, x + width - right - kind_x, address_size)
        if kind_text:
            labels.append(Label(x=kind_x, y=y + height / 2 + 8.5, text=kind_text,
                                size=address_size, color=MUTED))
    described = ", ".join(part for part in (row.name, row.ip, row.class_label) if part)
    return Box(x=x, y=y, width=width, height=height, fill=WHITE,
               stroke=RULE, radius=2.5, labels=tuple(labels),
               description=f"{described}: {_severity_phrase(device)}",
               stripe=SEVERITY_COLORS.get(device.severity, ""),
               marker=_marker(device, x + width - 9.5, y + height / 2))


def _worst(devices: list[_Device]) -> str:
    found = [d.severity for d in devices if d.severity]
    return min(found, key=severity_rank) if found else ""


def _tally(devices: list[_Device]) -> list[tuple[str, int]]:
    """Devices per worst severity, most serious first, then those with none ("")."""
    counts = Counter(device.severity for device in devices)
    return [(s, counts[s]) for s in (*SEVERITY_ORDER, "") if counts.get(s)]


def _bar(devices: list[_Device], x: float, y: float, width: float,
         height: float) -> tuple[Segment, ...]:
    """A bar split by the devices' worst severities; every part at least 2 units wide."""
    tally = _tally(devices)
    total = sum(count for _, count in tally)
    minimum = 2.0
    spare = width - minimum * len(tally)
    segments, left = [], x
    for index, (severity, count) in enumerate(tally):
        part = (x + width - left) if index == len(tally) - 1 else minimum + spare * count / total
        segments.append(Segment(x=round(left, 2), y=y, width=round(part, 2), height=height,
                                color=SEVERITY_COLORS.get(severity, NO_ISSUE)))
        left += part
    return tuple(segments)


def _tally_text(devices: list[_Device]) -> str:
    """``"Most serious issue: 34 high, 66 medium; 12 with none"`` (devices, by their worst)."""
    tally = _tally(devices)
    worst = ", ".join(f"{count} {SEVERITY_LABELS[severity].lower()}"
                      for severity, count in tally if severity)
    clean = sum(count for severity, count in tally if not severity)
    if not worst:
        return "No open issue found on any of them"
    return f"Most serious issue: {worst}" + (f"; {clean} with none" if clean else "")


def _address_range(devices: list[_Device]) -> str:
    first, last = devices[0].row.ip, devices[-1].row.ip  # devices are in address order
    return first if first == last else f"{first} – {last}"


def _summary(devices: list[_Device], x: float, y: float, width: float, height: float,
             singular: str, plural: str, wide: bool) -> Box:
    """Many devices as one box: how many, their addresses, and a bar of their severities."""
    heading = _count(len(devices), singular, plural)
    marked = sum(1 for d in devices if d.severity)
    description = (f"{heading}, {_address_range(devices)}: {marked} with open issues"
                   + (f" ({_tally_text(devices)})" if marked else ""))
    if wide:  # a band's summary: the words on the left, the bar and its legend on the right
        text_room = 170.0
        bar_x = x + 7 + text_room + 8
        bar_w = x + width - 7 - bar_x
        labels = (
            Label(x=x + 7, y=y + 11.5, text=fit_text(heading, text_room, 8.5, bold=True),
                  size=8.5, color=INK, bold=True),
            Label(x=x + 7, y=y + 21.5, text=fit_text(_address_range(devices), text_room, 7,
                                                     mono=True), size=7, color=MUTED, mono=True),
            Label(x=bar_x, y=y + 21.5, text=fit_text(_tally_text(devices), bar_w, 7), size=7,
                  color=MUTED),
        )
        segments = _bar(devices, bar_x, y + 6, bar_w, 6)
    else:  # network gear: two lines, and the bar along the bottom of the box
        room = width - 14
        labels = (
            Label(x=x + 7, y=y + 11.5, text=fit_text(heading, room, 8, bold=True), size=8,
                  color=INK, bold=True),
            Label(x=x + 7, y=y + 20.5, text=fit_text(_address_range(devices), room, 6.5,
                                                     mono=True), size=6.5, color=MUTED,
                  mono=True),
        )
        segments = _bar(devices, x + 7, y + height - 5.5, width - 14, 2.5)
    return Box(x=x, y=y, width=width, height=height, fill=WHITE, stroke=RULE, radius=2.5,
               labels=labels, description=description,
               stripe=SEVERITY_COLORS.get(_worst(devices), ""), segments=segments)


def _internet(inventory: dict[str, Any]) -> tuple[Box, tuple[Label, ...]]:
    x = (WIDTH - INTERNET_W) / 2
    box = Box(x=x, y=INTERNET_Y, width=INTERNET_W, height=INTERNET_H, fill=CLOUD,
              stroke=LINE, radius=INTERNET_H / 2,
              labels=(Label(x=WIDTH / 2, y=INTERNET_Y + 16.5, text="Internet", size=8.5,
                            color=INK, bold=True, anchor="middle"),),
              description="The internet")
    wan = inventory.get("wan_view") if isinstance(inventory.get("wan_view"), dict) else None
    if wan is None:
        return box, ()
    note_x = x + INTERNET_W + 10
    room = WIDTH - 4 - note_x
    target = clean_name(wan.get("target"))
    services = [service_label(s) for s in dicts(wan.get("services"))]
    if services:
        seen = f"{_count(len(services), 'port', 'ports')} open: " + ", ".join(services[:12])
    else:
        seen = "no port answered"
    lines = (f"Seen from outside{': ' + target if target else ''}", seen)
    return box, tuple(Label(x=note_x, y=INTERNET_Y + 10.5 + 9 * index,
                            text=fit_text(text, room, 6.5), size=6.5, color=MUTED)
                      for index, text in enumerate(lines))


def _gateway(device: _Device | None, gateway_ip: str, y: float) -> Box:
    """The gateway: the device the office reaches the internet through, or a dashed box
    when the scan could not tell which device that is."""
    x = (WIDTH - GATEWAY_W) / 2
    room = GATEWAY_W - 2 * 20
    if device is not None:
        row = device.row
        name = row.name
        detail = f"{row.ip} · {row.class_label}, the way out to the internet"
        description = f"The gateway: {row.name}, {row.ip}: {_severity_phrase(device)}"
    else:
        name = "Gateway not identified"
        detail = (f"{gateway_ip}: did not answer the scan" if gateway_ip
                  else "the scan could not tell which device it is")
        description = f"The gateway was not identified ({detail})"
    labels = (
        Label(x=WIDTH / 2, y=y + 15, text=fit_text(name, room, 9, bold=True), size=9,
              color=INK if device else MUTED, bold=True, anchor="middle"),
        Label(x=WIDTH / 2, y=y + 27.5, text=fit_text(detail, room, 7), size=7, color=MUTED,
              anchor="middle"),
    )
    return Box(x=x, y=y, width=GATEWAY_W, height=GATEWAY_H, fill=WHITE,
               stroke=INK if device else MUTED, stroke_width=1.1, radius=3, labels=labels,
               description=description, dashed=device is None,
               stripe=SEVERITY_COLORS.get(device.severity, "") if device else "",
               marker=_marker(device, x + GATEWAY_W - 12, y + GATEWAY_H / 2, 6.5)
               if device else None)


def _gear_boxes(gear: list[_Device], y: float) -> list[Box]:
    """The network gear row: one box per device when they fit, else one per kind."""
    if len(gear) <= GEAR_SLOTS:
        items = [("one", [device]) for device in gear]
    else:
        kinds: dict[str, list[_Device]] = {}
        for device in gear:
            kinds.setdefault(NETWORK_GEAR[device.row.device_class][1], []).append(device)
        items = [("one" if len(devices) == 1 else "many", devices)
                 for devices in kinds.values()]
    total = len(items) * GEAR_W + (len(items) - 1) * GEAR_GAP
    x = (WIDTH - total) / 2
    boxes = []
    for how, devices in items:
        kind, singular, plural = NETWORK_GEAR[devices[0].row.device_class]
        if how == "one":
            boxes.append(_chip(devices[0], x, y, GEAR_W, GEAR_H, kind=kind))
        else:
            boxes.append(_summary(devices, x, y, GEAR_W, GEAR_H, singular, plural, wide=False))
        x += GEAR_W + GEAR_GAP
    return boxes


def _laptop_ports(gear: list[_Device], boxes: list[Box]) -> list[Label]:
    """Under each switch heard by LLDP/CDP: the port the scanning laptop is plugged into."""
    labels = []
    centres = [box.x + box.width / 2 for box in boxes]
    for index, (device, box) in enumerate(zip(gear, boxes, strict=True)):
        if device.row.switch_port:
            room_end = centres[index + 1] if index + 1 < len(centres) else WIDTH
            text = fit_text(f"laptop on port {device.row.switch_port}",
                            room_end - centres[index] - 12, 6.5)
            labels.append(Label(x=centres[index] + 4, y=box.y + box.height + 10,
                                text=text, size=6.5, color=MUTED, italic=True))
    return labels


def _groups(devices: list[_Device]) -> list[_Group]:
    by_class = {cls: key for key, *_, classes in DEVICE_GROUPS for cls in classes}
    members: dict[str, list[_Device]] = {key: [] for key, *_ in DEVICE_GROUPS}
    for device in devices:
        members[by_class.get(device.row.device_class, "unknown")].append(device)
    return [_Group(label=label, singular=singular, plural=plural, devices=members[key])
            for key, label, singular, plural, _ in DEVICE_GROUPS if members[key]]


def _fit_to_budget(groups: list[_Group], top: float) -> None:
    """Summarise the group drawn on most rows (the later one on a tie: servers matter more
    than the unidentified) until the picture fits its height budget."""

    def height() -> float:
        return top + sum(g.height + BAND_GAP for g in groups)

    while height() > HEIGHT_BUDGET:
        candidates = [g for g in groups if not g.summarised and g.rows > 1]
        if not candidates:
            return
        widest = max(g.rows for g in candidates)
        [g for g in candidates if g.rows == widest][-1].summarised = True


def _band(group: _Group, y: float) -> tuple[Panel, list[Box]]:
    count = _count(len(group.devices), "device", "devices")
    marked = sum(1 for d in group.devices if d.severity)
    labels = [
        Label(x=PANEL_X + 8, y=y + 13.5, text=fit_text(group.label, LABEL_W, 8.5, bold=True),
              size=8.5, color=INK, bold=True),
        Label(x=PANEL_X + 8, y=y + 24, text=count, size=7, color=MUTED),
    ]
    if marked and group.height >= 42:
        labels.append(Label(x=PANEL_X + 8, y=y + 33, size=7, color=MUTED,
                            text=f"{marked} with open issues"))
    panel = Panel(x=PANEL_X, y=y, width=WIDTH - 2 - PANEL_X, height=group.height,
                  labels=tuple(labels))
    if group.summarised:
        box_y = y + (group.height - SUMMARY_H) / 2
        return panel, [_summary(group.devices, CHIPS_X, box_y, CHIPS_W, SUMMARY_H,
                                group.singular, group.plural, wide=True)]
    boxes = []
    for index, device in enumerate(group.devices):
        row, column = divmod(index, PER_ROW)
        boxes.append(_chip(device, CHIPS_X + column * (CHIP_W + CHIP_GAP),
                           y + BAND_PAD + row * (CHIP_H + ROW_GAP), CHIP_W, CHIP_H))
    return panel, boxes


def build_network(inventory: dict[str, Any], rows: tuple[InventoryRow, ...],
                  issues: DeviceIssues, targets: tuple[str, ...]) -> NetworkPicture | None:
    """The picture of the network, or None when the scan found no device."""
    if not rows:
        return None
    devices = [_Device(row, *issues.get(row.ip, ("", 0))) for row in rows]
    gateway_ip = clean_name(inventory.get("gateway"))
    gateway = (next((d for d in devices if gateway_ip and d.row.ip == gateway_ip), None)
               or next((d for d in devices if d.row.is_gateway), None))
    others = [d for d in devices if d is not gateway]
    gear = [d for d in others if d.row.device_class in NETWORK_GEAR]
    groups = _groups([d for d in others if d.row.device_class not in NETWORK_GEAR])

    boxes: list[Box] = []
    lines: list[Line] = []
    free: list[Label] = []
    internet, wan_notes = _internet(inventory)
    boxes.append(internet)
    free.extend(wan_notes)
    gateway_y = INTERNET_Y + INTERNET_H + CONNECTOR
    lines.append(Line(WIDTH / 2, INTERNET_Y + INTERNET_H, WIDTH / 2, gateway_y, LINE, 1.2))
    boxes.append(_gateway(gateway, gateway_ip, gateway_y))
    below_gateway = gateway_y + GATEWAY_H
    if gear:
        gear_y = below_gateway + CONNECTOR
        gear_boxes = _gear_boxes(gear, gear_y)
        fork_y = below_gateway + CONNECTOR / 2
        bus_y = gear_y + GEAR_H + CONNECTOR
        centres = [box.x + box.width / 2 for box in gear_boxes]
        lines.append(Line(WIDTH / 2, below_gateway, WIDTH / 2, fork_y, LINE, 1.2))
        if len(centres) > 1:
            lines.append(Line(centres[0], fork_y, centres[-1], fork_y, LINE, 1.2))
        for centre in centres:
            lines.append(Line(centre, fork_y, centre, gear_y, LINE, 1.2))
            lines.append(Line(centre, gear_y + GEAR_H, centre, bus_y, LINE, 1.2))
        boxes.extend(gear_boxes)
        if len(gear) <= GEAR_SLOTS:
            free.extend(_laptop_ports(gear, gear_boxes))
    else:
        bus_y = below_gateway + CONNECTOR + 4
        lines.append(Line(WIDTH / 2, below_gateway, WIDTH / 2, bus_y, LINE, 1.2))
        free.append(Label(x=WIDTH / 2 + 8, y=bus_y - 6, size=6.5, color=MUTED, italic=True,
                          text="No switch or access point answered the scan"))
    lines.append(Line(TRUNK_X, bus_y, WIDTH - 2, bus_y, INK, 2.2))
    network = "Office network" + (" · " + ", ".join(targets) if targets else "")
    free.append(Label(x=WIDTH - 2, y=bus_y + 11, size=6.5, color=MUTED, anchor="end",
                      text=fit_text(network, WIDTH / 2, 6.5)))

    top = bus_y + BUS_TO_BANDS
    _fit_to_budget(groups, top)
    panels: list[Panel] = []
    y = top
    for group in groups:
        panel, group_boxes = _band(group, y)
        panels.append(panel)
        boxes.extend(group_boxes)
        lines.append(Line(TRUNK_X, y + 17, PANEL_X, y + 17, LINE, 1.2))
        y += group.height + BAND_GAP
    if groups:
        lines.append(Line(TRUNK_X, bus_y, TRUNK_X, top + sum(
            g.height + BAND_GAP for g in groups[:-1]) + 17, LINE, 1.2))
    height = (y - BAND_GAP if groups else bus_y + 14) + 2

    where = (f"the gateway {gateway.row.name} ({gateway.row.ip})" if gateway
             else "a gateway that was not identified")
    summary = (f"Network picture: the internet, {where}, "
               f"{_count(len(gear), 'piece of network gear', 'pieces of network gear')}"
               f", and {_count(len(others) - len(gear), 'other device', 'other devices')} in "
               f"{_count(len(groups), 'group', 'groups')}.")
    return NetworkPicture(
        width=WIDTH, height=round(height, 2), panels=tuple(panels), lines=tuple(lines),
        boxes=tuple(boxes), labels=tuple(free), description=summary,
        summarised=tuple(_count(len(g.devices), g.singular, g.plural)
                         for g in groups if g.summarised),
        marked=sum(1 for d in devices if d.severity),
    )
