"""Round 70 rule fixes, written from the errors of blind346 to blind353 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Visit cut short by mum; the twins were upstairs the whole time.",
         "unseen_child"),
        ("I left without getting anywhere near how Skye is doing.", "unseen_child"),
        ("Hollie was on the sofa but I don't think I said three words to her.",
         "unseen_child"),
        ("Mum came into the kitchen when I was talking to Abbie on her own and stayed "
         "by the kettle.", "unseen_child"),
        ("I've gone to the house four times and I couldn't tell you a thing about "
         "her.", "unseen_child"),
        ("They won't let us in, so it's getting closed on Friday, nobody told school.",
         "closure_risk"),
        ("He'll be writing to the director if I raise it again, so I've dropped it.",
         "complaints_pressure"),
        ("The lads in the flat chanted 'baby snatcher' at me on the stairs.",
         "hostility"),
        ("She said she'd make sure I never work again.", "hostility"),
        ("He gets right up in my face every visit.", "hostility"),
        ("Dad wouldn't stop recording me on his phone.", "online_targeting"),
        ("She told me they'd film you and put it online if you come back.",
         "online_targeting"),
        ("The parenting assessment has been nearly finished since March.", "drift"),
        ("Eleven months on and things are just where they were at the first "
         "conference.", "drift"),
    ],
)  # fmt: skip
def test_round70_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The baby was upstairs the whole time, so I went up and saw him on his own.",
         "unseen_child"),
        ("He was on the phone about his rent, then we spent the visit on Tyler's "
         "school worries.", "adult_focus"),
        ("I asked to see Ruby on her own and mum went out; Ruby told me all about her "
         "swimming.", "unseen_child"),
        ("She's different from the spring when she wouldn't let me past the door.",
         "avoidance"),
        ("Mum's new partner is in; he's had police checks and came to core group.",
         "hidden_men"),
        ("Nothing changed in the plan and the review date stands.", "drift"),
        ("She said she'd write to the director, then thought better of it.",
         "complaints_pressure"),
    ],
)  # fmt: skip
def test_round70_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
