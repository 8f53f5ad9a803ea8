"""sitewalk's scanner: discovers the devices on a LAN and writes the inventory.

The stages are discovery (ARP or nmap ping), ports and services (nmap), SNMP (pysnmp), names
and vendors, then classification; :mod:`scanner.pipeline` runs them and writes the assessment
folder as it goes. :mod:`scanner.model` is the typed inventory that checks read.
"""

__version__ = "0.1.0"
