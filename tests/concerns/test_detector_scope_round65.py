"""Round 65 rule fixes, written from the errors of blind306 to blind313 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("A man at the door said mum's out and the baby is with her.", "unseen_child"),
        ("He's always at football when I call.", "unseen_child"),
        ("Driving home I had no idea what Amy really looked like.", "unseen_child"),
        ("Every time I ask Ben something dad answers.", "unseen_child"),
        ("Gran took the kids out for the whole visit.", "unseen_child"),
        ("She's 12 and hasn't been spoken to by anyone in the assessment.",
         "unseen_child"),
        ("I only saw the baby on the camera from the kitchen.", "unseen_child"),
        ("A wave from the upstairs window. That's as close as I got.", "unseen_child"),
        ("Every visit it's dad telling me what Leo wants.", "unseen_child"),
    ],
)  # fmt: skip
def test_round65_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("She said she'd complain about unannounced visits; the visits stay in the plan.",
         "complaints_pressure"),
        ("All letters go to his solicitor now, and the plan is exactly the same.",
         "complaints_pressure"),
        ("I was frightened of him in the first year, but that's long gone.",
         "worker_fear"),
        ("Nana's terrified the kids will be taken; I explained the plan.", "worker_fear"),
        ("They didn't answer for a spell in winter; every visit has been kept since.",
         "avoidance"),
        ("He missed one appointment, but he's been to the last four.", "avoidance"),
        ("Ruby was asleep when I called, so I went back later and had a proper chat "
         "with her on her own.", "unseen_child"),
        ("The kids are at school every day now and mum's routines have held.",
         "unseen_child"),
        ("Dad was angry about a post about him online, not about us.",
         "online_targeting"),
    ],
)  # fmt: skip
def test_round65_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
