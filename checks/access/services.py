"""SEC-022 … SEC-029: printers, databases and services that answer without a password."""

from __future__ import annotations

from collections.abc import Iterator

from checks.access import exposure_results
from checks.common import host_label
from checks.context import Context
from checks.model import Result, Severity
from checks.registry import check


@check(
    id="SEC-022", title="A printer takes jobs and commands from anyone on the network",
    severity=Severity.LOW,
    risk="""Raw printing (port 9100), LPD and unauthenticated IPP accept jobs and printer
    language commands from any device: anyone can waste paper and toner, read what the printer
    says about itself, and on many models change its settings or firmware.""",
    remediation=("Restrict printing to the print server or the office's addresses (printer's "
                 "access control list).", "Turn off raw 9100 and LPD where the print server "
                 "uses IPP; require authentication for the printer's admin functions.",
                 "Keep the printer's firmware current."),
    service="Security hardening",
    references=("https://www.cisa.gov/news-events/news/securing-network-infrastructure-devices",
                "https://www.rfc-editor.org/rfc/rfc8011"),
)
def printer_open(ctx: Context) -> Iterator[Result]:
    """FAIL per printer whose JetDirect, LPD or IPP service answered without authentication
    (PJL INFO ID, an open LPD port, IPP printer attributes); the evidence names the model."""
    yield from exposure_results(
        ctx, {"printer_raw", "printer_ipp"}, {9100, 515},
        lambda h, e: f"The printer {host_label(h)} takes jobs and commands from anyone.",
        "No printer takes raw jobs without authentication.", "no printer port was found")


def _service_check(kind: str, ports: set[int], what: str):  # noqa: ANN202 - a check factory
    def run(ctx: Context) -> Iterator[Result]:
        yield from exposure_results(
            ctx, {kind}, ports,
            lambda h, e: f"{what} on {host_label(h)} answers without a password.",
            f"No {what} answers without a password.", f"no {what} was found")
    return run


def _register(id: str, title: str, severity: Severity, risk: str, remediation: tuple[str, ...],
              references: tuple[str, ...], kind: str, ports: set[int], what: str) -> None:
    run = _service_check(kind, ports, what)
    run.__qualname__ = run.__name__ = f"{kind}_open"
    run.__doc__ = (f"FAIL per host where {what} answered the read-only probe without "
                   "credentials; PASS where it asked for them.")
    check(id=id, title=title, severity=severity, risk=risk, remediation=remediation,
          service="Security hardening", references=references)(run)


_register(
    "SEC-023", "Redis answers without a password", Severity.HIGH,
    """Anyone on the network can read and change everything this Redis holds — sessions,
    caches, queues — and a Redis without a password is a well-known way to take over the
    server it runs on.""",
    ("Set a password (requirepass, or ACL users) and bind Redis to the addresses that need it.",
     "Turn on protected-mode and rename or disable CONFIG."),
    ("https://redis.io/docs/latest/operate/oss_and_stack/management/security/",),
    "redis", {6379}, "Redis")
_register(
    "SEC-024", "MongoDB answers without authentication", Severity.HIGH,
    """Anyone on the network can read, change or delete this database. Open MongoDB servers
    are emptied and held for ransom by automated attacks.""",
    ("Turn on authorisation (security.authorization: enabled) and create user accounts.",
     "Bind MongoDB to the application servers' network only."),
    ("https://www.mongodb.com/docs/manual/administration/security-checklist/",),
    "mongodb", {27017}, "MongoDB")
_register(
    "SEC-025", "Memcached answers anyone on the network", Severity.MEDIUM,
    """Memcached has no password by default: anyone can read cached data (often sessions and
    personal data) and the server can be abused to flood other networks.""",
    ("Bind memcached to localhost or the application servers (-l), disable UDP (-U 0).",
     "Turn on SASL authentication where remote access is needed."),
    ("https://github.com/memcached/memcached/wiki/SASLHowto",),
    "memcached", {11211}, "Memcached")
_register(
    "SEC-026", "An MQTT broker accepts anonymous clients", Severity.MEDIUM,
    """Anyone on the network can read every message the office's devices and sensors send,
    and send commands to them as if they came from the controller.""",
    ("Turn off anonymous access (mosquitto: allow_anonymous false) and give each device its "
     "own account.", "Use TLS (8883) and access control lists per topic."),
    ("https://mosquitto.org/man/mosquitto-conf-5.html",),
    "mqtt", {1883}, "The MQTT broker")
_register(
    "SEC-027", "CouchDB lists its databases to anyone", Severity.HIGH,
    """Anyone on the network can list and read this database server's contents without a
    password.""",
    ("Create an admin account and require valid users (require_valid_user = true).",
     "Bind CouchDB to the application servers' network only."),
    ("https://docs.couchdb.org/en/stable/intro/security.html",),
    "couchdb", {5984}, "CouchDB")
_register(
    "SEC-028", "Docker's API is open to the network", Severity.CRITICAL,
    """Docker's API gives full control of the host: anyone on the network can start a
    container that mounts the server's disk and take the machine over.""",
    ("Close TCP 2375; use the local socket or SSH (DOCKER_HOST=ssh://).",
     "If remote access is needed, use TLS with client certificates on 2376."),
    ("https://docs.docker.com/engine/security/protect-access/",),
    "docker_api", {2375}, "The Docker API")
_register(
    "SEC-029", "An X11 display accepts connections from anyone", Severity.HIGH,
    """Anyone on the network can watch the screen, read keystrokes — passwords included — and
    type into this computer's open windows.""",
    ("Start the X server with -nolisten tcp (the default on current systems).",
     "Remove 'xhost +' from start-up scripts; use SSH X forwarding instead."),
    ("https://www.x.org/releases/X11R7.7/doc/man/man1/Xserver.1.xhtml",),
    "x11", {6000, 6001, 6002, 6003}, "An X11 display")
