"""How the recommendation chapter speaks, as a data table: one set of texts per stance.

The stance comes from the sweet-spot verdict (:data:`STANCES`): a fit is offered the plan
(``recommend``), a too-small office is told to fix what was found first (``not_yet``), a
too-large one is pointed to co-managed IT (``co_managed``), and an open verdict gets a
provisional offer (``provisional``). Texts are ``str.format`` templates filled with values the
view-model has already cleaned; a brace inside a value is never read as a placeholder.
"""

from __future__ import annotations

from typing import Any

STANCES = {"sweet_spot": "recommend", "too_small": "not_yet", "too_large": "co_managed",
           "need_more_information": "provisional"}

_AGAIN = "We run this assessment again after the fixes, so you can see what changed."
_FIXES = "We fix the problems in section {findings}, most serious first ({fixes})."

# How the chapter speaks, per stance. Placeholders: client, tier, monthly, onboarding, fixes
# ("4 h, $540"), fixes_cost ("$540"), fit and findings (chapter numbers). Steps are
# (about the fixes, text).
STANCE_TEXTS: dict[str, dict[str, Any]] = {
    "recommend": {
        "heading": "We recommend the {tier} plan",
        "lead": "The {tier} plan includes every service that what we found, and what you told "
                "us, call for. It costs {monthly} a month, plus {onboarding} once to bring the "
                "network under our care. Fixing the problems in this report is one-time work, "
                "listed below with our estimate.",
        "lead_no_fixes": "The {tier} plan includes every service that what we found, and what "
                         "you told us, call for. It costs {monthly} a month, plus {onboarding} "
                         "once to bring the network under our care. Nothing we found needs "
                         "one-time work.",
        "summary": "The {tier} plan, {monthly} a month",
        "steps": ((False, "Sign below, or reply by e-mail, to go ahead with the {tier} plan; "
                          "we send the service agreement."),
                  (False, "Onboarding: we document the network, install monitoring and take a "
                          "baseline."),
                  (True, _FIXES), (True, _AGAIN)),
        "accept": "the {tier} plan at {monthly} a month and onboarding at {onboarding} (once), "
                  "as set out in this report, subject to the service agreement",
    },
    "not_yet": {
        "heading": "Fix what we found first; a monthly plan can wait",
        "lead": "{client} is smaller than the offices a flat-rate plan is built for (section "
                "{fit}), so we do not suggest signing up for one today: paying by the hour is "
                "likely the better value for now. What we found still needs fixing; that is "
                "one-time work, listed below. For comparison only, the {tier} plan would cost "
                "{monthly} a month.",
        "summary": "One-time fixes, about {fixes_cost}; no monthly plan yet",
        "summary_no_fixes": "No monthly plan needed yet",
        "steps": ((True, "Sign below to have us do the one-time fixes, most serious first "
                         "({fixes})."),
                  (True, _AGAIN),
                  (False, "We look at a managed plan again if the office grows or its needs "
                          "change.")),
        "accept": "the one-time fixes in this report, at the estimate shown",
        "accept_no_fixes": "a follow-up review when the office grows or its needs change",
    },
    "co_managed": {
        "heading": "We suggest co-managed IT",
        "lead": "{client} is larger than the offices our small-office plan is built for "
                "(section {fit}). Instead we suggest co-managed IT: your own IT staff, or one "
                "you hire, keep day-to-day support, and we take on the services listed here "
                "(monitoring, security, backup) alongside them, under an agreement scoped to "
                "your size. The standard {tier} plan at your size would be {monthly} a month; "
                "it is shown for reference, not as our offer.",
        "summary": "Co-managed IT, scoped to your size",
        "steps": ((False, "Sign below to book a scoping meeting: who does what today, and "
                          "which services we take on."),
                  (False, "We send a co-managed agreement priced for your size."),
                  (True, _FIXES)),
        "accept": "a scoping meeting for co-managed IT",
    },
    "provisional": {
        "heading": "Provisionally: the {tier} plan",
        "lead": "We need a few more answers before we can confirm a plan (section {fit}). On "
                "what we know today, the {tier} plan fits: {monthly} a month, plus {onboarding} "
                "once for onboarding. The price may change once the open questions are "
                "answered.",
        "summary": "Provisionally the {tier} plan, {monthly} a month",
        "steps": ((False, "Answer the open questions in section {fit}; we confirm the plan "
                          "and the price."),
                  (False, "Then sign to go ahead with the {tier} plan; onboarding follows."),
                  (True, _FIXES)),
        "accept": "the {tier} plan in principle, at {monthly} a month, to be confirmed once "
                  "the open questions are answered",
    },
}


def stance_texts(stance: str, values: dict[str, str], has_fixes: bool
           ) -> tuple[str, str, str, tuple[str, ...], str]:
    """Heading, lead, summary line, next steps and what a signature accepts, for a stance.

    Steps marked as being about the fixes are left out when nothing needs fixing.
    """
    text = STANCE_TEXTS[stance]
    variant = "" if has_fixes else "_no_fixes"
    steps = tuple(step.format(**values) for about_fixes, step in text["steps"]
                  if has_fixes or not about_fixes)
    return (text["heading"].format(**values),
            text.get("lead" + variant, text["lead"]).format(**values),
            text.get("summary" + variant, text["summary"]).format(**values), steps,
            text.get("accept" + variant, text["accept"]).format(**values))
