"""Round 66 rule fixes, written from the errors of blind314 to blind321 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The kids were kept in the car with their gran all visit.", "unseen_child"),
        ("Sorted her benefits and then I'd run out of time to see Max.", "unseen_child"),
        ("I left not knowing anything about how the baby is doing.", "unseen_child"),
        ("Every time I asked to hold the baby she found a reason.", "unseen_child"),
        ("Dad does all the talking and I never get to speak to her.", "unseen_child"),
        ("Honestly I don't even know if Ivy was in.", "unseen_child"),
        ("No answer, but I heard the baby in the background.", "unseen_child"),
    ],
)  # fmt: skip
def test_round66_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The debts took over last year; now we spend the time on the kids.",
         "adult_focus"),
        ("Unsure last week, so today I asked to see her awake and undressed, and did.",
         "unseen_child"),
        ("No sign of the bruising school saw - saw baby Rae undressed at bath time.",
         "unseen_child"),
        ("No sign of any man living there; kids spoken to alone.", "unseen_child"),
        ("The new man came to the meeting and his check came back clear.",
         "hidden_men"),
        ("School, HV and nursery: everyone's telling the same story.",
         "professional_split"),
        ("We closed for non engagement, but it went to a multi agency meeting first.",
         "closure_risk"),
        ("Asked for a joint visit to be safe; he was calm and I felt completely safe.",
         "worker_fear"),
        ("She had a wobble in spring but the kids say she's back to normal.",
         "disguised_compliance"),
    ],
)  # fmt: skip
def test_round66_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
