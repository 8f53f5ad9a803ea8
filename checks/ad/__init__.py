"""AD: the directory audit checks (Active Directory read with a domain account)."""
