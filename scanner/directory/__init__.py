"""The directory audit: what a read-only domain account shows about Active Directory.

The audit reads (never writes) the domain through LDAP with signing and sealing (NTLM) or
LDAPS, and SYSVOL over SMB 3 with signing, using well-kept libraries behind the thin
:class:`~scanner.directory.reader.DirectoryReader` interface. It writes ``directory.json``
(``scanner/schema/directory.schema.json``) into the assessment folder; ``checks/ad`` reads it.

Modules: ``account`` (who audits, and the password source), ``reader`` (the interface and its
errors), ``msldap_reader`` (the LDAP backend), ``discovery`` (finding the domain controllers),
``values`` (LDAP value conversions), ``privilege`` (recursive privileged membership),
``collect`` (objects into the document), ``sysvol`` (Group Policy files), ``model`` (the typed
document the checks read), ``store`` (saving and loading ``directory.json``), ``audit`` (the
one entry point).
"""
