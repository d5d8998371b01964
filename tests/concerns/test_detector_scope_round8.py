"""Round 8 rule fixes, written from blind22's errors after it was scored once
(tests/concerns/README.md). Rule-level: the rules alone, without the classifier.
The sentences are new, not copied from that file.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    "text",
    [
        "Baby was in the cot the whole visit and mum said leave her, so I didn't go up.",
        "Nobody came to the door but I could hear the kids screaming inside.",
    ],
)
def test_child_kept_out_of_reach_now_read(text):
    assert "unseen_child" in rule_codes(text)


@pytest.mark.parametrize(
    "text",
    [
        # a parent who will only talk with an advocate there, then the children seen alone
        "Dad would only talk to me with his advocate present. I saw both boys alone after.",
        # heard crying, then brought down and held
        "Heard the baby crying when I arrived and mum brought her straight down for me.",
    ],
)
def test_child_seen_is_not_unseen(text):
    assert "unseen_child" not in rule_codes(text)


def test_closure_with_no_tac_or_core_group():
    assert "closure_risk" in rule_codes(
        "We're going to NFA it at the end of the month. No TAC or core group about it."
    )


def test_a_cancelled_clinic_done_another_day_is_not_avoidance():
    assert "avoidance" not in rule_codes(
        "Mum cancelled the clinic because the wee one was poorly and we did it Thursday instead."
    )


def test_a_taunt_while_filming_is_hostility():
    assert "hostility" in rule_codes(
        "Dad held his phone up at me and shouted 'smile for the camera' as I left."
    )
