"""Round 31 rule fixes, written from the errors of blind78 to blind81 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Dad had me on the benefits forms all visit, I hardly noticed the twins.", "unseen_child"),
        ("Kayden heads straight up to his room whenever I arrive.", "unseen_child"),
        ("An hour of rent talk and I left with nothing on how the girls are.", "unseen_child"),
        ("Nobody from health has been inside the flat since June.", "unseen_child"),
        ("Mia has never once been on her own with a worker.", "unseen_child"),
        ("She uploaded a video of the meeting with me in it.", "online_targeting"),
        ("He was recording as I walked in the door.", "online_targeting"),
        ("I haven't stopped crying since the visit.", "worker_wellbeing"),
        ("TL wants to pass it to early help; school haven't been asked.", "closure_risk"),
        ("Same worries in every single review since 2024.", "drift"),
        ("The house is exactly where it was when the case opened.", "drift"),
        ("Same concerns, same promises, another six months gone.", "drift"),
        ("The second I mentioned nursery she told me I could leave now.", "avoidance"),
        ("Plenty on mum's recovery but we haven't got anything from Leo.", "child_voice_missing"),
    ],
)
def test_round31_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Mum's housing took up the visit, though I barely looked at my notes.", "unseen_child"),
        ("He said I could leave my bag in the hall.", "avoidance"),
        ("The baby hasn't stopped crying since I got there.", "worker_wellbeing"),
    ],
)
def test_round31_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
