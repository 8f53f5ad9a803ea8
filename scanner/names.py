"""Host names by reverse DNS, through the system resolver of the namespace the scan runs in."""

from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor, wait

from scanner.textsafe import bounded_name


def _ptr(ip: str) -> list[str]:
    try:
        name, aliases, _addresses = socket.gethostbyaddr(ip)
    except (OSError, UnicodeError):
        return []
    names = [bounded_name(n).rstrip(".").lower() for n in [name, *aliases] if n]
    return list(dict.fromkeys(n for n in names if n and n != ip))


def reverse_dns(addresses: list[str], deadline_s: float = 15.0) -> dict[str, list[str]]:
    """ip -> PTR names, for the lookups that finished within ``deadline_s`` seconds."""
    if not addresses:
        return {}
    pool = ThreadPoolExecutor(max_workers=min(32, len(addresses)))
    futures = {pool.submit(_ptr, ip): ip for ip in addresses}
    done, _pending = wait(futures, timeout=deadline_s)
    pool.shutdown(wait=False, cancel_futures=True)
    return {futures[f]: f.result() for f in done if f.result()}
