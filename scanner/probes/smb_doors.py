"""SMB shares open to anyone: null-session share lists, guest read, guest write.

The share list comes from a null session (``smbclient -N -L``, :mod:`scanner.smbshares`), read
access from listing each share's top folder anonymously. Write access is decided without
writing anything: an SMB2/3 TREE_CONNECT answer carries the *maximal access* the server grants
this session on the share ([MS-SMB2] 2.2.10: share permissions and a read-only setting are in
it), read with smbprotocol as guest (an unknown user with an empty password, which a server
that maps bad users to guest accepts). A share counts as writable when that mask holds a write
right. File-system permissions inside the share may still refuse some writes; the evidence
says how it was decided.
"""

from __future__ import annotations

import uuid

from scanner.model import Exposure, Host
from scanner.probes import DoorResult
from scanner.textsafe import bounded

TIMEOUT_S = 5
# The rights that let a client put data in the share: FILE_WRITE_DATA/ADD_FILE,
# FILE_APPEND_DATA/ADD_SUBDIRECTORY, GENERIC_WRITE, GENERIC_ALL. Standard rights (DELETE,
# WRITE_DAC …) are left out: Samba grants them in the mask of a read-only share too (0x1f00a9
# measured on the lab NAS's read-only share) and refuses the write itself.
WRITE_RIGHTS = {0x2: "write data / add file", 0x4: "append data / add folder",
                0x10000000: "generic all", 0x40000000: "generic write"}
GUEST_USER = "sitewalk-guest-probe"  # unknown on purpose: only a guest mapping lets it in


def write_rights(mask: int) -> list[str]:
    """The write rights in a maximal-access mask."""
    return [name for bit, name in WRITE_RIGHTS.items() if mask & bit]


def maximal_access(ip: str, shares: list[str]) -> dict[str, int | str]:
    """share -> maximal access mask granted to a guest session, or why it is unknown."""
    from smbprotocol.connection import Connection
    from smbprotocol.exceptions import SMBException
    from smbprotocol.session import Session
    from smbprotocol.tree import SMB2TreeConnectRequest, SMB2TreeConnectResponse, TreeConnect

    access: dict[str, int | str] = {}
    connection = Connection(uuid.uuid4(), ip, 445, require_signing=False)
    try:
        connection.connect(timeout=TIMEOUT_S)
        session = Session(connection, GUEST_USER, "", require_encryption=False,
                          auth_protocol="ntlm")
        session.connect()
        for share in shares:
            tree = TreeConnect(session, rf"\\{ip}\{share}")
            request = SMB2TreeConnectRequest()
            request["buffer"] = tree.share_name.encode("utf-16-le")
            try:
                sent = connection.send(request, sid=session.session_id)
                response = connection.receive(sent, timeout=TIMEOUT_S)
            except SMBException as exc:
                access[share] = f"tree connect refused: {bounded(exc, 120)}"
                continue
            answer = SMB2TreeConnectResponse()
            answer.unpack(response["data"].get_value())
            access[share] = int(answer["maximal_access"].get_value())
            tree.tree_connect_id = response["tree_id"].get_value()
            tree._connected = True  # so disconnect() sends TREE_DISCONNECT
            session.tree_connect_table[tree.tree_connect_id] = tree
            tree.disconnect()
    except (SMBException, OSError, ValueError) as exc:
        reason = f"guest session failed: {bounded(exc, 160)}"
        return {share: access.get(share, reason) for share in shares}
    finally:
        connection.disconnect(close=True)
    return access


def probe(host: Host, result: DoorResult, listed: list[str], readable: list[str],
          refused: str = "") -> None:
    """From the null-session list and the readable shares (see :mod:`scanner.smbshares`), one
    smb_share exposure per share readable or writable without a password."""
    result.probed.update({"smb_null_session", "smb_share"})
    result.raw["smb"] = {"listed": listed, "readable": readable, "refused": refused}
    if not listed:
        return
    result.exposures.append(Exposure(
        "smb_null_session", 445, access="list", detail=bounded(", ".join(listed), 200),
        how="smbclient -N -L listed the shares without a user name or password"))
    masks = maximal_access(host.ip, listed)
    result.raw["smb"]["maximal_access"] = {k: (hex(v) if isinstance(v, int) else v)
                                           for k, v in masks.items()}
    for share in listed:
        mask = masks.get(share)
        rights = write_rights(mask) if isinstance(mask, int) else []
        if rights:
            how = (f"guest TREE_CONNECT maximal access {mask:#010x} includes "
                   f"{', '.join(rights[:4])}; nothing was written")
            access = "write"
        elif share in readable:
            how = "anonymous listing of the share's top folder succeeded" + (
                f"; write: guest maximal access {mask:#010x} has no write right"
                if isinstance(mask, int) else f"; write not decided ({mask})")
            access = "read"
        else:
            continue
        result.exposures.append(Exposure("smb_share", 445, name=share, access=access,
                                         how=bounded(how, 300)))
