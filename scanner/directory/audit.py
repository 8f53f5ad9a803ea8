"""The one entry point: find a controller, bind, read, and write ``directory.json``.

A failed audit (no controller, wrong password, bind refused) raises
:class:`~scanner.directory.reader.DirectoryError` with one line; before raising it records the
failure in ``directory.json`` unless an earlier, successful audit is already there (a failed
re-run never throws away good data). SYSVOL is a second source: when it fails the audit is
``partial`` and the GPO-based checks say UNKNOWN.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scanner import __version__
from scanner.directory.account import AdAccount
from scanner.directory.collect import collect
from scanner.directory.discovery import find_controllers
from scanner.directory.reader import (
    AccountRefusedError,
    AuthenticationError,
    DirectoryError,
    DirectoryReader,
    NoControllerError,
)
from scanner.directory.store import DIRECTORY_SCHEMA_VERSION, load_raw, save_directory
from scanner.directory.sysvol import SysvolError, read_sysvol
from scanner.model import Inventory

Connector = Callable[[str, AdAccount], DirectoryReader]


def _default_connector(address: str, account: AdAccount) -> DirectoryReader:
    from scanner.directory.msldap_reader import MsldapReader

    return MsldapReader.connect(address, account)


def _header(account: AdAccount) -> dict[str, Any]:
    return {"schema_version": DIRECTORY_SCHEMA_VERSION, "tool_version": __version__,
            "collected_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "account": account.display}


def audit_directory(folder: Path, account: AdAccount, dc: str | None = None,
                    inventory: Inventory | None = None, connector: Connector | None = None,
                    sysvol: bool = True) -> dict[str, Any]:
    """Run the audit and write ``folder/directory.json``; the document on success."""
    started = time.monotonic()
    connector = connector or _default_connector
    try:
        controllers = find_controllers(account.realm, dc, inventory)
        reader, controller = _bind(controllers, account, connector)
    except DirectoryError as exc:
        _record_failure(folder, account, exc)
        raise
    try:
        body = collect(reader)
        transport = reader.transport
    except DirectoryError as exc:
        _record_failure(folder, account, exc)
        raise
    finally:
        reader.close()
    sources: dict[str, str] = {"ldap": "ok"}
    body["domain"]["netbios_name"] = account.domain if not account.realm else ""
    if sysvol:
        names = {g["guid"].lower(): g["name"] for g in body["gpos"]}
        try:
            body.update(read_sysvol(controller.address, body["domain"]["dns_name"], account,
                                    names))
            sources["sysvol"] = "ok"
        except SysvolError as exc:
            sources["sysvol"] = f"failed: {exc}"
    else:
        sources["sysvol"] = "not read"
    document = {**_header(account), "status": "complete" if sources.get("sysvol") == "ok"
                else "partial", "error": "",
                "controller": {"address": controller.address, "name": controller.name,
                               "found_by": controller.found_by, "transport": transport},
                "sources": sources, "duration_seconds": round(time.monotonic() - started, 2),
                **body}
    document.setdefault("gpp_passwords", [])
    document.setdefault("gpo_security_templates", [])
    save_directory(folder, document)
    return document


def _bind(controllers: list[Any], account: AdAccount, connector: Connector
          ) -> tuple[DirectoryReader, Any]:
    last: DirectoryError | None = None
    for controller in controllers:
        try:
            return connector(controller.address, account), controller
        except (AuthenticationError, AccountRefusedError):
            raise  # never try the password again elsewhere: it counts towards lockout
        except DirectoryError as exc:
            last = exc
    raise last or NoControllerError("no domain controller answered")


def _record_failure(folder: Path, account: AdAccount, exc: DirectoryError) -> None:
    previous = load_raw(folder)
    if previous is not None and previous.get("status") in ("complete", "partial"):
        return
    save_directory(folder, {**_header(account), "status": "failed", "error": str(exc),
                            "error_kind": exc.kind})
