"""Round 9 rule fixes, written from blind23's errors after it was scored once
(tests/concerns/README.md). Rule-level: the rules alone, without the classifier.
The sentences are new, not copied from that file.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    "text",
    [
        "Gran did all the answering and Ollie just looked at the floor.",
        "Dad held the baby the entire visit and turned away when I asked to see her.",
        "Mum just shrugged when I asked Finn about school and his dad answered for him.",
    ],
)
def test_child_not_seen_or_heard_now_read(text):
    assert "unseen_child" in rule_codes(text)


@pytest.mark.parametrize(
    "text",
    [
        # "her" is mum: an adult spoken for, not a child
        "Every time I asked mum anything her partner answered for her.",
        # checked on while asleep, face seen
        "Baby was asleep so I went up with dad and looked in on her, pink and breathing easy.",
        # out, then back and seen alone
        "The boys had been out at football but they came back and I spent half an hour with "
        "each of them in their room.",
    ],
)
def test_child_seen_or_an_adult_spoken_for_is_not_unseen(text):
    assert "unseen_child" not in rule_codes(text)


def test_single_words_for_up_and_down_now_read():
    # the choices were written outside a group, so only "... and troughs and downs" matched
    codes = rule_codes("Things have been a rollercoaster since the review.")
    assert {"disguised_compliance", "drift"} <= codes
