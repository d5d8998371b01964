"""Round 16 rule fixes, written from the errors of blind32 and blind33 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Had to leave before I saw Finn, mum's partner was kicking off.", "unseen_child"),
        ("None of us have met her partner and he's there most nights.", "hidden_men"),
        (
            "They only do what we check; the rest of the plan hasn't been touched.",
            "disguised_compliance",
        ),
        (
            "Spotless for the planned visit, and nursery say the kids come in dirty.",
            "disguised_compliance",
        ),
        ("School said the exact opposite to the HV about his weight.", "professional_split"),
        ("Mum'll let the HV in to see the twins but not me.", "professional_split"),
        ("Dad's live-streaming the contact sessions on his phone.", "online_targeting"),
        ("TL wants to close it. School and health don't even know.", "closure_risk"),
        (
            "We're handing it back to the HV because mum won't engage. No meeting held.",
            "closure_risk",
        ),
        ("Mum had to finish early and honestly I was glad.", "worker_relief"),
    ],
)
def test_round16_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("I'm not seeing any real change in the home since spring.", "unseen_child"),
        ("I can't see her harming the kids, whatever the nursery says.", "unseen_child"),
        ("No idea how she finds living there with the new baby.", "unseen_child"),
        ("Her partner stayed in the bedroom the whole visit on the phone.", "unseen_child"),
        ("Not taking it to a meeting, there's no need: everyone agreed last week.", "avoidance"),
        (
            "He said he doesn't understand why we're still involved, and we talked it through.",
            "adult_at_risk",
        ),
    ],
)
def test_round16_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
