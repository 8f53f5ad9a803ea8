"""SEC-015 … SEC-021: files anyone on the network can read or write (backups: BAK-004)."""

from __future__ import annotations

from collections.abc import Iterator

from checks.access import (
    exposure_results,
    is_backup_target,
    looks_like_backup,
    looks_like_user_data,
)
from checks.common import host_label
from checks.context import Context
from checks.model import Result, Severity
from checks.registry import check

SMB_PORTS = (139, 445)


@check(
    id="SEC-015", title="An rsync module can be read without a password",
    severity=Severity.HIGH,
    risk="""Anyone on the network can copy every file in this folder with one command, and
    nothing records who did. rsync daemons are often set up for a quick job and forgotten.""",
    remediation=("Add 'auth users' and a 'secrets file' to every rsync module, or remove the "
                 "module.", "Allow the module only from the hosts that need it ('hosts allow')."
                 , "Prefer rsync over SSH, which always needs an account."),
    service="Security hardening",
    references=("https://download.samba.org/pub/rsync/rsyncd.conf.5",),
)
def rsync_readable(ctx: Context) -> Iterator[Result]:
    """FAIL per rsync module that lists without a password; modules named like backups, and
    every module of a NAS, are BAK-004's."""
    yield from exposure_results(
        ctx, {"rsync_module"}, {873},
        lambda h, e: f"The rsync module {e.name!r} on {host_label(h)} can be read by anyone.",
        "Every rsync module asks for a password.", "no rsync daemon was found",
        keep=lambda h, e: not is_backup_target(h) and not looks_like_backup(e.name),
        per_resource=True)


@check(
    id="SEC-016", title="A file server lists its shares to anyone",
    severity=Severity.LOW,
    risk="""Without logging in, anyone on the network gets the list of shared folders — the
    map an intruder or a ransomware program uses to find the company's data.""",
    remediation=("Refuse anonymous share listing (Windows: RestrictAnonymous = 1 and "
                 "'Network access: Do not allow anonymous enumeration of SAM accounts and "
                 "shares'; Samba: restrict anonymous = 2).",),
    service="Security hardening",
    references=("https://learn.microsoft.com/en-us/windows/security/threat-protection/"
                "security-policy-settings/network-access-do-not-allow-anonymous-enumeration-"
                "of-sam-accounts-and-shares",),
)
def null_session_shares(ctx: Context) -> Iterator[Result]:
    """FAIL per host whose SMB service lists its shares to a null session."""
    yield from exposure_results(
        ctx, {"smb_null_session"}, SMB_PORTS,
        lambda h, e: f"{host_label(h)} lists its shares without a login.",
        "No file server lists its shares without a login.", "no SMB file service was found")


@check(
    id="SEC-017", title="Anyone on the network can write to a file share",
    severity=Severity.CRITICAL,
    risk="""Anyone — a visitor's laptop, an infected PC — can change, plant or delete files
    in this share without a password. It is how ransomware spreads to shared folders and how
    malware is planted where staff will open it.""",
    remediation=("Remove guest and anonymous access from the share (Samba: guest ok = no, map "
                 "to guest = never; Windows: remove Everyone/Guest from share and folder "
                 "permissions).",
                 "Give write access only to the named users or group who need it."),
    service="Security hardening",
    references=("https://learn.microsoft.com/en-us/troubleshoot/windows-server/networking/"
                "guest-access-in-smb2-is-disabled-by-default",),
)
def share_writable(ctx: Context) -> Iterator[Result]:
    """FAIL per SMB share whose guest maximal access holds a write right (nothing is written)."""
    yield from exposure_results(
        ctx, {"smb_share"}, SMB_PORTS,
        lambda h, e: f"Anyone can write to the share {e.name!r} on {host_label(h)}.",
        "No share grants write access without a password.", "no SMB file service was found",
        keep=lambda h, e: e.access == "write", per_resource=True)


@check(
    id="SEC-018", title="A share holding people's or business files is readable by anyone",
    severity=Severity.HIGH,
    risk="""The share's name says it holds staff folders, scans or business records, and
    anyone on the network can read it without logging in.""",
    remediation=("Remove guest access from the share and give access by named user or group.",
                 "Move personal folders to per-user shares."),
    service="Security hardening",
    references=("https://learn.microsoft.com/en-us/troubleshoot/windows-server/networking/"
                "guest-access-in-smb2-is-disabled-by-default",),
)
def user_data_readable(ctx: Context) -> Iterator[Result]:
    """FAIL per SMB share named like user or business data that reads without a password."""
    yield from exposure_results(
        ctx, {"smb_share"}, SMB_PORTS,
        lambda h, e: f"The share {e.name!r} on {host_label(h)} is readable by anyone.",
        "No share named like user or business data is readable without a password.",
        "no SMB file service was found",
        keep=lambda h, e: looks_like_user_data(e.name) and not looks_like_backup(e.name),
        per_resource=True)


@check(
    id="SEC-019", title="An NFS export is open to every address",
    severity=Severity.HIGH,
    risk="""NFS trusts the address and user number the client claims: an export open to
    everyone lets any machine on the network mount it and read files as any user.""",
    remediation=("Export only to the servers that need it (/etc/exports: the host names or "
                 "addresses, never *).", "Use root_squash and, where possible, NFSv4 with "
                 "Kerberos (sec=krb5p)."),
    service="Security hardening",
    references=("https://man7.org/linux/man-pages/man5/exports.5.html",),
)
def nfs_open(ctx: Context) -> Iterator[Result]:
    """FAIL per export that showmount lists as open to everyone."""
    yield from exposure_results(
        ctx, {"nfs_export"}, {2049, 111},
        lambda h, e: f"The NFS export {e.name!r} on {host_label(h)} is open to everyone.",
        "No NFS export is open to every address.", "no NFS server was found",
        per_resource=True)


@check(
    id="SEC-020", title="An iSCSI disk can be reached without CHAP authentication",
    severity=Severity.HIGH,
    risk="""An iSCSI target is a whole disk on the network — often a server's data volume.
    Without CHAP anyone on the network can connect it and read or overwrite it block by
    block.""",
    remediation=("Require CHAP (mutual CHAP where supported) for discovery and login on every "
                 "target.", "Restrict targets to the initiators (IQN and address) that use "
                 "them, on a separate storage network."),
    service="Security hardening",
    references=("https://www.rfc-editor.org/rfc/rfc7143#section-9",),
)
def iscsi_open(ctx: Context) -> Iterator[Result]:
    """FAIL per iSCSI target that iscsi-info reached without authentication."""
    yield from exposure_results(
        ctx, {"iscsi_target"}, {3260},
        lambda h, e: f"The iSCSI target {e.name!r} on {host_label(h)} needs no password.",
        "Every iSCSI target asks for CHAP.", "no iSCSI target was found", per_resource=True)


@check(
    id="SEC-021", title="A TFTP server hands out files to anyone",
    severity=Severity.MEDIUM,
    risk="""TFTP has no passwords at all. The server usually holds device configurations or
    boot images, and configurations hold passwords and network details.""",
    remediation=("Turn the TFTP server off when no device is being provisioned.",
                 "Where it must stay, serve a read-only folder with nothing sensitive, "
                 "only to the devices' addresses."),
    service="Security hardening",
    references=("https://www.rfc-editor.org/rfc/rfc1350",),
)
def tftp_open(ctx: Context) -> Iterator[Result]:
    """FAIL per host that answered one TFTP read request (for a file nobody has)."""
    yield from exposure_results(
        ctx, {"tftp"}, {69},
        lambda h, e: f"{host_label(h)} runs a TFTP server open to anyone.",
        "No TFTP server answered.", "no host was asked (scan from an older version)",
        protocol="udp")
