"""Round 29 rule fixes, written from the errors of blind66 to blind69 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("An hour on the rent and I didn't see much of the twins.", "unseen_child"),
        ("Dad ended the visit before I'd even looked at Rory.", "unseen_child"),
        ("He told the girls to go upstairs as soon as I came in.", "unseen_child"),
        ("Phone review only, so no eyes on the baby this week.", "unseen_child"),
        ("Honestly I never really looked at Ben properly.", "unseen_child"),
        ("Honestly it's taken over my evenings.", "worker_wellbeing"),
        ("Closing on Friday; TL said not to bother with a closing meeting.", "closure_risk"),
        ("Dad insists on having my questions in writing before each visit.", "complaints_pressure"),
    ],
)
def test_round29_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "Finally met Zoe's dad today; he's been assessed and comes to core group.",
            "unseen_child",
        ),
        ("I didn't see much of dad, he was at work, but saw both boys alone.", "unseen_child"),
    ],
)
def test_round29_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
