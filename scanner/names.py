"""Host names by reverse DNS, through the system resolver of the namespace the scan runs in."""

from __future__ import annotations

import queue
import socket
import threading
import time

from scanner.textsafe import bounded_name

MAX_THREADS = 32


def _ptr(ip: str) -> list[str]:
    try:
        name, aliases, _addresses = socket.gethostbyaddr(ip)
    except (OSError, UnicodeError):
        return []
    names = [bounded_name(n).rstrip(".").lower() for n in [name, *aliases] if n]
    return list(dict.fromkeys(n for n in names if n and n != ip))


def reverse_dns(addresses: list[str], deadline_s: float = 15.0) -> dict[str, list[str]]:
    """ip -> PTR names, for the lookups that finished within ``deadline_s`` seconds.

    The resolver cannot be cancelled, so lookups run in daemon threads: a resolver that hangs
    costs at most the deadline and never keeps the program from exiting.
    """
    work: queue.Queue[str] = queue.Queue()
    for ip in addresses:
        work.put(ip)
    results: dict[str, list[str]] = {}
    lock = threading.Lock()

    def worker() -> None:
        while True:
            try:
                ip = work.get_nowait()
            except queue.Empty:
                return
            names = _ptr(ip)
            with lock:
                results[ip] = names

    threads = [threading.Thread(target=worker, daemon=True)
               for _ in range(min(MAX_THREADS, len(addresses)))]
    for thread in threads:
        thread.start()
    end = time.monotonic() + deadline_s
    for thread in threads:
        thread.join(max(0.0, end - time.monotonic()))
    with lock:
        return {ip: names for ip, names in results.items() if names}
