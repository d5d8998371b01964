"""Round 79 rule fixes, written from the errors of blind426 to blind433 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Told to leave it while the complaint is looked at, so the kids haven't had a "
         "visit in a month.", "unseen_child"),
        ("Mum said it wasn't a good time and shut it before I could ask about the kids.",
         "unseen_child"),
        ("Gran talked about her hip for an hour and the kids had been put to bed.",
         "unseen_child"),
        ("Her partner said they're sleeping, come back another time.", "unseen_child"),
        ("Looking back, every visit I talk to the adults and the boys stay upstairs.",
         "unseen_child"),
        ("We meet at the office now and the kids never come to the office.",
         "unseen_child"),
        ("The boys were in the room but I couldn't tell you what they were doing.",
         "unseen_child"),
    ],
)  # fmt: skip
def test_round79_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Missed appointments years ago, but every appointment since the move has been "
         "kept.", "avoidance"),
        ("My manager was scared of him last year. I felt fine today.", "worker_fear"),
        ("Had to move it as I was off sick, went today instead, saw everyone, all good.",
         "worker_wellbeing"),
        ("Visit was mostly about her benefits, which decide what the kids eat, and I "
         "asked Lily what she'd had today.", "adult_focus"),
        ("Saw Jade at school, her teacher sat in because Jade asked her to.",
         "unseen_child"),
        ("Couldn't get them on their own at home, so school on Friday. I did - both seen "
         "alone.", "unseen_child"),
        ("She's making a complaint and wants my notes; I told her how to request them "
         "and carried on.", "complaints_pressure"),
        ("HV and GP agree: baby thriving, no change needed.", "drift"),
        ("No answer Monday, she was at the hospital. We visited Thursday as arranged, "
         "saw Ben alone.", "avoidance"),
        ("His brother was shouting at his xbox, not at me.", "hostility"),
        ("Seeing the girls at school on Friday on their own; school have booked the "
         "room.", "unseen_child"),
        ("I asked to see Leo alone and he came up to his room with me.", "unseen_child"),
    ],
)  # fmt: skip
def test_round79_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
