"""Round 54 rule fixes, written from the errors of blind210 to blind217 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Mum said they were asleep at four o'clock and I didn't push.", "unseen_child"),
        ("Dad didn't want the baby undressed, so I couldn't check her skin.", "unseen_child"),
        ("The HV was told 'she's off sick' on the day she goes in to weigh her.",
         "unseen_child"),
        ("The visit ended early and nobody saw the children.", "unseen_child"),
        ("The case is being transferred before I've even met the kids.", "unseen_child"),
        ("Zara just said 'fine' to everything while dad watched.", "unseen_child"),
        ("I honestly don't know much about how Ollie is.", "unseen_child"),
        ("All my contact has been with dad so far.", "unseen_child"),
        ("Gran said 'they're in their rooms.' Didn't push it.", "unseen_child"),
        ("Kayden was out both times I visited this month.", "unseen_child"),
        ("Freya is 15. She was out again when I called.", "unseen_child"),
    ],
)  # fmt: skip
def test_round54_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("I was worried I'd not get a proper look at the baby, but mum brought her down "
         "and I had a good look at her.", "unseen_child"),
        ("A missed appointment last spring, but attendance has been spot on since.",
         "avoidance"),
        ("I won't close it on my own; it's going to the multi-agency review next week.",
         "closure_risk"),
        ("Dad said he didn't want me seeing Lily alone. I explained, he agreed, and I saw "
         "her in the garden.", "unseen_child"),
        ("Mum was sharp with me but didn't stop me seeing the girls on their own.",
         "unseen_child"),
        ("My colleague is scared of the dog, so we meet at the family centre.",
         "worker_fear"),
        ("He wants the agreement in writing for his solicitor; fine, nothing else changes.",
         "complaints_pressure"),
        ("The boys were at their mum's as agreed. Saw them both alone at school on Monday.",
         "unseen_child"),
        ("A year of the same good reports from school and the HV.", "drift"),
        ("Saw a man's coat on the chair. Mum said it's her brother Sean's - Sean's known to "
         "us, no concerns.", "hidden_men"),
    ],
)  # fmt: skip
def test_round54_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
