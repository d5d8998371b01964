"""Round 21 rule fixes, written from the errors of blind44 and blind45 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Not gonna lie, I was relieved when nobody answered.", "worker_relief"),
        ("Not going to lie, I'm exhausted and not sleeping.", "worker_wellbeing"),
        ("Honestly I was glad when the time was up.", "worker_relief"),
        ("I dont challenge him on the cannabis any more.", "collusion"),
        ("Dad's solicitor wants every visit in writing first.", "complaints_pressure"),
        ("She forwards all my emails to her MP.", "complaints_pressure"),
        ("Dad hung up when I asked to speak to Jess.", "unseen_child"),
        ("He's written a one-star review about me on the council's page.", "online_targeting"),
        ("Mum signed the tenancy forms without a clue what she was agreeing to.", "adult_at_risk"),
        ("I can't remember the last time anyone asked Tom what he wants.", "child_voice_missing"),
    ],
)
def test_round21_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "Mum's solicitor asked for a copy of the plan; sent it and nothing about the work"
            " changes.",
            "complaints_pressure",
        ),
        ("Not going to lie, it was a lovely visit and I saw Jay on his own.", "worker_relief"),
    ],
)
def test_round21_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
