"""Round 25 rule fixes, written from the errors of blind54 and blind55 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Gran brought the forms in and told me Jess didn't want to come.", "unseen_child"),
        ("The baby was sleeping in the pram each time I visited.", "unseen_child"),
        ("Dad texted to cancel and my first thought was phew.", "worker_relief"),
        ("Thank god they weren't in, I wasn't up to it.", "worker_relief"),
        ("Two reviews later and it's no different to when we started.", "drift"),
        ("I've been dreaming about the twins most nights.", "worker_wellbeing"),
        ("Not had a decent night's sleep since the strategy meeting.", "worker_wellbeing"),
        ("Mum insists she's clean and the blood test came back positive.", "disguised_compliance"),
        ("He had a GoPro running on his chest during the whole visit.", "online_targeting"),
        ("Dad demands every request in writing now.", "complaints_pressure"),
        ("The parenting service pulled out and nobody called a meeting about it.", "closure_risk"),
    ],
)
def test_round25_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "I asked to see Abby alone and mum said no bother; we chatted in her room.",
            "unseen_child",
        ),
        ("We never went near Sam's exclusion today, but I saw Sam alone after.", "unseen_child"),
    ],
)
def test_round25_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
