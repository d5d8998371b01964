"""Round 4 scope fixes: other people as experiencers, resolved past, objects, modalities.

Each case is a class of false alarm or miss found in the fresh dev3 batches; the
sentences here are new (not copied from dev3).
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import codes


@pytest.mark.parametrize(
    "text",
    [
        # someone else feels threatened or scared; the shouting is not at the worker
        "Gran told me she feels threatened by the lads next door.",
        "Noah says he hides when his dad shouts at the telly.",
        # "swore" as a vow, not as abuse
        "Mum swore blind the rent had been paid.",
        # a child as the object of a carer's verb is not a child who is out
        "Dad said he was worried we would take the kids away.",
        "Her uncle drops the girls at nursery on a Monday.",
        # a problem that is past and resolved
        "There was a complaint a year ago but it was resolved and the work went on.",
        # video contact is a way of meeting, not filming the worker
        "We've set up video contact with dad for Sundays.",
        # changes that have held are progress, not drift
        "The bedtime routine has stuck since the spring and nursery see the difference.",
        # "he" is dad, and the children were seen alone: nothing contradicts his account
        "Dad said he was out with his mates last night but I saw both kids alone today.",
    ],
)
def test_near_misses_raise_nothing(text):
    assert codes(text) == set()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("I felt intimidated by her brother standing in the hall.", "hostility"),
        ("He said he'd make sure I regretted coming.", "hostility"),
        ("Only spoke to Aiden over the phone, no visit this week.", "unseen_child"),
        ("I haven't had face-to-face contact with Dexter since June.", "unseen_child"),
        ("Mum showed me the new bedroom but not the baby.", "unseen_child"),
        ("I wasn't allowed upstairs where the twins were.", "unseen_child"),
        ("Gran insisted on staying in the room while I spoke to Lacey.", "unseen_child"),
        ("She said he was at his auntie's, apparently for the whole week.", "unseen_child"),
        ("We've nothing on the man who's been staying over.", "hidden_men"),
        (
            "The house was gleaming for my visit but nursery say she comes in hungry.",
            "disguised_compliance",
        ),
        ("Manager wants to NFA it as they keep refusing to let us in.", "closure_risk"),
    ],
)
def test_concept_rules_raise(text, code):
    assert code in codes(text)
