"""Round 20 rule fixes, written from the errors of blind42 and blind43 after each was
scored once (tests/concerns/README.md), and the rule key ``unless_in_text``. Rule-level:
the rules alone, without the classifier. The sentences are new, not copied from those
files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Dad kicked off about his benefits and I didn't even check on the twins.", "unseen_child"),
        # unless_in_text cancels only on a positive reading: a child still asleep stays unseen
        ("Kids asleep again. Mum won't wake them, third evening running.", "unseen_child"),
        ("Baby asleep upstairs. Mum said I could come back another day.", "unseen_child"),
    ],
)
def test_round20_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # a child away or asleep in one sentence, seen alone or seen properly in another
        ("The boys were at school. I saw them both on their own there on Monday.", "unseen_child"),
        (
            "Baby was asleep when I got there. She woke after ten minutes and fed well.",
            "unseen_child",
        ),
        ("Mia was napping. Mum took me in and I had a good look at her, all fine.", "unseen_child"),
        (
            "I'd thought Leo was being kept from me. Then we went for a walk on our own.",
            "unseen_child",
        ),
        ("Complaint looked at and closed. Carrying on as before.", "complaints_pressure"),
        (
            "Mum said she'd complain last spring but that got sorted and we're fine.",
            "complaints_pressure",
        ),
        ("School and the GP say the same, and mum's account matches theirs.", "professional_split"),
        ("Dad was referred to the LD team, who found no learning disability.", "adult_at_risk"),
    ],
)
def test_round20_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
