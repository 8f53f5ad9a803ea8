"""Kept credentials: encrypted in the store, never printed, used by the unattended scan.

On both backends: what ``credentials set`` keeps is not readable in the database without the
key file (the raw bytes of the SQLite file and of the PostgreSQL row are searched for the
secrets); ``show`` prints a summary only; the wrong or a missing key is a one-line error; and
``scan --unattended`` asks the kept communities and v3 users (the scan itself is replaced by
one that sends nothing and records the request it was given).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from history.credentials import CredentialError, SiteCredentials, ensure_key, keep, load
from history.store import open_store
from history.tables import CredentialRow
from scanner.model import Inventory
from scanner.pipeline import Progress, ScanRequest
from sitewalk.cli import main
from tests.unit import test_history_support as support

pg_server, db_url = support.pg_server, support.db_url

COMMUNITY = "Harb0r-ups-RO"
V3_SPEC = "monitor:SHA-256:Auth-Secret-42:AES:Priv-Secret-42"
SECRETS = (COMMUNITY, "Auth-Secret-42", "Priv-Secret-42")


@pytest.fixture(autouse=True)
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "keys" / "credentials.key"
    monkeypatch.setenv("SITEWALK_KEY_FILE", str(path))
    return path


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_set_keeps_them_encrypted_and_show_never_prints_them(db_url: str, key_file: Path,
                                                             tmp_path: Path) -> None:
    code, out, err = run("credentials", "set", "Harbor Dental Group", "--community", COMMUNITY,
                         "--snmp-v3", V3_SPEC, "--db", db_url)
    assert code == 0, err
    assert f"made a new credentials key: {key_file}" in out
    assert "kept, encrypted: 1 SNMP community; 1 SNMPv3 user (monitor)" in out
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    assert not any(secret in out + err for secret in SECRETS)

    with open_store(db_url) as store, store.session() as session:
        (row,) = session.scalars(select(CredentialRow)).all()
        stored = bytes(row.token) + row.summary.encode() + row.key_id.encode()
    assert not any(secret.encode() in stored for secret in SECRETS)
    if "://" not in db_url:  # the whole SQLite file, free pages included
        raw = Path(db_url).read_bytes()
        assert not any(secret.encode() in raw for secret in SECRETS)

    code, out, err = run("credentials", "show", "harbor dental group", "--db", db_url)
    assert code == 0, err
    assert out.startswith("Harbor Dental Group / Main office: 1 SNMP community; 1 SNMPv3 user "
                          "(monitor) (kept ")
    assert not any(secret in out for secret in SECRETS)

    with open_store(db_url) as store:
        assert load(store, "Harbor Dental Group", None) == SiteCredentials(
            (COMMUNITY,), (V3_SPEC,))


def test_the_wrong_or_a_missing_key_is_one_line(db_url: str, key_file: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    assert run("credentials", "set", "Harbor", "--community", COMMUNITY, "--db", db_url)[0] == 0
    other = tmp_path / "other.key"
    monkeypatch.setenv("SITEWALK_KEY_FILE", str(other))
    ensure_key(other)
    with open_store(db_url) as store, pytest.raises(CredentialError, match="another key"):
        load(store, "Harbor", None)
    other.unlink()
    with open_store(db_url) as store, pytest.raises(CredentialError, match="no credentials key"):
        load(store, "Harbor", None)
    monkeypatch.setenv("SITEWALK_KEY_FILE", str(key_file))
    os.chmod(key_file, 0o644)
    with open_store(db_url) as store, pytest.raises(CredentialError, match="chmod 600"):
        load(store, "Harbor", None)


def test_bad_values_and_forget(tmp_path: Path) -> None:
    db = str(tmp_path / "h.db")
    for args, expected in (
            (["--snmp-v3", "monitor:MD9:x"], "unknown auth protocol"),
            (["--community", "a\nb"], "must be one line"),
            ([], "nothing to keep")):
        code, _out, err = run("credentials", "set", "Harbor", *args, "--db", db)
        assert code == 2 and expected in err and err.count("\n") == 1, err
    assert run("credentials", "set", "Harbor", "--community", COMMUNITY, "--db", db)[0] == 0
    assert run("credentials", "forget", "Harbor", "--db", db)[1] == "forgotten\n"
    assert run("credentials", "forget", "Harbor", "--db", db)[1] == \
        "nothing was kept for that site\n"
    assert run("credentials", "show", "Harbor", "--db", db)[1] == \
        "no credentials kept for Harbor\n"
    code, _out, err = run("credentials", "show", "Nobody", "--db", db)
    assert code == 2 and "no client named 'Nobody'" in err


def _recording_scan(seen: list[ScanRequest]) -> Callable[..., Inventory]:
    def run_scan(request: ScanRequest, progress: Progress, resume: bool = False,
                 on_targets: Callable[[list[str]], None] | None = None) -> Inventory:
        seen.append(request)
        raise SystemExit(9)  # stop before the unattended ending; nothing was sent
    return run_scan


def test_the_unattended_scan_asks_the_kept_credentials(tmp_path: Path, key_file: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    db = str(tmp_path / "h.db")
    with open_store(db) as store:
        keep(store, "Harbor", "Annex", SiteCredentials((COMMUNITY,), (V3_SPEC,)),
             ensure_key()[0])
    seen: list[ScanRequest] = []
    monkeypatch.setattr("scanner.pipeline.run_scan", _recording_scan(seen))
    args = ["scan", "192.168.79.0/24", "--client", "Harbor", "--unattended", "--out",
            tmp_path / "o", "--db", db]
    assert run(*args, "--site", "Annex")[0] == 9
    assert seen[-1].communities == (COMMUNITY, "public")
    assert [(u.name, u.auth_key, u.priv_key) for u in seen[-1].snmp_v3_users] == [
        ("monitor", "Auth-Secret-42", "Priv-Secret-42")]
    assert run(*args)[0] == 9, "another site: nothing kept, the defaults"
    assert seen[-1].communities == ("public",) and seen[-1].snmp_v3_users == ()

    key_file.unlink()
    count = len(seen)
    code, _out, err = run(*args, "--site", "Annex")
    assert code == 2 and len(seen) == count, "no scan without the key"
    assert err.startswith("sitewalk: error: no credentials key at ") and err.count("\n") == 1
    assert "nothing was scanned" in err


def test_the_directory_audit_account_is_kept_encrypted_when_asked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitewalk.ad_cli import kept_account

    db = str(tmp_path / "history.sqlite")
    monkeypatch.setenv("SITEWALK_AD_PASSWORD", "Audit-Secret-77")
    code, out, err = run("credentials", "set", "Harbor Dental Group", "--ad-user",
                         "audit@ad.harbor.lan", "--db", db)
    assert code == 0, err
    assert "kept, encrypted: directory audit account audit@ad.harbor.lan" in out
    assert "Audit-Secret-77" not in out + err
    assert b"Audit-Secret-77" not in Path(db).read_bytes()
    account = kept_account("Harbor Dental Group", None, db)
    assert account is not None and account.display == "audit@ad.harbor.lan"
    assert account.password == "Audit-Secret-77"
    assert kept_account("Nobody", None, db) is None
