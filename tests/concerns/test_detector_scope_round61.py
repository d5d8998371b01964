"""Round 61 rule fixes, written from the errors of blind274 to blind281 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("That's four visits I've missed him now.", "unseen_child"),
        ("Dad did all the talking and I hardly spoke to Leon.", "unseen_child"),
        ("We ran out of time, so I said I'd come back for the children next week.",
         "unseen_child"),
        ("I keep telling myself next time I'll see Zoe on her own.", "unseen_child"),
        ("Difficult to say how the twins are doing.", "unseen_child"),
    ],
)  # fmt: skip
def test_round61_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("He made a complaint. Noted, and the visits stay in the plan.",
         "complaints_pressure"),
        ("She asked for a subject access request; I carried on with the visit plan as "
         "agreed.", "complaints_pressure"),
        ("A complaint came in. My visits haven't changed.", "complaints_pressure"),
        ("The kids were at their gran's. I'd seen them at school on Monday on their own.",
         "unseen_child"),
        ("Police confirm there's been no sign of him since the order.", "unseen_child"),
        ("She's stopped cancelling and has been in for every visit.", "avoidance"),
        ("TL wants to close it; the professionals meeting will decide it together.",
         "closure_risk"),
        ("We can't close without a meeting with health, so it's booked.",
         "closure_risk"),
        ("I was wary of her new partner at first, but he's been checked and met us.",
         "worker_fear"),
        ("The kids are seen alone every visit now.", "unseen_child"),
        ("The baby was asleep, so dad lifted her out so I could see her.",
         "unseen_child"),
        ("School, HV and me: we all see the same picture, same worries, same plan.",
         "drift"),
    ],
)  # fmt: skip
def test_round61_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
