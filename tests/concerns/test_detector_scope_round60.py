"""Round 60 rule fixes, written from the errors of blind266 to blind273 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("I couldnt tell you a thing Mia said or how she's doing.", "unseen_child"),
        ("Nobody has seen baby Rory apart from the GP.", "unseen_child"),
        ("Visit off because of the storm, and it's Lewis who needs seeing.",
         "unseen_child"),
        ("She was at a sleepover when I called.", "unseen_child"),
        ("Dad says I can see Ellie alone next time. He said that the last two visits.",
         "unseen_child"),
        ("At home his gran answers everything for Noah.", "unseen_child"),
    ],
)  # fmt: skip
def test_round60_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The kids were at their dad's, so I went over and saw both alone.",
         "unseen_child"),
        ("Kids at nursery this morning. Went up after, spoke to both on their own.",
         "unseen_child"),
        ("Went to see the boys at their nana's as arranged; all fine.", "unseen_child"),
        ("He didn't shout, and agreed I could see the girls upstairs.", "unseen_child"),
        ("She missed nursery during the strike, and attendance is back up this week.",
         "avoidance"),
        ("Dad cancelled at nine. Called round at three as agreed instead.", "avoidance"),
        ("Nursery say Harry is a different boy this term.", "professional_split"),
        ("Her new partner came to core group and his checks are back clear.",
         "hidden_men"),
        ("She was at a sleepover when I called, so I came back later and we had a long "
         "chat on our own.", "unseen_child"),
    ],
)  # fmt: skip
def test_round60_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
