"""Round 63 rule fixes, written from the errors of blind290 to blind297 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Her solicitor says he'll go to court if we see the girls at nursery, so we "
         "haven't.", "unseen_child"),
        ("The plan says seeing Zac alone weekly. I've managed neither.", "unseen_child"),
        ("Mum says Mia is with her dad but we have no address for him.", "unseen_child"),
        ("They've gone to his mum's in Fife for a while. Nobody told us.", "unseen_child"),
        ("Video call: saw the baby asleep on the screen and that was it.",
         "unseen_child"),
        ("Every visit it's just me and dad at the table.", "unseen_child"),
        ("The meeting was all about dad's court case and no one looked at the kids.",
         "unseen_child"),
        ("I asked for time with Ava and mum found a reason she couldn't.",
         "unseen_child"),
        ("I've never once sat down with Owen on his own.", "unseen_child"),
        ("Three visits and I've not had a word from him.", "unseen_child"),
        ("Her partner answered for the kids all afternoon.", "unseen_child"),
    ],
)  # fmt: skip
def test_round63_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("She told me she'd used while the kids were at their gran's; we made a safety "
         "plan together.", "unseen_child"),
        ("Everything agreed at review is in place and it's still there three months "
         "later.", "drift"),
        ("Gran took the toddler out so I could talk to Leo on his own.", "unseen_child"),
        ("I thought I'd feel nervous going back, but it was fine.", "worker_fear"),
    ],
)  # fmt: skip
def test_round63_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
