"""Benchmarks that print figures (run as root, they use the virtual office)."""
