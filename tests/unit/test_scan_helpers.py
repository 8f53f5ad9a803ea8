"""The scanner's small helpers: port lists, lost answers, probe waits, ARP frames, targets."""

from __future__ import annotations

import pytest

from scanner.arp import parse_reply, request_frame
from scanner.identify import classify
from scanner.model import DirectoryInfo, Host, Service
from scanner.nmap_data import capped_probes
from scanner.nmap_scan import compress_ports, expand_ports, lost_ports
from scanner.smbshares import listing_succeeded, parse_share_list
from scanner.targets import TargetError
from scanner.wan import nothing_answered, wan_target

SWEEP = """<?xml version="1.0"?><nmaprun>
<host><address addr="10.0.0.1" addrtype="ipv4"/><ports>
<extraports state="filtered" count="3"><extrareasons reason="no-response" count="3" proto="tcp"
 ports="1-2,80"/></extraports>
<extraports state="closed" count="65530"><extrareasons reason="reset" count="65530"
 proto="tcp" ports="3-79,81-65535"/></extraports>
<port protocol="tcp" portid="22"><state state="open" reason="syn-ack"/></port></ports></host>
<host><address addr="10.0.0.2" addrtype="ipv4"/><ports>
<extraports state="filtered" count="65534"><extrareasons reason="no-response" count="65534"
 proto="tcp" ports="1-3388,3390-65535"/></extraports>
<port protocol="tcp" portid="3389"><state state="open" reason="syn-ack"/></port></ports></host>
</nmaprun>"""


def test_port_lists() -> None:
    assert expand_ports("1-3,7,x,70000") == [1, 2, 3, 7]
    assert compress_ports([7, 1, 2, 3, 9, 10]) == "1-3,7,9-10"
    assert compress_ports([]) == ""


def test_lost_answers_are_only_suspected_on_hosts_that_reset() -> None:
    assert lost_ports(SWEEP) == {"10.0.0.1": [1, 2, 80]}
    assert lost_ports("not xml") == {}


def test_probe_waits_are_capped() -> None:
    text = ("Probe TCP NULL q||\ntotalwaitms 6000\ntcpwrappedms 3000\nmatch x m|y|\n"
            "Probe TCP GetRequest q|GET|\nrarity 1\n")
    capped = capped_probes(text, 600, 1500)
    assert "totalwaitms 6000" not in capped
    assert capped.count("totalwaitms 600\n") == 1 and "totalwaitms 1500" in capped
    assert "tcpwrappedms 1500" in capped and "match x m|y|" in capped


def test_arp_frames_round_trip() -> None:
    frame = request_frame("e4:c7:67:4d:77:fa", "192.168.77.250", "192.168.77.1")
    assert len(frame) == 42 and frame[:6] == b"\xff" * 6
    reply = frame[:20] + b"\x00\x02" + bytes.fromhex("7c5a1c3e7701") + bytes([192, 168, 77, 1])
    reply += frame[22:28] + frame[28:32]
    assert parse_reply(reply) == ("192.168.77.1", "7c:5a:1c:3e:77:01")
    assert parse_reply(frame) is None  # a request, not a reply
    assert parse_reply(b"\x00" * 10) is None


def test_directory_evidence_makes_a_domain_controller() -> None:
    host = Host(ip="10.0.0.10", services=(Service(389, "tcp", "ldap"),),
                directory=DirectoryInfo(dns_domain="ad.example", naming_context="DC=ad"))
    found = classify(host)
    assert found.device_class == "domain_controller"
    assert any("root DSE" in line for line in found.evidence)


def test_smbclient_output() -> None:
    output = "Anonymous login successful\nDisk|backup|Nightly\nDisk|admin$|\nIPC|IPC$|x\n"
    assert parse_share_list(output) == ["backup"]
    assert listing_succeeded(0, "  .   D  0  Sun\n")
    assert not listing_succeeded(1, "tree connect failed: NT_STATUS_ACCESS_DENIED")


def test_wan_target_is_one_address() -> None:
    assert wan_target(" 198.51.100.2 ") == "198.51.100.2"
    for bad in ("198.51.100.0/24", "198.51.100.1-9", "fw.example.com", "127.0.0.1"):
        with pytest.raises(TargetError):
            wan_target(bad)
    dropped = ('<nmaprun><host><ports><extraports state="filtered" count="65535"/></ports>'
               '</host></nmaprun>')
    assert nothing_answered(dropped) is True
    assert nothing_answered(dropped.replace("filtered", "closed")) is False


def test_version_sample_takes_the_office_ports_first_and_at_most_the_cap() -> None:
    from scanner.nmap_scan import MAX_VERSION_PORTS
    from scanner.pipeline import version_sample
    from scanner.profiles import OFFICE_TCP_PORTS

    every = list(range(1, 65536))
    sample = version_sample(every)
    assert len(sample) == MAX_VERSION_PORTS and sample == sorted(sample)
    assert set(OFFICE_TCP_PORTS) <= set(sample)
    few = [22, 80, 40000, 50000]
    assert version_sample(few) == few
