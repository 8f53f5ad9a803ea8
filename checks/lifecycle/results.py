"""Turning lifecycle sightings into check results, so every support check reads the same way.

A FAIL names the machine, what it runs, the end date and the data it was judged from; a host
whose product was recognised but could not be placed gets its own UNKNOWN with the reason; a
site-wide PASS lists what was checked. No recognised product among the hosts in scope is
UNKNOWN (there are such hosts) or NOT_APPLICABLE (there are none), never a pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from checks.common import host_label
from checks.context import Context
from checks.lifecycle.identify import Sighting, host_sightings, scan_day
from checks.lifecycle.model import ENDED, ENDING_SOON, UNKNOWN
from checks.model import Result, Status
from scanner.model import Host

Chooser = Callable[[Host, Sighting], bool]


def _evidence(host: Host, sighting: Sighting) -> tuple[str, ...]:
    verdict = sighting.verdict
    reason = verdict.reason.removeprefix(f"{sighting.evidence}: ")
    return (f"{host.ip}: {sighting.evidence}", reason,
            f"judged on {{day}} from the {verdict.source} (endoflife.date, MIT licence)")


def support_results(ctx: Context, in_scope: Iterable[Host], chooser: Chooser, *,
                    failing: str, noun: str, none_reason: str, unread_reason: str,
                    expected: Iterable[Host] | None = None,
                    report_unknown: bool = True) -> Iterator[Result]:
    """Results for the sightings ``chooser`` keeps on the hosts ``in_scope``.

    ``failing`` is the verdict status that fails (``"ended"`` or ``"ending_soon"``);
    ``noun`` names what is judged in messages ("firewall firmware"). When nothing is
    recognised: UNKNOWN (``unread_reason``) if some host is ``expected`` to run such a product
    (default: the hosts in scope), else NOT_APPLICABLE (``none_reason``). With
    ``report_unknown`` False (checks that repeat another check's scope, such as "ends within
    six months"), unplaced products give no per-host UNKNOWN, only a site-wide one when
    nothing could be judged at all.
    """
    day = scan_day(ctx.inventory)
    hosts = list(in_scope)
    expected_hosts = list(expected) if expected is not None else hosts
    seen = [(host, sighting) for host in hosts for sighting in host_sightings(host, day)
            if chooser(host, sighting)]
    if not seen:
        if expected_hosts:
            yield Result(Status.UNKNOWN, f"The {noun} could not be identified.",
                         reason=unread_reason)
        else:
            yield Result(Status.NOT_APPLICABLE, "Nothing on the network to check.",
                         reason=none_reason)
        return
    judged, unplaced, failed = [], [], False
    for host, sighting in seen:
        verdict = sighting.verdict
        evidence = tuple(line.replace("{day}", day.isoformat())
                         for line in _evidence(host, sighting))
        if verdict.status == failing:
            failed = True
            verb = "ended on" if failing == ENDED else "ends on"
            when = (f"{verb} {verdict.eol.isoformat()}" if verdict.eol
                    else "has ended (the vendor published no date)")
            yield Result(Status.FAIL, f"{host_label(host)} runs {sighting.seen}: its support "
                         f"{when}.", ip=host.ip, evidence=evidence)
        elif verdict.status == UNKNOWN and not report_unknown:
            unplaced.append(verdict.reason)
        elif verdict.status == UNKNOWN:
            yield Result(Status.UNKNOWN, f"The support of {sighting.seen} on "
                         f"{host_label(host)} could not be judged.", ip=host.ip,
                         reason=verdict.reason)
        else:
            judged.append((host, sighting))
    if judged and not failed:
        looked = {host.ip for host, _s in seen}
        unseen = [h for h in expected_hosts if h.ip not in looked] if report_unknown else []
        note = f"; {len(unseen)} more could not be identified" if unseen else ""
        yield Result(Status.PASS, _pass_message(noun, failing, len(judged), note),
                     evidence=tuple(f"{host_label(h)}: {s.verdict.reason}"
                                    for h, s in judged[:20]))
    elif unplaced and not judged and not failed:
        yield Result(Status.UNKNOWN, f"The support of the {noun} could not be judged.",
                     reason=unplaced[0])


def _pass_message(noun: str, failing: str, count: int, note: str) -> str:
    if failing == ENDING_SOON:
        return (f"No {noun} reaches its end of support within six months ({count} "
                f"checked{note}).")
    return f"Every {noun} that could be judged is under support ({count} checked{note})."


def area_is(*areas: str) -> Chooser:
    """A chooser keeping the sightings of these areas."""
    return lambda _host, sighting: sighting.area in areas
