"""NET checks on what the wire under the laptop said (the inventory's ``segment`` record).

One module per check: rogue DHCP servers (NET-006), unmanaged IPv6 (NET-007), LLMNR/NBT-NS
responders (NET-008), name poisoners (NET-009), ARP conflicts (NET-010). :func:`not_heard`
is their shared "could not run" answer.
"""

from __future__ import annotations

from checks.context import Context
from checks.model import Result, Status


def not_heard(ctx: Context, *asked: str) -> Result | None:
    """UNKNOWN when the segment was not listened to, or ``asked`` were not all asked."""
    segment = ctx.inventory.segment
    if segment is None:
        return Result(Status.UNKNOWN, "The segment was not listened to in this scan.",
                      reason="the inventory has no segment record (an older scan, or an "
                             "import)")
    missing = [a for a in asked if a not in segment.asked]
    if missing:
        why = "; ".join(segment.notes) or "the scan did not ask"
        return Result(Status.UNKNOWN, "The scan could not ask the segment this question.",
                      reason=f"not asked: {', '.join(missing)} ({why})"[:400])
    return None
