"""A TFTP server that answers anyone: one read request for a file that does not exist.

TFTP has no authentication. nmap's UDP sweep cannot tell (measured in the virtual office:
tftpd-hpa ignores the datagram nmap sends first on port 69, so the port stays
"open|filtered"), so every host is asked once: a read request (RRQ) for a name no device
holds. Any TFTP answer (an ERROR "file not found" or DATA) means the server serves whoever
asks; an ICMP port-unreachable (the usual case) ends the wait at once. One datagram, 1.5 s
and 516 bytes at most; hand-written because an RRQ is one line of bytes (tftpy, the Python
client, cannot stop at the first answer).
"""

from __future__ import annotations

import select
import socket
import time

from scanner.model import Exposure, Host
from scanner.probes import DoorResult
from scanner.textsafe import bounded

PORT = 69
TIMEOUT_S = 1.5
PROBE_FILE = b"sitewalk-probe-no-such-file.txt"
RRQ = b"\x00\x01" + PROBE_FILE + b"\x00octet\x00"
OPCODES = {3: "DATA", 5: "ERROR"}


def tftp_answer(ip: str, port: int = PORT) -> bytes | None:
    """The server's first datagram, or None (port unreachable or silent).

    A TFTP server answers from a new port (its transfer ID), which a socket connected to
    port 69 would drop; an ICMP port-unreachable reaches only a connected socket. So two
    sockets share one local port (SO_REUSEPORT): the connected one sends and hears the
    unreachable, the unconnected one hears the answer.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as answers, \
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
        for sock in (answers, sender):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        answers.bind(("0.0.0.0", 0))
        sender.bind(answers.getsockname())
        sender.connect((ip, port))
        sender.send(RRQ)
        deadline = time.monotonic() + TIMEOUT_S
        while (left := deadline - time.monotonic()) > 0:
            ready, _w, _x = select.select([answers, sender], [], [], left)
            if sender in ready:
                try:
                    sender.recv(516)  # raises on ICMP port unreachable: nothing listens
                except OSError:
                    return None
            if answers in ready:
                data, (source, _port) = answers.recvfrom(516)
                if source == ip:
                    return data
    return None


def probe(host: Host, result: DoorResult) -> None:
    """A tftp exposure when the host answers the read request like a TFTP server."""
    answer = tftp_answer(host.ip)
    result.probed.add("tftp")
    if answer is None or len(answer) < 4:
        return
    opcode = int.from_bytes(answer[:2], "big")
    if opcode not in OPCODES:
        return
    said = bounded(answer[4:].split(b"\0", 1)[0].decode("latin-1"), 80)
    result.raw["tftp"] = f"{OPCODES[opcode]} {said}"
    result.exposures.append(Exposure(
        "tftp", PORT, protocol="udp", access="read", detail=f"{OPCODES[opcode]}: {said}",
        how=f"a read request for {PROBE_FILE.decode()} was answered with {OPCODES[opcode]}: "
            "the server answers anyone"))
