"""PWR-007 and AV-005: a UPS server and an antivirus daemon that answer anyone."""

from __future__ import annotations

from collections.abc import Iterator

from checks.access import exposure_results
from checks.common import host_label
from checks.context import Context
from checks.model import Result, Severity
from checks.registry import check


@check(
    id="PWR-007", title="The UPS server tells anyone its state and configuration",
    severity=Severity.LOW,
    risk="""Anyone on the network can read the UPS's model, battery state and shutdown
    settings without logging in — and learn when the servers will go down in a power cut.
    The same server usually accepts the shutdown login that protects the office's machines.""",
    remediation=("Let upsd listen only on the addresses of the machines it protects (LISTEN "
                 "in upsd.conf) and firewall 3493/tcp from everything else.",
                 "Give each monitoring machine its own upsd.users account with a long "
                 "password."),
    service="Power protection monitoring",
    references=("https://networkupstools.org/docs/man/upsd.conf.html",),
)
def nut_open(ctx: Context) -> Iterator[Result]:
    """FAIL per NUT server that answered LIST UPS / LIST VAR without a login."""
    yield from exposure_results(
        ctx, {"nut"}, {3493},
        lambda h, e: f"The UPS server on {host_label(h)} answers anyone without a login.",
        "No UPS server answers without a login.", "no NUT UPS server was found")


@check(
    id="AV-005", title="An antivirus daemon answers anyone on the network",
    severity=Severity.MEDIUM,
    risk="""The antivirus engine accepts commands from any device: anyone can ask it to scan
    files of their choosing, learn its version and signature date, and on many setups reload or
    stop it. It should only answer the mail or file server it protects.""",
    remediation=("Bind clamd to localhost or a local socket (LocalSocket; remove TCPSocket), or "
                 "firewall its port to the servers that use it.",
                 "Keep its signatures current and monitored."),
    service="Endpoint detection and response",
    references=("https://docs.clamav.net/manual/Usage/Configuration.html",),
)
def av_daemon_open(ctx: Context) -> Iterator[Result]:
    """FAIL per antivirus daemon (clamd) that answered PING/VERSION without authentication;
    the same answer counts as an antivirus sighting for the AV family."""
    yield from exposure_results(
        ctx, {"clamd"}, {3310},
        lambda h, e: f"The antivirus daemon on {host_label(h)} answers anyone.",
        "No antivirus daemon answers the whole network.", "no antivirus daemon was found")
