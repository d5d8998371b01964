"""Round 33 rule fixes, written from the errors of blind86 to blind89 after each was
scored once (tests/concerns/README.md), and the wildcards widened where a pattern had
reached its matches only through a longer sibling's bound (fixed in the compiler this
round). Rule-level: the rules alone, without the classifier. The sentences are new.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Mum cried about the move all visit and we ran out of time to see the twins alone.",
         "unseen_child"),
        ("Six months in and we're still to see Jamie on his own.", "unseen_child"),
        ("Dad shouted down the stairs for me to get out.", "hostility"),
        ("She tells the HV the baby is feeding well, tells me the HV said she's worried.",
         "professional_split"),
        ("He held his phone up, said this is going on Facebook, and kept filming.",
         "online_targeting"),
        ("Baby on mum's knee in her snowsuit facing the wall the whole visit.", "unseen_child"),
    ],
)  # fmt: skip
def test_round33_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Mum shouted up the stairs for the girls to come and say hello.", "hostility"),
        ("Mum shouted down that she'd be a minute, she was changing the baby.", "hostility"),
        ("Her complaint is at stage 2. I've kept visiting weekly as planned.",
         "complaints_pressure"),
        ("Dad wanted it in writing; visits are carrying on the same as before.",
         "complaints_pressure"),
    ],
)  # fmt: skip
def test_round33_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
