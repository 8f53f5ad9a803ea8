"""Check profiles: which checks run and at what severity, for a kind of client.

A profile (TOML) disables checks or overrides their severity::

    name = "Dental practices"
    disable = ["NET-005"]

    [severity]
    "SEC-004" = "high"

Disabled checks do not run at all (they are not "not assessed": the consultant chose them
out). A severity override changes the weight the check carries in the score.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from checks.model import Severity
from checks.registry import RegisteredCheck


class ProfileError(ValueError):
    """A profile that cannot be used; one line naming the file and key."""


@dataclass(frozen=True)
class Profile:
    """Checks switched off and severities changed."""

    name: str = "default"
    disabled: frozenset[str] = frozenset()
    severity: dict[str, Severity] = field(default_factory=dict)

    def apply(self, checks: list[RegisteredCheck]) -> list[RegisteredCheck]:
        """The checks to run, with severities overridden."""
        chosen = []
        for registered in checks:
            if registered.meta.id in self.disabled:
                continue
            override = self.severity.get(registered.meta.id)
            if override is not None:
                registered = replace(registered, meta=replace(registered.meta,
                                                              severity=override))
            chosen.append(registered)
        return chosen


def load_profile(path: Path, known_checks: set[str]) -> Profile:
    """The profile in ``path``, validated against the known check IDs."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProfileError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{path}: cannot read ({exc.__class__.__name__})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: not valid TOML ({exc})") from None
    unknown = set(data) - {"name", "disable", "severity"}
    if unknown:
        raise ProfileError(f"{path}: unknown key {sorted(unknown)[0]!r}")
    disabled = data.get("disable", [])
    if not isinstance(disabled, list) or not all(isinstance(c, str) for c in disabled):
        raise ProfileError(f"{path}: key 'disable' must be a list of check IDs")
    severities = data.get("severity", {})
    if not isinstance(severities, dict):
        raise ProfileError(f"{path}: key 'severity' must be a table of check ID = severity")
    for check_id in [*disabled, *severities]:
        if check_id not in known_checks:
            raise ProfileError(f"{path}: {check_id!r} is not a known check")
    levels = {s.value for s in Severity}
    for check_id, level in severities.items():
        if level not in levels:
            raise ProfileError(f"{path}: severity.{check_id}: {level!r} is not one of "
                               f"{', '.join(sorted(levels))}")
    name = data.get("name", path.stem)
    if not isinstance(name, str):
        raise ProfileError(f"{path}: key 'name' must be text")
    return Profile(name, frozenset(disabled),
                   {check_id: Severity(level) for check_id, level in severities.items()})
