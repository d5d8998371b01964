"""Round 74 rule fixes, written from the errors of blind378 to blind385 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("I asked to see Finn alone and mum said he stays with me and that was that.",
         "unseen_child"),
        ("I've only ever seen the baby in dad's arms.", "unseen_child"),
        ("Nursery see one thing, mum says another, and I see nothing because I can't "
         "get in.", "unseen_child"),
        ("Police welfare check: door opened at last, we looked in from the landing.",
         "unseen_child"),
        ("Dad says his lawyer must give permission before I see the children alone.",
         "unseen_child"),
    ],
)  # fmt: skip
def test_round74_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Nana told me she'd been frightened to call us; followed it up today.",
         "worker_fear"),
        ("Asked to see them alone and dad said course and went to make a tea; talked "
         "to both.", "unseen_child"),
        ("Couldn't see Rory alone last time, but today I did, in the park.",
         "unseen_child"),
        ("The new man met me and agreed to checks, which came back clear.",
         "hidden_men"),
        ("She disagreed with nursery at the review, but nursery say she's been "
         "perfectly reasonable.", "professional_split"),
        ("We looked in from the landing, then I saw Tia on her own in her room.",
         "unseen_child"),
    ],
)  # fmt: skip
def test_round74_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
