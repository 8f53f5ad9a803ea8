"""The network picture's view-model: shapes with their positions, ready for an inline SVG.

Built by :func:`reports.network_view.build_network`. Coordinates are in the drawing's own
units (the SVG viewBox); colours are constants of the report, never from the data; every text
is cleaned, bounded and already cut to fit its box (:mod:`reports.svgtext`). The template
``_network.html.j2`` only writes these out, with autoescaping on.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    """One line of text, fitted to its space."""

    x: float
    y: float  # the baseline
    text: str
    size: float
    color: str
    bold: bool = False
    mono: bool = False
    italic: bool = False
    anchor: str = "start"  # "start", "middle" or "end"


@dataclass(frozen=True)
class Marker:
    """The worst open issue of a device: a disc in the severity's colour with the count."""

    x: float
    y: float
    radius: float
    color: str
    text_color: str
    count: str


@dataclass(frozen=True)
class Segment:
    """One part of a small bar: devices whose worst open issue is of one severity."""

    x: float
    y: float
    width: float
    height: float
    color: str


@dataclass(frozen=True)
class Box:
    """A node of the picture: the internet, the gateway, one device, or a count of devices."""

    x: float
    y: float
    width: float
    height: float
    fill: str
    stroke: str
    radius: float
    labels: tuple[Label, ...]
    description: str  # what the box says in one sentence (an SVG <title>)
    stroke_width: float = 0.8
    dashed: bool = False
    stripe: str = ""  # severity colour of the stripe on the left edge; "" for none
    marker: Marker | None = None
    segments: tuple[Segment, ...] = ()


@dataclass(frozen=True)
class Line:
    """A connection."""

    x1: float
    y1: float
    x2: float
    y2: float
    color: str
    width: float = 1.0
    dashed: bool = False


@dataclass(frozen=True)
class Panel:
    """The band behind one group of devices, with the group's name and count on its left."""

    x: float
    y: float
    width: float
    height: float
    labels: tuple[Label, ...]


@dataclass(frozen=True)
class NetworkPicture:
    """The whole drawing, back to front: panels, lines, boxes, then free labels."""

    width: float
    height: float
    panels: tuple[Panel, ...]
    lines: tuple[Line, ...]
    boxes: tuple[Box, ...]
    labels: tuple[Label, ...]
    description: str  # the picture in one sentence, for the SVG's aria-label
    summarised: tuple[str, ...]  # "103 workstations": groups drawn as a count, not one by one
    marked: int  # devices marked with an open issue
