"""Round 12 rule fixes, written from the first reads of train45 and train46 (near-misses
in a concern's words). Rule-level: the rules alone, without the classifier. The
sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # a parent's own post about the child's good news
        ("Dad showed me the photo on facebook of Mollie at her dance show.", "online_targeting"),
        (
            "Mum had posted on insta about Cody's football trophy, he was chuffed.",
            "online_targeting",
        ),
        # a complaint that changes nothing, or is about someone else
        (
            "Dad's complaint was answered last week and nothing changes on the plan.",
            "complaints_pressure",
        ),
        (
            "Gran complained about the visits; explained why, visits stay weekly.",
            "complaints_pressure",
        ),
        (
            "Mum's made a complaint about the neighbours' dog barking all night.",
            "complaints_pressure",
        ),
        # no answer first, then back as agreed and everyone seen
        ("No answer at 9, went back at 12 as agreed and saw both girls.", "avoidance"),
        (
            "Nobody in first time, went back after lunch, all in, and saw Rory on his own.",
            "avoidance",
        ),
        # not seeing something that is not a child
        ("Didn't see any of the mould the housing officer mentioned.", "unseen_child"),
        ("School haven't seen any of the hitting this term.", "unseen_child"),
        # the baby taken out of a babygro or a cot
        ("Baby out of her sleepsuit for weighing, skin clear, feeding well.", "unseen_child"),
    ],
)
def test_round12_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Dad has posted my photo on facebook calling me a liar.", "online_targeting"),
        ("Dad's complaint says I'm biased and TL wants me off the case.", "complaints_pressure"),
        ("No answer again today, third time this month.", "avoidance"),
        ("Didn't see any of the kids today, mum said they were out.", "unseen_child"),
        ("Baby was out with her gran every time I visited.", "unseen_child"),
    ],
)
def test_round12_still_raises(text, code):
    assert code in rule_codes(text)
