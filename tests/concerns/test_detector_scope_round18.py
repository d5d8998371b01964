"""Round 18 rule fixes, written from the errors of blind38 and blind39 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Dad slipped out the back way when he spotted my car.", "avoidance"),
        ("Her brother said he'd let the dogs loose on us next time.", "hostility"),
        ("Dad was streaming the whole of our meeting on TikTok.", "online_targeting"),
        ("We spent most of the hour talking about him and his court date.", "adult_focus"),
        ("Mum owes a loan shark and he turns up on payday.", "adult_at_risk"),
        (
            "Her boyfriend takes her whole PIP and leaves her with nothing for the bank.",
            "adult_at_risk",
        ),
        ("Kai's views still aren't in the plan, three reviews on.", "child_voice_missing"),
        ("Dad was raging at the door and I was shaking all the way home.", "worker_fear"),
        ("Her partner is always out at work during my visits.", "hidden_men"),
        ("TL says close it, there's been no engagement since March. No meeting.", "closure_risk"),
    ],
)
def test_round18_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "I was anxious before the visit because of the file, but it went fine and dad"
            " was calm.",
            "worker_fear",
        ),
        (
            "The girls were at nursery, which was the plan; I see them there on Friday.",
            "unseen_child",
        ),
        (
            "I asked her on her own what she thought, and she said she likes her new room.",
            "unseen_child",
        ),
        ("Leo told me on his own that he hasn't seen his dad since the summer.", "unseen_child"),
        ("Mum keeps half of the shopping in the freezer.", "adult_at_risk"),
    ],
)
def test_round18_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
