"""Round 35 rule fixes, written from the errors of blind94 to blind97 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Saw Rhys at contact but got no time with him away from the foster carer.",
         "unseen_child"),
        ("Two hours on dad's stories and I never went and found the girls.", "unseen_child"),
        ("Since the complaint I've stopped asking to see the boys on my own.", "unseen_child"),
        ("Mum said she wasn't bringing him down, he was fine.", "unseen_child"),
    ],
)  # fmt: skip
def test_round35_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("I was a bit wary going in given the history, but I felt completely safe.",
         "worker_fear"),
        ("Mum nearly didn't answer, she thought I was the bailiffs. Saw both girls alone.",
         "avoidance"),
        ("His solicitor wrote again; the visit went ahead as planned.", "complaints_pressure"),
        ("Mum couldn't find the baby's shoes when the alarm went off.", "unseen_child"),
    ],
)  # fmt: skip
def test_round35_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
