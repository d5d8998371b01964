"""Round 30 rule fixes, written from the errors of blind70 to blind77 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Only saw wee Callum for a minute on the stair.", "unseen_child"),
        ("I had two minutes with Bella in the hall before bath time.", "unseen_child"),
        ("Dad refused to tell us where the boys were staying.", "unseen_child"),
        ("Four weeks now since anyone saw Tayla.", "unseen_child"),
        ("We did the review by phone as the road was shut.", "unseen_child"),
        ("Skipped asking to see Jude on his own, dad was raging.", "unseen_child"),
        ("I can't get Nico to myself, he won't leave his gran's side.", "unseen_child"),
    ],
)
def test_round30_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Dentist says they haven't seen Kyla since the spring.", "unseen_child"),
        ("Had five minutes with each twin on their own in the garden.", "unseen_child"),
        (
            "Mum's threatened a complaint about the review. Nothing about the plan has changed.",
            "complaints_pressure",
        ),
    ],
)
def test_round30_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
