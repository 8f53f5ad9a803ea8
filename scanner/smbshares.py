"""Shares anyone can read: list a file server's shares without a password, then try each one.

Uses Samba's ``smbclient`` (``-N``: no password; ``-s /dev/null``: none of this machine's Samba
settings). A share counts as readable without a password only when listing its top folder
succeeds; nothing is downloaded or written. Every call has a timeout and bounded output; at most
:data:`MAX_SHARES` shares are tried. Without smbclient the caller is told, not left guessing.
"""

from __future__ import annotations

import shutil
import subprocess

from scanner.textsafe import bounded, bounded_name

TIMEOUT_S = 8.0
MAX_SHARES = 20
MAX_OUTPUT = 64 * 1024


class SmbClientMissing(RuntimeError):
    """smbclient is not installed."""


def parse_share_list(output: str) -> list[str]:
    """Disk share names from ``smbclient -g -L`` output (``Disk|name|comment`` lines)."""
    shares = []
    for line in output.splitlines():
        kind, _sep, rest = line.partition("|")
        name = rest.split("|", 1)[0]
        if kind == "Disk" and name and not name.endswith("$"):
            shares.append(bounded_name(name))
    return list(dict.fromkeys(shares))[:MAX_SHARES]


def listing_succeeded(returncode: int, output: str) -> bool:
    """Whether ``smbclient -c ls`` listed the share (and was not refused)."""
    return returncode == 0 and "NT_STATUS_" not in output


def _smbclient(arguments: list[str]) -> tuple[int, str]:
    path = shutil.which("smbclient")
    if path is None:
        raise SmbClientMissing("smbclient is not installed (apt-get install smbclient)")
    try:
        done = subprocess.run([path, "-s", "/dev/null", "-N", *arguments], capture_output=True,
                              timeout=TIMEOUT_S, stdin=subprocess.DEVNULL, check=False)
    except subprocess.TimeoutExpired:
        return -1, "timed out"
    text = (done.stdout[:MAX_OUTPUT] + b"\n" + done.stderr[:4096]).decode("utf-8", "replace")
    return done.returncode, text


def listed_shares(ip: str) -> tuple[list[str], str]:
    """(disk shares a null session lists, note on why none were listed).

    Raises :class:`SmbClientMissing` without smbclient.
    """
    code, output = _smbclient(["-g", "-L", f"//{ip}"])
    shares = parse_share_list(output)
    if not shares:
        refused = "NT_STATUS_" in output or code != 0
        return [], ("anonymous share listing refused: " + bounded(output.strip()[-160:], 200)
                    if refused else "")
    return shares, ""


def readable_shares(ip: str, shares: list[str]) -> list[str]:
    """The shares among ``shares`` whose top folder lists without a password."""
    readable = []
    for share in shares:
        code, output = _smbclient([f"//{ip}/{share}", "-c", "ls"])
        if listing_succeeded(code, output):
            readable.append(share)
    return readable


def anonymous_shares(ip: str) -> tuple[tuple[str, ...], str]:
    """(shares readable without a password, note on what could not be checked).

    Raises :class:`SmbClientMissing` without smbclient.
    """
    shares, note = listed_shares(ip)
    return tuple(readable_shares(ip, shares)), note
