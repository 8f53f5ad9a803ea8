"""Scope is honoured: no packet ever goes to an excluded address, shown by capturing in the lab.

tcpdump listens on the office's switch (the bridge in the lab's switch namespace) while the
real ``sitewalk scan`` runs in the laptop namespace with ``--exclude``; any frame that reaches
the excluded address — IP traffic to it, an ARP question for it, a multicast query it would
hear — fails the test.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

SITEWALK = str(Path(sys.executable).with_name("sitewalk"))
EXCLUDED = "192.168.77.40"  # the printer
SWITCH_NS, BRIDGE = "swlab-sw", "br0"
LAPTOP = "192.168.77.250"
# What the scanner could send that reaches the excluded address: IP to it, an ARP question for
# it (opcode 1, target protocol address c0 a8 4d 28), or a multicast query (mDNS, SSDP) from
# the laptop, which every device on the segment hears, the excluded one too. What the excluded
# device sends of its own accord (avahi announcing itself when the lab starts) is not counted.
MULTICAST = ("224.0.0.251", "239.255.255.250")
CAPTURE_FILTER = (f"(ip and dst host {EXCLUDED}) or "
                  "(arp and arp[6:2] = 1 and arp[24:4] = 0xc0a84d28) or "
                  f"(src host {LAPTOP} and ("
                  + " or ".join(f"dst host {group}" for group in MULTICAST) + "))")


def test_no_packet_reaches_an_excluded_address(office, tmp_path: Path) -> None:
    capture = tmp_path / "scope.pcap"
    tcpdump = subprocess.Popen(["ip", "netns", "exec", SWITCH_NS, "tcpdump", "-i", BRIDGE, "-n",
                                "-U", "-w", str(capture), CAPTURE_FILTER],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1.0)  # tcpdump is listening once it has opened the interface
        assert tcpdump.poll() is None, tcpdump.stderr.read() if tcpdump.stderr else ""
        scan = subprocess.run(["ip", "netns", "exec", office.LAPTOP_NS, SITEWALK, "scan",
                               "192.168.77.0/24", "--exclude", EXCLUDED, "--profile", "quick",
                               "--client", "Scope", "--out", str(tmp_path / "a")],
                              capture_output=True, text=True, timeout=600)
        assert scan.returncode == 0, scan.stderr[-1000:]
        time.sleep(0.5)
    finally:
        os.kill(tcpdump.pid, signal.SIGINT)
        _out, err = tcpdump.communicate(timeout=20)
    counted = subprocess.run(["tcpdump", "-n", "-r", str(capture)], capture_output=True,
                             text=True, timeout=30)
    packets = [line for line in counted.stdout.splitlines() if line.strip()]
    assert packets == [], f"{len(packets)} packets touched {EXCLUDED}: {packets[:5]}"
    assert "packets captured" in err, "tcpdump really ran"
    inventory = json.loads((tmp_path / "a" / "inventory.json").read_text())
    assert EXCLUDED not in {h["ip"] for h in inventory["hosts"]}
    assert inventory["excluded"] == [EXCLUDED]
    skipped = {e["source"] for e in inventory["errors"] if "excluded" in e["message"]}
    assert skipped == {"mdns", "ssdp"}, inventory["errors"]
