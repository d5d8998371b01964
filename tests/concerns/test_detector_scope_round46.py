"""Round 46 rule fixes, written from the errors of blind146 to blind153 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Six visits since March and I've seen Ruby once.", "unseen_child"),
        ("The girls got a wave and that was it.", "unseen_child"),
        ("Ten minutes alone with Caleb was still a no.", "unseen_child"),
        ("Saw nothing of the twins today.", "unseen_child"),
        ("Mum made them stay in their room while I was there.", "unseen_child"),
        ("I didn't get ten minutes on my own with Rosie.", "unseen_child"),
        ("Honestly couldn't tell you anything about Max, he was at a pal's.", "unseen_child"),
        ("She needed to talk about the eviction, so I'll see the kids next time.",
         "unseen_child"),
        ("Asked Dan how school was and he said fine and looked at his dad.", "unseen_child"),
        ("I saw them, but only ever in the lounge with mum and gran there.", "unseen_child"),
        ("Her friend took the kids to the shop just as I arrived.", "unseen_child"),
        ("He's 15 and goes out every time I visit.", "unseen_child"),
        ("Poppy's been too ill for the last three sessions at school.", "unseen_child"),
    ],
)  # fmt: skip
def test_round46_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Saw nothing of the kids at first, but later I saw them alone in their room.",
         "unseen_child"),
        ("She was upset but didn't stop me seeing the children, and I saw both alone.",
         "unseen_child"),
        ("Asked to see Ella alone and dad left us to it in the kitchen.", "unseen_child"),
        ("Baby was in the sling; mum took her out the minute I asked and I checked her.",
         "unseen_child"),
        ("Her son has a learning disability, so school use a picture timetable.",
         "adult_at_risk"),
        ("Dad called the HV a liar last month but has since apologised.",
         "professional_split"),
        ("The missed appointments are behind us; she's been to every one since May.",
         "avoidance"),
        ("We talked about whether the stairs weren't safe for the baby and fitted a gate.",
         "worker_fear"),
        ("I thought I might be nervous going back after last time, but it was fine.",
         "worker_fear"),
        ("The man flagged last year has since been identified as her brother.",
         "hidden_men"),
    ],
)  # fmt: skip
def test_round46_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
