"""The hostile strings the hostile office serves, in one table the test and the benchmark share.

Each hostile value carries a numbered marker, ``<script>alert(N)</script>`` (or
``</td><script>alert(N)</script>``), so a report that shows it can be traced back to the one
field it came from: the test looks for the escaped marker (``&lt;script&gt;alert(N)…``) and
for any raw ``<script``. Numbers are never reused. Control characters (ESC, BEL, NUL …) sit
around the markers: they must never reach the report.
"""

from __future__ import annotations

import html

# Field -> the marker inside its value. The number is what identifies the field in a report.
MARKERS: dict[str, str] = {
    "snmp.sysDescr": "<script>alert(1)</script>",
    "snmp.sysName": "</td><script>alert(2)</script>",
    "snmp.sysContact": "<script>alert(3)</script>",
    "snmp.sysLocation": "</td><script>alert(4)</script>",
    "snmp.ifDescr": "<img src=x onerror=alert(5)>",
    "web.title": "</td><script>alert(6)</script>",
    "cert.CN": "<script>alert(7)</script>",
    "cert.O": "</td><script>alert(8)</script>",
    "dns.PTR": "</td><script>alert(9)</script>",
    "snmp.hrSWInstalledName": "<script>alert(10)</script>",
    "snmp.entPhysicalMfgName": "</td><script>alert(11)</script>",
    "snmp.entPhysicalModelName": "<script>alert(12)</script>",
    "web.Server": "<script>alert(13)</script>",
    "mdns.instance": "</td><script>alert(14)</script>",
    "mdns.host": "<script>alert(15)</script>",
    "snmp.sysObjectID": "<script>alert(16)</script>",
    "snmp.entPhysicalSoftwareRev": "<script>alert(17)</script>",
    "snmp.entPhysicalSerialNum": "</td><script>alert(18)</script>",
}

ESC, BEL, NUL = "\x1b", "\x07", "\x00"

# SNMP (hosts .12, .13): the values are in recordings/*.snmprec (readable, with \x escapes);
# net.py repeats hostile.snmprec's sysDescr (this unit) up to SYSDESCR_BYTES.
SYSDESCR_UNIT = MARKERS["snmp.sysDescr"] + " Linux <b>edge</b> <iframe src=//x></iframe>"
SYSDESCR_BYTES = 60_000

# Web admin (host .14): the title mixes literal markup and entity-encoded markup, which
# sitewalk unescapes (``html.unescape``) before it keeps the title.
WEB_TITLE_HTML = (ESC + "[31m" + MARKERS["web.title"] + "&lt;b&gt;Admin&lt;/b&gt;" + BEL
                  + " Router" + NUL)
WEB_SERVER_HEADER = MARKERS["web.Server"] + ESC + "[0m httpd"
CERT_CN = MARKERS["cert.CN"]
CERT_O = MARKERS["cert.O"]

# Names (host .15). A DNS label may hold any byte; a NetBIOS name is 15 bytes at most.
PTR_LABEL = ESC + "[31m" + MARKERS["dns.PTR"] + BEL
NETBIOS_NAME = b"X" + BEL.encode() + b"</td><script>"  # exactly 15 bytes
NETBIOS_GROUP = b"WORKGROUP" + ESC.encode()
MDNS_INSTANCE = ESC + "]0;pwned" + BEL + MARKERS["mdns.instance"] + " Printer"
MDNS_HOST = BEL + MARKERS["mdns.host"]

# What a report must never contain raw, whatever the field.
RAW_FORBIDDEN = ("<script", "</td><script", "<img src=x", "<iframe", "<marquee")


def escaped(marker: str) -> str:
    """The marker as an autoescaping template writes it (``&lt;script&gt;…``)."""
    return str(html.escape(marker, quote=True))
