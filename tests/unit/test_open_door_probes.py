"""The open-door probes: NSE output parsing, PJL and clamd answers, SMB access masks."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from scanner.model import Host, Service, UpsStatus
from scanner.probes import DoorResult, clamd, nut_exposure, printers
from scanner.probes.nse_doors import from_scripts
from scanner.probes.rsync_doors import announced_modules
from scanner.probes.smb_doors import write_rights


def _host(port: int, script: str, output: str, name: str = "") -> Host:
    return Host(ip="192.0.2.5", services=(Service(port, "tcp", name=name,
                                                  scripts={script: output}),))


def _doors(host: Host) -> DoorResult:
    result = DoorResult()
    from_scripts(host, result)
    return result


def test_redis_answering_is_an_exposure_and_a_refusal_is_not() -> None:
    opened = _doors(_host(6379, "redis-info", "\n  Version: 7.0.15\n  Operating System: Linux"))
    assert [(e.kind, e.detail) for e in opened.exposures] == [("redis", "version 7.0.15")]
    refused = _doors(_host(6379, "redis-info", "ERROR: Authentication required"))
    assert refused.exposures == [] and refused.probed == {"redis"}


def test_nfs_exports_open_to_everyone_only() -> None:
    output = "\n  /srv/share *\n  /srv/private 192.168.1.10\n  /export/home (everyone)"
    found = _doors(_host(111, "nfs-showmount", output)).exposures
    assert [e.name for e in found] == ["/srv/share", "/export/home"]


def test_iscsi_target_without_chap() -> None:
    output = ("\n  iqn.2024-01.lan.office:open:\n    Address: 192.0.2.5:3260,1\n"
              "    Authentication: NOT required\n"
              "  iqn.2024-01.lan.office:chap:\n    Address: 192.0.2.5:3260,1\n"
              "    Authentication: required")
    found = _doors(_host(3260, "iscsi-info", output)).exposures
    assert [e.name for e in found] == ["iqn.2024-01.lan.office:open"]


def test_ssh_weak_algorithms_by_section() -> None:
    output = ("\n  kex_algorithms: (3)\n      curve25519-sha256\n      diffie-hellman-group1-sha1\n"
              "      diffie-hellman-group14-sha1\n  server_host_key_algorithms: (2)\n"
              "      ssh-ed25519\n      ssh-rsa\n  encryption_algorithms: (2)\n"
              "      aes128-ctr\n      3des-cbc\n  mac_algorithms: (1)\n      hmac-sha2-256\n"
              "  compression_algorithms: (1)\n      none")
    (found,) = _doors(_host(22, "ssh2-enum-algos", output)).exposures
    # group14-sha1 is still allowed (RFC 9142 "MAY"); "none" compression is not a MAC.
    assert found.detail == ("kex: diffie-hellman-group1-sha1; server: ssh-rsa; "
                            "encryption: 3des-cbc")


def test_tls_legacy_versions() -> None:
    output = ("\n  TLSv1.0: \n    ciphers: \n  TLSv1.2: \n    ciphers: \n"
              "  least strength: A")
    found = _doors(_host(443, "ssl-enum-ciphers", output)).exposures
    assert [e.name for e in found] == ["TLSv1.0"]


def test_x11_only_when_access_is_granted() -> None:
    assert _doors(_host(6000, "x11-access", "X server access is granted")).exposures
    assert not _doors(_host(6000, "x11-access", "")).exposures


def test_rsync_module_names_are_bounded_and_clean() -> None:
    output = ("Synology nas01 - authorised users only\nbackup         \tNightly backups\n"
              "www\tweb\nbad;name\tx")
    assert announced_modules(output) == ["backup", "www"]


def test_write_rights_in_a_maximal_access_mask() -> None:
    assert write_rights(0x001200A9) == []  # read, execute, read attributes, synchronize
    assert write_rights(0x001F00A9) == []  # Samba's read-only share: standard rights only
    assert "write data / add file" in write_rights(0x001F01FF)  # full control
    assert write_rights(0x10000000) == ["generic all"]


def test_nut_answer_is_an_exposure() -> None:
    result = DoorResult()
    nut_exposure(UpsStatus("nut", name="ups", status="OL", model="Smart-UPS 750"), result)
    assert [(e.kind, e.name) for e in result.exposures] == [("nut", "ups")]
    none = DoorResult()
    nut_exposure(None, none)
    assert none.exposures == [] and none.probed == {"nut"}


@pytest.fixture
def loopback_server() -> Iterator[tuple[int, list[bytes], list[bytes]]]:
    """A one-connection-at-a-time loopback server that answers from a list."""
    answers: list[bytes] = []
    received: list[bytes] = []
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(5)

    def serve() -> None:
        for _ in range(4):  # bounded: at most four connections
            try:
                conn, _addr = listener.accept()
            except OSError:
                return
            with conn:
                received.append(conn.recv(256))
                if answers:
                    conn.sendall(answers.pop(0))
            if not answers:
                return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1], answers, received
    listener.close()
    thread.join(timeout=6)


def test_clamd_ping_and_version(loopback_server: tuple[int, list[bytes], list[bytes]]) -> None:
    port, answers, received = loopback_server
    answers += [b"PONG\0", b"ClamAV 1.0.7/27480/Thu Dec  3 09:00:00 2026\0"]
    assert clamd.ask("127.0.0.1", "PING", port) == "PONG"
    assert clamd.ask("127.0.0.1", "VERSION", port).startswith("ClamAV 1.0.7")
    assert received == [b"zPING\0", b"zVERSION\0"]


def test_pjl_info_id(loopback_server: tuple[int, list[bytes], list[bytes]]) -> None:
    port, answers, received = loopback_server
    answers.append(b"@PJL INFO ID\r\n\"HP LaserJet M252dw\"\r\n\x0c")
    answer = printers.ask_pjl("127.0.0.1", port)
    assert printers.pjl_model(answer) == "HP LaserJet M252dw"
    assert b"@PJL INFO ID" in received[0] and b"RDYMSG" not in received[0]


def test_ssl_enum_ciphers_is_condensed_to_the_versions() -> None:
    from scanner.nse import condense_script

    output = ("\n  TLSv1.0: \n    ciphers: \n      TLS_RSA_WITH_AES_128_CBC_SHA (rsa 2048) - A\n"
              "  TLSv1.2: \n    ciphers: \n      TLS_AES_128_GCM_SHA256 - A\n"
              "  least strength: A")
    assert condense_script("ssl-enum-ciphers", output).split("\n") == [
        "  TLSv1.0: ", "  TLSv1.2: ", "  least strength: A"]


def test_redis_and_mqtt_answers() -> None:
    from scanner.probes.brokers import MQTT_CONNECT, mqtt_connack, redis_open

    assert redis_open(b"+PONG\r\n") is True
    assert redis_open(b"-NOAUTH Authentication required.\r\n") is False
    assert redis_open(b"SSH-2.0-OpenSSH_9.2\r\n") is None
    assert mqtt_connack(b"\x20\x02\x00\x00") == 0 and mqtt_connack(b"\x20\x02\x00\x05") == 5
    assert mqtt_connack(b"HTTP/1.1 400") is None
    assert MQTT_CONNECT[1] == len(MQTT_CONNECT) - 2  # remaining length


def test_tftp_answer_from_another_port_and_unreachable() -> None:
    from scanner.probes import tftp

    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", 0))
    server.settimeout(3)

    def answer() -> None:  # like tftpd: the error comes from a new port (its transfer ID)
        request, client = server.recvfrom(600)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as transfer:
            transfer.sendto(b"\x00\x05\x00\x01File not found\x00", client)

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    assert tftp.tftp_answer("127.0.0.1", server.getsockname()[1]).startswith(b"\x00\x05")
    thread.join(timeout=3)
    server.close()
    start = time.monotonic()
    closed = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    assert tftp.tftp_answer("127.0.0.1", port) is None
    assert time.monotonic() - start < 1.0, "an unreachable port must not wait the timeout"
