"""Key material for the lab (TLS certificates, SSH host keys), cached between runs.

Keys are generated once into the cache dir (``/var/cache/sitewalk-lab`` by default)
and copied into the state dir on every ``up``. Reusing them keeps ``up`` fast and
gives the scanner stable fingerprints from run to run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .netns import run

SYSTEM_CACHE_DIR = Path("/var/cache/sitewalk-lab")
SSH_KEY_TYPES = (("rsa", ["-b", "3072"]), ("ecdsa", ["-b", "256"]), ("ed25519", []))


def cache_dir(state_dir: Path) -> Path:
    """Return a writable cache dir: the system one if possible, else one in the state dir."""
    for candidate in (SYSTEM_CACHE_DIR, state_dir / "cache"):
        try:
            candidate.mkdir(mode=0o700, parents=True, exist_ok=True)
            if os.access(candidate, os.W_OK):
                return candidate
        except OSError:
            continue
    raise RuntimeError("no writable cache directory for the lab")


def install_file(src: Path, dst: Path, mode: int) -> Path:
    """Copy ``src`` to ``dst`` with permissions ``mode`` (owner root)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    os.chmod(dst, mode)
    return dst


def tls_pair(cache: Path, cn: str, ip: str, org: str | None = None) -> tuple[Path, Path]:
    """Return (key, certificate) for a self-signed RSA-2048 cert, creating it if needed."""
    directory = cache / "tls"
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    stem = f"{cn}-{org}".replace(" ", "_") if org else cn
    key, cert = directory / f"{stem}.key", directory / f"{stem}.crt"
    if key.exists() and cert.exists():
        return key, cert
    subject = f"/O={org}/CN={cn}" if org else f"/CN={cn}"
    tmp_key, tmp_cert = key.with_suffix(".key.tmp"), cert.with_suffix(".crt.tmp")
    run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256",
         "-days", "3650", "-subj", subject, "-addext", f"subjectAltName=DNS:{cn},IP:{ip}",
         "-keyout", str(tmp_key), "-out", str(tmp_cert)], timeout=60)
    os.chmod(tmp_key, 0o600)
    os.replace(tmp_key, key)
    os.replace(tmp_cert, cert)
    return key, cert


def install_tls(cache: Path, dest_dir: Path, cn: str, ip: str, org: str | None = None) -> None:
    """Put ``key.pem`` (0600) and ``cert.pem`` for ``cn`` into ``dest_dir``."""
    key, cert = tls_pair(cache, cn, ip, org)
    install_file(key, dest_dir / "key.pem", 0o600)
    install_file(cert, dest_dir / "cert.pem", 0o644)


def install_ssh_host_keys(cache: Path, host: str, dest_dir: Path) -> None:
    """Put ``ssh_host_{rsa,ecdsa,ed25519}_key[.pub]`` for ``host`` into ``dest_dir``."""
    directory = cache / "ssh" / host
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    for kind, extra in SSH_KEY_TYPES:
        key = directory / f"ssh_host_{kind}_key"
        if not (key.exists() and key.with_suffix(".pub").exists()):
            key.unlink(missing_ok=True)
            key.with_suffix(".pub").unlink(missing_ok=True)
            run(["ssh-keygen", "-q", "-t", kind, *extra, "-N", "", "-C", f"root@{host}",
                 "-f", str(key)], timeout=60)
        install_file(key, dest_dir / key.name, 0o600)
        install_file(key.with_suffix(".pub"), dest_dir / f"{key.name}.pub", 0o644)
