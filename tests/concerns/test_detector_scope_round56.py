"""Round 56 rule fixes, written from the errors of blind226 to blind233 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Saw Ruby in the lounge with dad sat right next to her the whole time.",
         "unseen_child"),
        ("Three visits, and I've seen the boys each time at the door.", "unseen_child"),
        ("The housing forms took the hour and we ran out of time before I saw Ava.",
         "unseen_child"),
        ("Mum will only let me see Jay at the centre with the family worker in the room.",
         "unseen_child"),
        ("Her partner kept the baby on his knee throughout.", "unseen_child"),
        ("We never got round to seeing the children at all.", "unseen_child"),
        ("Four months and not one visit where Nina's been in.", "unseen_child"),
        ("Gran said the children were asleep, and shut the door.", "unseen_child"),
    ],
)  # fmt: skip
def test_round56_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Lily's been brought to every physio appointment since May.", "avoidance"),
        ("I was worried I'd not see the baby, but mum woke her and I held her.",
         "unseen_child"),
        ("Nobody mentioned a new partner and the school haven't heard of one.",
         "hidden_men"),
        ("He talked about the rows that used to go on before his dad moved out.",
         "hostility"),
        ("Dad missed the appointment as the car broke down, and came in the next day "
         "instead.", "avoidance"),
        ("I felt sorry for mum about her job, then I brought us back to the plan.",
         "collusion"),
        ("He called me a know-all but in a jokey way, and we both laughed.", "hostility"),
        ("The file says dad is aggressive but I've seen nothing of that.", "hostility"),
        ("They cancelled twice in January but they've been reliable since.", "avoidance"),
        ("The referral queried a learning disability; the assessment found she doesn't "
         "have one.", "adult_at_risk"),
        ("Jake told me he hasn't seen his dad since the court case and is glad.",
         "unseen_child"),
    ],
)  # fmt: skip
def test_round56_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
