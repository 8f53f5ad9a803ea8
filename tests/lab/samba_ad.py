"""Samba AD domain for the lab DC, provisioned once and cached as a tarball.

``samba-tool domain provision`` takes ~5 s of CPU, so its result is kept in
``<cache>/samba-ad-<samba version>-<hash of the provision arguments>.tar`` and
unpacked into the state dir on each ``up``. The tarball keeps the xattrs
(``security.NTACL``) and POSIX ACLs of sysvol. The provisioned databases hold no
absolute paths (only the generated smb.conf does, and the lab writes its own),
so the tree can be unpacked anywhere.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from .netns import run
from .procs import LaunchSpec, run_isolated

REALM = "AD.OFFICE.LAN"
DNS_DOMAIN = REALM.lower()
WORKGROUP = "OFFICE"
NETBIOS_NAME = "DC01"
# A lab-only password, documented in tests/lab/README.md; never reuse it anywhere.
ADMIN_PASSWORD = "Sitewalk-Lab-2024!"
PROVISION_TIMEOUT = 120.0
TAR_FLAGS = ("--xattrs", "--xattrs-include=*", "--acls", "--numeric-owner")


def provision_args(dc_ip: str) -> list[str]:
    """Return the ``samba-tool domain provision`` options (without the target dir)."""
    return [
        f"--realm={REALM}", f"--domain={WORKGROUP}", "--server-role=dc",
        "--dns-backend=SAMBA_INTERNAL", f"--host-name={NETBIOS_NAME}",
        f"--host-ip={dc_ip}", f"--adminpass={ADMIN_PASSWORD}", "--use-rfc2307",
    ]


def samba_version() -> str:
    """Return the installed Samba version, e.g. ``4.17.12-Debian``."""
    out = run(["samba", "-V"]).stdout.strip()
    return out.split()[-1]


def tarball_path(cache: Path, dc_ip: str) -> Path:
    """Return the cache tarball path for this Samba version and provision arguments.

    The key also carries the office directory (``samba_directory.py``'s text and the month
    its logon dates are anchored on), so a changed directory or a new month re-provisions.
    """
    key = [*provision_args(dc_ip), *directory_cache_key()]
    digest = hashlib.sha256("\0".join(key).encode()).hexdigest()[:12]
    return cache / f"samba-ad-{samba_version()}-{digest}.tar"


# --- The office directory (issue 12: the directory audit) -------------------------------
# samba_directory.py fills the freshly provisioned sam.ldb with people, admins, computers, a
# weak policy, a PSO and a GPP file with a cpassword in SYSVOL, before the tree is cached.

DIRECTORY_SCRIPT = Path(__file__).with_name("samba_directory.py")
SYSTEM_PYTHON = "/usr/bin/python3"  # Samba's Python bindings are a Debian package


def directory_anchor() -> str:
    """The first day of this month (UTC): what the directory's logon dates count back from."""
    today = datetime.now(UTC).date()
    return today.replace(day=1).isoformat()


def directory_cache_key() -> list[str]:
    """What the cached directory depends on: the script and the month."""
    return [hashlib.sha256(DIRECTORY_SCRIPT.read_bytes()).hexdigest(), directory_anchor()]


def _populate(target: Path, log: Path) -> None:
    """Fill the provisioned database at ``target`` with the office directory."""
    result = run([SYSTEM_PYTHON, str(DIRECTORY_SCRIPT), str(target), DNS_DOMAIN,
                  directory_anchor()], timeout=PROVISION_TIMEOUT, check=False)
    with log.open("a", encoding="utf-8") as handle:
        handle.write(result.stdout + result.stderr)
    if result.returncode != 0:
        raise RuntimeError(f"filling the lab directory failed (see {log}): "
                           f"{(result.stderr or result.stdout).strip().splitlines()[-1:]}")
# --- end of the office directory block ----------------------------------------------------


def _provision(cache: Path, tarball: Path, ns: str, dc_ip: str, log: Path,
               shadow_root: Path) -> None:
    """Provision a fresh domain inside ``ns`` (isolated mounts) and pack it as ``tarball``."""
    build = Path(tempfile.mkdtemp(prefix="samba-build-", dir=cache))
    try:
        empty_conf = build / "empty.conf"
        empty_conf.write_text("", encoding="utf-8")
        target = build / "domain"
        shadows = []
        for system_dir in ("/var/lib/samba", "/var/cache/samba"):
            if Path(system_dir).is_dir():
                src = shadow_root / system_dir.strip("/").replace("/", "-")
                src.mkdir(parents=True, exist_ok=True)
                shadows.append((src, system_dir))
        spec = LaunchSpec(
            host="dc", name="provision", ns=ns, hostname=NETBIOS_NAME.lower(),
            argv=("samba-tool", "domain", "provision", "-s", str(empty_conf),
                  *provision_args(dc_ip), f"--targetdir={target}"),
            state_dir=cache, log=log, shadow=tuple(shadows),
        )
        run_isolated(spec, timeout=PROVISION_TIMEOUT)
        # The generated smb.conf holds absolute paths and a "dns forwarder" copied from
        # resolv.conf; the lab renders its own smb.conf, so drop it from the cache.
        (target / "etc" / "smb.conf").unlink(missing_ok=True)
        _populate(target, log)  # the office directory (issue 12), cached with the domain
        tmp = tarball.with_suffix(".tar.tmp")
        run(["tar", *TAR_FLAGS, "-C", str(target), "-cf", str(tmp), "."], timeout=120)
        os.replace(tmp, tarball)
    finally:
        shutil.rmtree(build, ignore_errors=True)


def install_domain(cache: Path, dest: Path, ns: str, dc_ip: str, log: Path,
                   shadow_root: Path) -> bool:
    """Unpack the provisioned domain into ``dest``; provision first on a cache miss.

    Returns True when the cached tarball was used.
    """
    tarball = tarball_path(cache, dc_ip)
    cached = tarball.exists()
    if not cached:
        _provision(cache, tarball, ns, dc_ip, log, shadow_root)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True, mode=0o755)
    run(["tar", *TAR_FLAGS, "-C", str(dest), "-xf", str(tarball)], timeout=120)
    return cached
