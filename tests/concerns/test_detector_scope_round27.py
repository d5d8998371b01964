"""Round 27 rule fixes, written from the errors of blind60 to blind63 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Writing it up, I can't really say anything about how Finn is.", "unseen_child"),
        ("Nobody answered, but Cara was watching us from the bedroom window.", "unseen_child"),
        ("Saw the boys but never on their own, gran stayed in the room.", "unseen_child"),
        ("No one outside the family has seen baby Rosa since she came home.", "unseen_child"),
    ],
)
def test_round27_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "Dad complained about me; I'm still visiting weekly and saw the kids alone.",
            "complaints_pressure",
        ),
        ("Mum's complaint is logged and it hasn't changed the plan.", "complaints_pressure"),
        ("I thought I'd be relieved to leave, but it was a lovely visit.", "worker_relief"),
        ("The meeting got heated but nobody felt threatened.", "worker_fear"),
        ("Booked Friday after school so I can see Lola on her own.", "unseen_child"),
        ("Missed the clinic because of the snow, rebooked for Monday and she went.", "avoidance"),
        ("Mum's new partner has had his checks and came to core group.", "hidden_men"),
        ("Three agencies at the TAC and nobody had a different view.", "professional_split"),
        ("A neighbour filmed her in the street and posted it; she's upset.", "online_targeting"),
    ],
)
def test_round27_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
