"""SEC-030 … SEC-032: admin interfaces and SSH servers with weak or unverifiable encryption."""

from __future__ import annotations

from collections.abc import Iterator

from checks.access import exposure_results
from checks.common import fail_where_known, host_label
from checks.context import Context
from checks.model import Result, Severity
from checks.registry import check
from scanner.model import Host


def _self_signed(host: Host) -> list[str]:
    return [f"{host.ip}:{w.port} certificate {w.certificate.subject!r} is issued by itself"
            for w in host.web if w.certificate and w.certificate.self_signed]


@check(
    id="SEC-030", title="An admin interface uses a self-signed certificate",
    severity=Severity.LOW,
    risk="""Nobody can tell this device's real page from an impostor's: the browser warns
    every time, staff learn to click through, and an attacker on the network can capture the
    admin password with a page of their own.""",
    remediation=("Issue the device a certificate from the company's own certificate authority "
                 "(or a public one for a name you own).", "Import that authority on the "
                 "admins' computers, and stop clicking through certificate warnings."),
    service="Security hardening",
    references=("https://www.cisa.gov/news-events/news/understanding-web-site-certificates",),
)
def self_signed_certificate(ctx: Context) -> Iterator[Result]:
    """FAIL per host presenting a certificate whose issuer is its subject (self-issued)."""
    yield from fail_where_known(
        [h for h in ctx.hosts if any(w.certificate for w in h.web)],
        lambda h: any(w.certificate.self_signed is not None for w in h.web if w.certificate),
        lambda h: bool(_self_signed(h)),
        lambda h: f"{host_label(h)} presents a self-signed certificate.", _self_signed,
        "No admin interface presents a self-signed certificate.",
        "the certificates' issuers could not be read", "no HTTPS interface was found")


def _tls_ports(host: Host) -> set[int]:
    return {s.port for s in host.services if s.tunnel == "ssl" or s.name == "https"}


@check(
    id="SEC-031", title="An interface still offers SSLv3, TLS 1.0 or TLS 1.1",
    severity=Severity.MEDIUM,
    risk="""These protocol versions have known weaknesses and were retired in 2021 (RFC 8996):
    traffic to this device, admin passwords included, is protected by encryption that is no
    longer considered safe.""",
    remediation=("Allow only TLS 1.2 and TLS 1.3 in the device's or server's TLS settings.",
                 "Update firmware that cannot (it is usually also past its support)."),
    service="Security hardening",
    references=("https://www.rfc-editor.org/rfc/rfc8996", "https://www.rfc-editor.org/rfc/rfc7568"),
)
def legacy_tls(ctx: Context) -> Iterator[Result]:
    """FAIL per host where ssl-enum-ciphers negotiated SSLv3, TLS 1.0 or TLS 1.1."""
    yield from exposure_results(
        ctx, {"tls_legacy"}, {p for h in ctx.hosts for p in _tls_ports(h)},
        lambda h, e: f"{host_label(h)} still accepts outdated TLS versions.",
        "Every TLS interface accepts only TLS 1.2 or newer.", "no TLS service was found")


@check(
    id="SEC-032", title="An SSH server offers weak algorithms",
    severity=Severity.LOW,
    risk="""The server still agrees to key exchanges, ciphers or checksums that are broken or
    retired (SHA-1, 1024-bit groups, 3DES, RC4, MD5): an attacker who can choose what to
    negotiate gets weaker protection than the administrator thinks.""",
    remediation=("Remove the listed algorithms from the SSH server's configuration "
                 "(KexAlgorithms, Ciphers, MACs, HostKeyAlgorithms), or update its firmware.",),
    service="Security hardening",
    references=("https://www.rfc-editor.org/rfc/rfc9142", "https://www.rfc-editor.org/rfc/rfc8758"),
)
def weak_ssh(ctx: Context) -> Iterator[Result]:
    """FAIL per SSH server whose offered algorithms include ones the RFCs retired."""
    yield from exposure_results(
        ctx, {"ssh_weak"}, {22},
        lambda h, e: f"The SSH server on {host_label(h)} offers weak algorithms.",
        "No SSH server offers retired algorithms.", "no SSH server was found")
