"""Round 50 rule fixes, written from the errors of blind178 to blind185 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Dad needed the whole hour for his benefits. I'll have to go back to see the kids.",
         "unseen_child"),
        ("Four visits now, and it's always just gran and me in the kitchen.", "unseen_child"),
        ("I believed her rather than going up and checking on the baby.", "unseen_child"),
        ("Her partner kept standing between me and the children.", "unseen_child"),
        ("He wore a big jumper all visit. Would I know if he had bruises? No.", "unseen_child"),
        ("The children were at school so we just talked about the debts.", "unseen_child"),
        ("Nobody's answering and Lily hasn't been at school all week.", "unseen_child"),
    ],
)  # fmt: skip
def test_round50_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The boys were at school, so I came back at 4 and did - saw both boys alone.",
         "unseen_child"),
        ("I half expected not to see the baby again, but she was up and I held her.",
         "unseen_child"),
        ("Pest control came for the mice and there has been no sign of them since.",
         "unseen_child"),
        ("Her scan was cancelled by the hospital and rebooked for Monday.", "avoidance"),
        ("I felt sorry for him, but I still raised the bruise with him directly.",
         "collusion"),
        ("I thought I'd be upset all evening but talked to my TL and slept fine.",
         "worker_wellbeing"),
        ("He swore at me back in 2020; today he was polite and we agreed contact.",
         "hostility"),
        ("Mum drifted onto her PIP form. I brought it back to Sophie and we did her plan.",
         "adult_focus"),
        ("She's complained to the ombudsman; I'll keep visiting as the plan says.",
         "complaints_pressure"),
        ("Saw the baby at gran's, feeding well and alert.", "unseen_child"),
        ("Leo was at football, so I went along and saw him there after training.",
         "unseen_child"),
        ("Nobody is hiding anything as far as I can see.", "unseen_child"),
        ("She's scared the neighbours might film me arriving; nobody has.",
         "online_targeting"),
    ],
)  # fmt: skip
def test_round50_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
