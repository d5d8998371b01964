"""Round 55 rule fixes, written from the errors of blind218 to blind225 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("I really wish I'd asked to see Sam on his own.", "unseen_child"),
        ("Dad brought the baby down for a few minutes, then took her back up.",
         "unseen_child"),
        ("I rang instead of going, and I wrote him up as seen.", "unseen_child"),
        ("The children were upstairs; I could only hear them.", "unseen_child"),
        ("HV here: I didn't get to undress the baby again.", "unseen_child"),
        ("Met dad in the park because he won't have me at the flat.", "unseen_child"),
        ("We talked about the rent for an hour. Mason stayed in his room.",
         "unseen_child"),
        ("I forgot to ask where the kids were.", "unseen_child"),
    ],
)  # fmt: skip
def test_round55_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("I'd have said I was nervous of him before, but today was easy.", "worker_fear"),
        ("Hadn't managed to see the kids for a fortnight, but today both kids had time "
         "alone with me.", "unseen_child"),
        ("Wasn't sure at first whether I'd seen Noah properly, so I went back and sat "
         "with him on my own.", "unseen_child"),
        ("I thought I hadn't seen the kitchen, but I had.", "unseen_child"),
        ("Ellie's voice is all over the review report.", "adult_focus"),
        ("Three months in and the targets are being met.", "drift"),
        ("Her partner left the room when I asked to see the boys alone.", "unseen_child"),
        ("Dad rang to cancel for a hospital appointment; the visit went ahead the next "
         "day.", "avoidance"),
        ("The baby was asleep, so I came back at 3 and saw her then, awake and happy.",
         "unseen_child"),
        ("She said she didn't understand the plan, so we went through it and she "
         "explained it back to me in her own words.", "adult_at_risk"),
        ("Not worried about Sophie - seen alone, happy, eating well.", "unseen_child"),
        ("Rosie was chatty on her own and showed me her drawings.", "unseen_child"),
        ("The house was busy with visitors but mum sent them out when I asked.",
         "unseen_child"),
        ("The posts on facebook bothered us last year, but it stopped after the letter "
         "and there's been nothing since.", "online_targeting"),
        ("He wants to complain about the contact; nothing's changing, the plan stands.",
         "complaints_pressure"),
        ("Saw Leo on his own at the club; he's happier now he's at his gran's.",
         "unseen_child"),
    ],
)  # fmt: skip
def test_round55_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
