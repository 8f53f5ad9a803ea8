"""The TCP sweep in host batches, keeping what it learns as it goes.

Every batch is one nmap run whose XML is saved as evidence the moment it ends, so a stopped
scan loses only the batches it had not reached; a batch that is itself stopped keeps the hosts
nmap had finished (:func:`scanner.nmap_scan.salvage`), and ``--resume`` asks only the rest.

Each batch's time limit follows its work: hosts × ports at the rate measured on the batches
before it (at the start, the rate asked for), with a wide margin. The rate itself adapts like
TCP's congestion window (:class:`Rate`): a batch that loses answers (ports silent on a host
that resets its closed ports, see :func:`scanner.nmap_scan.lost_ports`) halves the rate of the
next; a clean batch raises it. Lost answers are asked again in a slower second run for that
batch only.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from scanner.nmap_scan import (
    HOST_TIMEOUT_S,
    MAX_PORT_SPEC,
    HostPorts,
    by_host,
    compress_ports,
    expand_ports,
    lost_ports,
    partial_path,
    run_nmap,
)

MIN_LIMIT_S = 60  # nmap's start-up and a slow host's last retries, whatever the work
LIMIT_MARGIN = 4  # a batch may take this many times its expected time before it is stopped
FIRST_GUESS = 5000  # packets per second assumed received before any batch was measured
BATCH_PROBES = 500_000  # probes per nmap run: a few all-port hosts, or many key-port ones
LOSS_BACKOFF = 0.01  # more than 1 % of a batch's answers lost: halve the rate


@dataclass
class Rate:
    """The sweep rate in packets per second: start fast, halve on loss, grow when clean."""

    current: int
    floor: int = 1000
    ceiling: int = 100000
    measured: float = 0.0  # probes per second actually achieved by the last batch
    history: list[tuple[int, float, float]] = field(default_factory=list)  # (asked, got, loss)

    def after(self, probes: int, seconds: float, lost: int) -> None:
        """Adjust after one batch: ``probes`` asked in ``seconds``, ``lost`` answers lost."""
        loss = lost / probes if probes else 0.0
        self.measured = probes / seconds if seconds > 0 else 0.0
        self.history.append((self.current, self.measured, loss))
        if loss > LOSS_BACKOFF:
            self.current = max(self.floor, self.current // 2)
        elif loss == 0:
            self.current = min(self.ceiling, int(self.current * 1.5))

    def limit(self, probes: int) -> float:
        """How long a run of ``probes`` may take before it is stopped, in seconds.

        At a cautious :data:`FIRST_GUESS` packets per second, or the rate measured on the
        batch before when that was slower: a busy machine receives far less than it is asked
        to send, the rate of one batch says little about the next (a 250-host bench measured
        94 000 per second, then 5 700 on the next batch), and a stopped sweep costs more than
        a slow one.
        """
        speed = min(self.measured, FIRST_GUESS) if self.measured else FIRST_GUESS
        return round(MIN_LIMIT_S + LIMIT_MARGIN * probes / max(speed, self.floor), 1)


@dataclass
class SweepResult:
    """What a sweep learnt: ports per host, notes (nothing lost), and what it did not see."""

    found: dict[str, HostPorts] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    unswept: dict[str, str] = field(default_factory=dict)  # ip -> why it was not swept
    failures: list[str] = field(default_factory=list)  # run errors, one line each
    relost: int = 0  # answers lost and asked again


def _base_arguments(privileged: bool) -> list[str]:
    scan_type = "-sS" if privileged else "-sT"
    return [scan_type, "-n", "-Pn", "-T4", "--host-timeout", f"{HOST_TIMEOUT_S}s"]


def _run_kept(hosts: list[str], arguments: list[str], path: Path, reuse: bool,
              timeout: float, depth: int = 0) -> tuple[dict[str, HostPorts], list[str],
                                                        dict[str, str], str]:
    """One batch run: (found, xml texts, ip -> why not swept, error).

    With ``reuse``, a whole saved run is read back; a stopped one's finished hosts are read
    from its partial file and only the others are asked again (into ``…-rest.xml``).
    """
    done: dict[str, HostPorts] = {}
    texts: list[str] = []
    kept = partial_path(path)
    if reuse and not path.exists() and kept.exists() and depth < 3:
        text = kept.read_text(encoding="utf-8", errors="replace")
        done = by_host(text, hosts)
        texts.append(text)
        rest = [ip for ip in hosts if ip not in done]
        if not rest:
            return done, texts, {}, ""
        more, more_texts, unswept, error = _run_kept(
            rest, arguments, path.with_name(path.stem + "-rest.xml"), reuse, timeout, depth + 1)
        return {**done, **more}, texts + more_texts, unswept, error
    xml_text, error = run_nmap(hosts, arguments, path, reuse, timeout, keep_partial=True)
    if xml_text is not None:
        return by_host(xml_text, hosts), [xml_text], {}, ""
    if kept.exists() and not reuse:
        text = kept.read_text(encoding="utf-8", errors="replace")
        done = by_host(text, hosts)
        texts.append(text)
    return done, texts, {ip: error for ip in hosts if ip not in done}, error


def sweep_batches(groups: list[tuple[list[str], str]], rate: Rate, privileged: bool,
                  evidence_dir: Path, label: str = "tcp", reuse: bool = False,
                  batch_probes: int = BATCH_PROBES,
                  on_batch: Callable[[dict[str, HostPorts], int, int], None] | None = None
                  ) -> SweepResult:
    """Sweep ``groups`` (hosts, nmap port spec) batch by batch; see the module docstring.

    ``on_batch(found, done, total)`` is called after each batch with what it found, so the
    caller can save it and show progress.
    """
    result = SweepResult()
    plan: list[tuple[list[str], str]] = []
    for hosts, ports in groups:
        count = max(1, len(expand_ports(ports)))
        size = max(1, min(64, batch_probes // count))
        plan += [(hosts[i:i + size], ports) for i in range(0, len(hosts), size)]
    total = sum(len(h) for h, _p in plan)
    done_hosts = 0
    for index, (hosts, ports) in enumerate(plan):
        probes = len(hosts) * len(expand_ports(ports))
        arguments = [*_base_arguments(privileged), "--min-rate", str(rate.current),
                     "--max-retries", "1", "-p", ports]
        path = evidence_dir / f"nmap-sweep-{label}-b{index:03d}.xml"
        ran = not (reuse and path.exists())
        started = time.monotonic()
        found, texts, unswept, error = _run_kept(hosts, arguments, path, reuse,
                                                 rate.limit(probes))
        took = time.monotonic() - started
        if error:
            result.failures.append(f"{error} during the TCP sweep "
                                   f"({len(unswept)} of {len(hosts)} hosts not swept)")
        result.unswept.update(unswept)
        lost: dict[str, list[int]] = {}
        for text in texts:
            lost.update({ip: p for ip, p in lost_ports(text).items() if ip in found})
        lost_count = sum(map(len, lost.values()))
        if ran:
            rate.after(probes, took, lost_count)
        if lost:
            _ask_again(found, lost, ports, privileged, rate, evidence_dir,
                       f"{label}-b{index:03d}", reuse, result)
        result.found.update(found)
        done_hosts += len(hosts)
        if on_batch is not None:
            on_batch(found, done_hosts, total)
    if result.relost:
        result.notes.append(f"answers were lost during the sweep: {result.relost} ports asked "
                            "again, more slowly")
    return result


def _ask_again(found: dict[str, HostPorts], lost: dict[str, list[int]], ports: str,
               privileged: bool, rate: Rate, evidence_dir: Path, label: str, reuse: bool,
               result: SweepResult) -> None:
    """The lost answers of one batch, asked again at a quarter of the rate, three retries."""
    again = sorted(lost)
    union = compress_ports(sorted({p for ps in lost.values() for p in ps}))
    if len(union) > MAX_PORT_SPEC:
        union = ports
    probes = len(again) * len(expand_ports(union))
    result.relost += sum(map(len, lost.values()))
    slower = Rate(max(rate.floor, rate.current // 4), rate.floor, rate.ceiling, rate.measured)
    arguments = [*_base_arguments(privileged), "--min-rate", str(slower.current),
                 "--max-retries", "3", "-p", union]
    xml_text, error = run_nmap(again, arguments, evidence_dir / f"nmap-sweep-{label}-retry.xml",
                               reuse, slower.limit(probes * 2))
    if xml_text is None:
        for ip in again:
            result.unswept.setdefault(ip, f"{error} while asking again for lost answers")
        result.failures.append(f"{error} during the TCP re-sweep of lost answers")
        return
    for ip, more in by_host(xml_text, again).items():
        if ip in found:
            known = {s.port for s in found[ip].services}
            found[ip].services.extend(s for s in more.services if s.port not in known)
        else:
            found[ip] = more
