"""Redis and MQTT: does the service let an anonymous client in? One question each.

Measured in the virtual office: nmap's ``redis-info`` prints nothing when Redis refuses
(its error output is shown only with debugging), and ``mqtt-subscribe`` prints nothing when a
broker accepts an anonymous client but has no retained message yet — "nothing" cannot tell
open from closed. So the decision is one exchange of our own, read-only: Redis ``PING``
(``+PONG`` without AUTH means no password; ``-NOAUTH``/``-DENIED`` means refused) and an MQTT
3.1.1 CONNECT without user name (CONNACK return code 0 accepted, 4/5 refused), followed by
DISCONNECT. The nmap output, when there is some, still gives the version. 3 s and 512 bytes at
most per exchange.
"""

from __future__ import annotations

import socket

from scanner.model import Exposure, Host
from scanner.probes import DoorResult
from scanner.textsafe import bounded

TIMEOUT_S = 3.0
MAX_ANSWER = 512
# MQTT 3.1.1 CONNECT: protocol "MQTT" level 4, clean session, keep-alive 10 s, client id
# "sitewalk-probe", no user name, no will.
_CLIENT_ID = b"sitewalk-probe"
_VARIABLE = b"\x00\x04MQTT\x04\x02\x00\x0a" + len(_CLIENT_ID).to_bytes(2, "big") + _CLIENT_ID
MQTT_CONNECT = b"\x10" + bytes([len(_VARIABLE)]) + _VARIABLE
MQTT_DISCONNECT = b"\xe0\x00"
MQTT_REFUSALS = {1: "unacceptable protocol version", 2: "identifier rejected",
                 3: "server unavailable", 4: "bad user name or password", 5: "not authorised"}


def _exchange(ip: str, port: int, message: bytes, after: bytes = b"") -> bytes:
    with socket.create_connection((ip, port), timeout=TIMEOUT_S) as sock:
        sock.settimeout(TIMEOUT_S)
        sock.sendall(message)
        data = sock.recv(MAX_ANSWER)
        if after:
            sock.sendall(after)
    return data


def redis_open(answer: bytes) -> bool | None:
    """True: PING answered without a password; False: refused; None: not Redis."""
    if answer.startswith(b"+PONG"):
        return True
    if answer.startswith((b"-NOAUTH", b"-DENIED", b"-ERR operation not permitted")):
        return False
    return None


def mqtt_connack(answer: bytes) -> int | None:
    """The CONNACK return code, or None when the answer is not a CONNACK."""
    if len(answer) >= 4 and answer[0] == 0x20 and answer[1] == 0x02:
        return answer[3]
    return None


def probe_redis(host: Host, result: DoorResult, port: int = 6379) -> None:
    """A redis exposure when PING is answered without AUTH."""
    answer = _exchange(host.ip, port, b"PING\r\n")
    result.raw["redis_ping"] = bounded(answer.decode("latin-1"), 120)
    verdict = redis_open(answer)
    if verdict is None:
        return
    result.probed.add("redis")
    if verdict and not any(e.kind == "redis" for e in result.exposures):
        result.exposures.append(Exposure("redis", port, access="query",
                                         how="PING answered +PONG without AUTH"))


def probe_mqtt(host: Host, result: DoorResult, port: int = 1883) -> None:
    """An mqtt exposure when an anonymous CONNECT is accepted."""
    answer = _exchange(host.ip, port, MQTT_CONNECT, MQTT_DISCONNECT)
    code = mqtt_connack(answer)
    result.raw["mqtt_connack"] = code if code is not None else bounded(answer.hex(), 40)
    if code is None:
        return
    result.probed.add("mqtt")
    result.exposures[:] = [e for e in result.exposures if e.kind != "mqtt"]
    if code == 0:
        result.exposures.append(Exposure(
            "mqtt", port, access="query",
            how="MQTT 3.1.1 CONNECT without user name accepted (CONNACK 0), then DISCONNECT"))
