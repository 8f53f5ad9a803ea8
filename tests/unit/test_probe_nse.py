"""Reading nmap's SMB, NetBIOS, LDAP root DSE and certificate script output."""

from __future__ import annotations

from scanner.nse import (
    certificate,
    condense_script,
    directory_info,
    nbstat_names,
    smb_dialects,
    smb_info,
    smb_signing_required,
)

SMB2_ONLY = "\n  dialects: \n    202\n    210\n    300\n    302\n    311"
WITH_SMB1 = ("\n  dialects: \n    NT LM 0.12 (SMBv1) [dangerous, but default]\n    2:0:2\n"
             "    202\n    311")
NBSTAT = ("NetBIOS name: DC01, NetBIOS user: <unknown>, NetBIOS MAC: f0c71cffa27f (unknown)\n"
          "Names:\n  DC01<00>             Flags: <unique><active>\n"
          "  OFFICE<1c>           Flags: <group><active>\n"
          "  __SAMBA__<00>        Flags: <group><active><permanent>\n"
          "  OFFICE<00>           Flags: <group><active>")
ROOTDSE = """
LDAP Results
  <ROOT>
      defaultNamingContext: DC=ad,DC=office,DC=lan
      supportedControl: 1.2.840.113556.1.4.1413
      dnsHostName: DC01.ad.office.lan
      ldapServiceName: ad.office.lan:dc01$@AD.OFFICE.LAN
      domainFunctionality: 4
      forestFunctionality: 7
      isGlobalCatalogReady: TRUE"""
SSL_CERT = """Subject: commonName=fw.office.lan
Subject Alternative Name: DNS:fw.office.lan, IP Address:192.168.77.1
Issuer: commonName=fw.office.lan
Public Key type: rsa
Public Key bits: 2048
Signature Algorithm: sha256WithRSAEncryption
Not valid before: 2026-11-22T04:28:39
Not valid after:  2036-11-19T04:28:39
MD5:   ab85d2d2688c57a8bffdd785bdb0ca0f"""


def test_smb_dialects_are_named_and_smbv1_is_seen() -> None:
    assert smb_dialects(SMB2_ONLY) == ("2.0.2", "2.1", "3.0", "3.0.2", "3.1.1")
    assert smb_dialects(WITH_SMB1) == ("NT LM 0.12", "2.0.2", "3.1.1")
    assert smb_dialects("garbage\n\x00\x01") == ()


def test_signing_is_required_only_when_every_dialect_requires_it() -> None:
    assert smb_signing_required("\n  311: \n    Message signing enabled and required") is True
    assert smb_signing_required("\n  311: \n    Message signing enabled but not required") \
        is False
    smb1 = "\n  account_used: guest\n  message_signing: disabled (dangerous, but default)"
    assert smb_signing_required("  311: Message signing enabled and required", smb1) is False
    assert smb_signing_required("", "") is None


def test_nbstat_gives_name_and_workgroup_not_samba_groups() -> None:
    assert nbstat_names(NBSTAT) == ("DC01", "OFFICE")
    assert nbstat_names("NetBIOS name: <unknown>, NetBIOS user: x") == ("", "")


def test_smb_info_joins_the_scripts() -> None:
    discovery = ("\n  OS: Windows 6.1 (Samba 4.17.12-Debian)\n  Computer name: nas01\n"
                 "  NetBIOS computer name: NAS01\\x00\n  Domain name: office.lan\n")
    info = smb_info({"smb-protocols": WITH_SMB1, "smb-os-discovery": discovery,
                     "smb-security-mode": "  message_signing: supported"})
    assert info is not None
    assert (info.smb1_enabled, info.signing_required, info.netbios_name, info.os) == \
        (True, False, "NAS01", "Windows 6.1 (Samba 4.17.12-Debian)")
    dc = smb_info({"smb-protocols": SMB2_ONLY,
                   "smb2-security-mode": "311: Message signing enabled and required"}, NBSTAT)
    assert dc is not None and (dc.smb1_enabled, dc.netbios_name, dc.domain) == \
        (False, "DC01", "OFFICE")
    assert smb_info({}) is None


def test_a_failed_smb_script_is_not_an_smb1_answer() -> None:
    # What nmap wrote for the hostile office's .15, whose port 139 answers one byte and hangs
    # up (smb.lua fails to unpack it): this once made SEC-005 say the host accepts SMBv1.
    failed = "ERROR: Script execution failed (use -d to debug)"
    assert smb_info({"smb-os-discovery": failed, "smb-security-mode": failed,
                     "smb-protocols": failed}) is None
    info = smb_info({"smb-os-discovery": failed, "smb2-security-mode": "311: Message signing "
                     "enabled but not required"})
    assert info is not None and info.smb1_enabled is None and info.signing_required is False


def test_rootdse_gives_the_domain_and_levels() -> None:
    info = directory_info(ROOTDSE)
    assert info is not None
    assert (info.dns_domain, info.dc_hostname, info.domain_functional_level,
            info.forest_functional_level, info.global_catalog) == \
        ("ad.office.lan", "DC01.ad.office.lan", "2008 R2", "2016", True)
    assert directory_info("  namingContexts: o=example") is None  # plain LDAP, not AD


def test_rootdse_noise_is_dropped_before_bounding() -> None:
    noisy = ROOTDSE + "\n" + "\n".join(f"      supportedControl: 1.2.{n}" for n in range(500))
    condensed = condense_script("ldap-rootdse", noisy)
    assert "supportedControl" not in condensed and "domainFunctionality: 4" in condensed
    assert condense_script("http-title", "x\ny") == "x\ny"


def test_certificate_fields() -> None:
    cert = certificate(SSL_CERT)
    assert cert is not None
    assert (cert.subject, cert.self_signed, cert.key_type, cert.key_bits, cert.not_before,
            cert.not_after, cert.signature_algorithm) == \
        ("commonName=fw.office.lan", True, "rsa", 2048, "2026-11-22", "2036-11-19",
         "sha256WithRSAEncryption")
    other = certificate(SSL_CERT.replace("Issuer: commonName=fw.office.lan",
                                         "Issuer: commonName=Office CA"))
    assert other is not None and other.self_signed is False
    assert certificate("ERROR: Script execution failed") is None
