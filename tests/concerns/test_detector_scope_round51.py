"""Round 51 rule fixes, written from the errors of blind186 to blind193 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Dad's benefits take up every visit and I only wave at the baby.", "unseen_child"),
        ("I think I saw Remy but it could have been his cousin.", "unseen_child"),
        ("He's 15, never in when I visit.", "unseen_child"),
        ("The kids are never in when we call round.", "unseen_child"),
        ("Three visits and she's always in her room.", "unseen_child"),
        ("Mum said she'd complain if I see them at nursery, so we've stopped.",
         "unseen_child"),
        ("Each says the other has her; she wasn't at either house.", "unseen_child"),
    ],
)  # fmt: skip
def test_round51_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Her assessment came back - no learning disability, she struggled reading.",
         "adult_at_risk"),
        ("The complaint from spring was investigated and closed.", "complaints_pressure"),
        ("She missed the meeting when her bus broke down; we did it by phone the next day.",
         "avoidance"),
        ("A new man on the referral - turns out it's her dad, well known to us.",
         "hidden_men"),
        ("I'll come Sunday so I can see Jo on her own while mum takes the baby out.",
         "unseen_child"),
        ("Dad said 'you're not seeing them!' but he was only joking, and I saw them alone.",
         "unseen_child"),
        ("She told her teacher her mum's been shouting at home.", "hostility"),
        ("Mum took him to the GP about his cough. Baby seen, all fine.", "unseen_child"),
        ("Saw her at nursery on her own, so no need to see her at home.", "unseen_child"),
        ("I don't think there was anything I missed: both seen alone.", "unseen_child"),
        ("Kai wasn't home, he's on the trip which I knew about.", "avoidance"),
        ("Thought at first the baby wasn't in, but she was asleep upstairs and I saw her.",
         "unseen_child"),
        ("The school nurse saw Lexi alone and she said she's been sleeping badly.",
         "unseen_child"),
        ("The case was getting to me, but after supervision I feel much better.",
         "worker_wellbeing"),
        ("Mum says school are picking on him; we met and left with one agreed plan.",
         "professional_split"),
    ],
)  # fmt: skip
def test_round51_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
