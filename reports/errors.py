"""The one error the report stage raises for bad inputs.

A :class:`ReportError` carries a one-line message that names the file and what is wrong with
it, so the CLI can print it as is ("findings.json: not valid JSON (line 3, column 5)").
"""

from __future__ import annotations


class ReportError(Exception):
    """An input to the report (inventory, findings, branding) is missing or unusable."""
