"""Round 24 rule fixes, written from the errors of blind52 and blind53 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Mum opened the bedroom door a crack: 'right, you've seen him'.", "unseen_child"),
        ("It was only Leo running past to the garden while mum talked.", "unseen_child"),
        (
            "Gran showed me the baby for a second then put her straight back in the cot.",
            "unseen_child",
        ),
        (
            "Everything was spotless and the kids were word perfect. It felt rehearsed.",
            "disguised_compliance",
        ),
        ("Felt really flat after the visit and had to go home.", "worker_wellbeing"),
        ("What Shay wants from all this, honestly no idea.", "child_voice_missing"),
        ("He threw a cup at the wall when I mentioned the police.", "hostility"),
        (
            "I didn't ask about the bruise because I didn't want another complaint.",
            "complaints_pressure",
        ),
        ("I'm avoiding raising anything that might wind her up.", "collusion"),
        ("I stuck to the rent arrears the whole visit.", "adult_focus"),
        ("TL wants it shut this week, and no one's spoken to the school.", "closure_risk"),
        ("We're stepping down next month; nobody has told nursery or the HV.", "closure_risk"),
        (
            "Case is moving over to the duty team. Nobody's talked to health about it.",
            "closure_risk",
        ),
    ],
)
def test_round24_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "Dad put in a complaint; we carried on with the plan and I saw Ben at school.",
            "complaints_pressure",
        ),
        ("It's Chloe who's frightened, not me; I saw her alone and she talked.", "worker_fear"),
        (
            "Two men I'd never seen before were in the kitchen; I saw both girls upstairs.",
            "unseen_child",
        ),
    ],
)
def test_round24_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
