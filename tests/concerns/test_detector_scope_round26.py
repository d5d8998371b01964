"""Round 26 rule fixes, written from the errors of blind56 to blind59 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Saw the twins but only with dad hovering over them.", "unseen_child"),
        ("Honestly I haven't set eyes on Mikey in a month.", "unseen_child"),
        ("Went to school to see Tia alone but she was off sick again.", "unseen_child"),
        ("I've kept it vague so he doesn't complain again.", "complaints_pressure"),
        ("Eight months in and the assessment still hasn't started.", "drift"),
        ("Two more calls unanswered this week.", "avoidance"),
        ("What we know about Rhys is only second hand from mum.", "child_voice_missing"),
        ("Drove home feeling numb after that one.", "worker_wellbeing"),
        ("Text from dad last night: keep away or else.", "hostility"),
        ("Nursery say a 'Tam' collects him. Never heard of a Tam.", "hidden_men"),
        ("Honestly I was glad they werent in.", "worker_relief"),
        ("The case is going to duty; nobody has asked the school.", "closure_risk"),
        (
            "TL says we're closing. I asked for a core group and was told it wasn't needed.",
            "closure_risk",
        ),
    ],
)
def test_round26_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "Planned to see Ewan alone but he was off sick, so I saw him at school later.",
            "unseen_child",
        ),
        ("Dad was the calmest I've seen him, and both kids talked to me alone.", "unseen_child"),
        ("I wasn't scared, but I'm glad I took a colleague.", "worker_relief"),
        ("Dad won't meet me; I've never set eyes on him.", "unseen_child"),
    ],
)
def test_round26_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
