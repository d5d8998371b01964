"""Round 15 rule fixes, written from the errors of blind29, blind30 and blind31 after each
was scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Dad stood in the doorway the whole time I was trying to talk to Skye.", "unseen_child"),
        ("Ayla peeped round the kitchen door and mum sent her up. That was it.", "unseen_child"),
        ("I was glad when the TL said to postpone, if I'm honest.", "worker_relief"),
        ("Car gone, nobody in, and my heart lifted.", "worker_relief"),
        ("Nobody in again and honestly that was a relief.", "worker_relief"),
        ("It was fine until I asked about the marks, then she showed me out.", "avoidance"),
        ("Mum kept the door on the chain and talked through the gap.", "avoidance"),
        ("Her views section is blank again.", "child_voice_missing"),
        ("Same plan copied over at every review since March.", "drift"),
        ("I keep telling myself she's trying, but nothing's different.", "collusion"),
        ("I've been writing it up as progress because I want it to be true.", "collusion"),
        ("Rang the family on my day off to check the baby was ok.", "worker_wellbeing"),
        ("I've carried that home with me all week.", "worker_wellbeing"),
        ("She couldn't tell me back what she'd agreed to at the meeting.", "adult_at_risk"),
        ("I've not told my TL I'm scared of him.", "worker_fear"),
        ("New TL is transferring it out to early help. Nobody's told school.", "closure_risk"),
        (
            "Caseload cleanse: this one's on the list as they won't engage. No TAC held.",
            "closure_risk",
        ),
        ("Dad had a hammer still in his hand when he opened the door.", "hostility"),
    ],
)
def test_round15_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("He stood in the doorway and I felt intimidated by the size of him.", "unseen_child"),
        ("Turns out the lad downstairs is collecting her money.", "unseen_child"),
        ("Her cousin handles her money and she's never seen a statement.", "unseen_child"),
        ("The office cancelled the visit because of the snow.", "avoidance"),
        ("Duty texted to cancel my visit because of staffing.", "avoidance"),
        ("No answer at 10, mum rang within the hour to say she was at the GP.", "avoidance"),
        ("Quick visit, kids shouting in the garden and laughing, mum relaxed.", "hostility"),
        (
            "Wondering if I was going easy on mum, so I raised the kitchen with her directly.",
            "collusion",
        ),
    ],
)
def test_round15_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
