"""Round 43 rule fixes, written from the errors of blind122 to blind129 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Got there at four but she'd been sent off to her nan's just before I arrived.",
         "unseen_child"),
        ("Went to school to see Mason, but he's been absent all week.", "unseen_child"),
        ("I haven't been out to see the kids in six weeks.", "unseen_child"),
        ("I tried to talk to Zara about school but her mum kept cutting in.", "unseen_child"),
        ("Kyle was on his tablet in the corner the whole visit, headphones on.",
         "unseen_child"),
        ("I didn't feel able to ask to lift the baby out of the pram and look at her.",
         "unseen_child"),
        ("School phoned: Ivy's off sick so the school visit's off.", "unseen_child"),
        # a "'s" before "on", "in", "away" ... is "is": "Jack's away" names Jack
        ("Jack's away at his gran's again and I've not seen him in three weeks.",
         "unseen_child"),
    ],
)  # fmt: skip
def test_round43_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Dad's on night shifts so I've not seen him lately, but he phones after every visit.",
         "unseen_child"),
        ("Mum's partner stayed in the bedroom the whole visit and we still don't know him.",
         "unseen_child"),
        ("Mum was at work so I didn't see her. Gran let me have both girls on my own.",
         "unseen_child"),
        ("Mum has no idea I'd already seen the boys alone at school.", "unseen_child"),
        ("Dad was calm - the first time I've seen him settled. Kids seen alone.",
         "unseen_child"),
        ("She was angry at the dog, not at me, and then I spoke to Ava on her own.",
         "unseen_child"),
        ("I worried I hadn't seen the baby properly, so went back the next day and checked "
         "her over.", "unseen_child"),
        ("Saw them with dad in the lounge and then spoke to each of them on their own.",
         "unseen_child"),
        ("The kids were out in the garden with me, showing off their den.", "unseen_child"),
        ("No supervision for weeks and I'm starting to feel really alone with this case.",
         "unseen_child"),
        ("The GP hasn't seen what I've seen at home.", "unseen_child"),
        ("Mum said the man at the window was her cousin.", "unseen_child"),
        ("Her partner sat between me and the door the whole time.", "unseen_child"),
        ("Her boyfriend answered every question for her, which I'll pick up with her alone.",
         "unseen_child"),
        ("She asked if she had signed something to give the baby away.", "unseen_child"),
        ("Since the complaint I've switched to only visiting with a colleague.",
         "worker_fear"),
        ("I've been told joint visits only until the complaint is looked at.", "worker_fear"),
        ("Thought he was filming me but it turned out to be his vape.", "online_targeting"),
        ("I wouldn't say I was relieved when it ended, it was a good visit.", "worker_relief"),
        ("It would have been easy to go soft on her today, but I didn't.", "collusion"),
        ("The TA felt sorry for Leo cos he'd lost his lunch money, so she sorted it.",
         "collusion"),
        ("The missed clinic in May was their letter going astray; she's been to every one "
         "since.", "avoidance"),
        ("Mum complained to her MSP in the spring. That's all resolved now.",
         "complaints_pressure"),
        ("A year on the plan and she still doesn't understand what it's for.", "drift"),
    ],
)  # fmt: skip
def test_round43_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
