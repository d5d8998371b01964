"""Round 77 rule fixes, written from the errors of blind410 to blind417 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Dad said Callum was out and she didn't know where, fourth week running.",
         "unseen_child"),
        ("Both visits mum had a reason to keep the baby swaddled on her knee.",
         "unseen_child"),
        ("Asleep upstairs. Same as last week.", "unseen_child"),
        ("The visit was over before I got to Reuben, the benefits letters took it all.",
         "unseen_child"),
        ("I've been doing them as phone calls since the summer.", "unseen_child"),
        ("Dad said he'd complain if I see the kids alone, so I've stopped asking.",
         "unseen_child"),
        ("Told there's no time to meet the school, it's getting closed. I was told "
         "there's no time.", "closure_risk"),
        ("We sent the closing letter and it never went to any meeting.", "closure_risk"),
        ("Manager wants it closed; nothing's been discussed with the school.",
         "closure_risk"),
        ("A man's van is there every week and nobody from our side has ever met him.",
         "hidden_men"),
        ("Her uncle minds the kids and nobodys assessed him.", "hidden_men"),
        ("Mum says she's going to film the next meeting and post it.",
         "online_targeting"),
        ("I've caught myself hoping she's out every time I knock.", "worker_relief"),
        ("The report says she functions at the level of a 9 year old.", "adult_at_risk"),
        ("Her cognitive assessment came back very low.", "adult_at_risk"),
        ("He's threatening judicial review over the last conference.",
         "complaints_pressure"),
    ],
)  # fmt: skip
def test_round77_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Her partner is known to us and we did a full assessment with him last year.",
         "hidden_men"),
        ("No answer on Friday, mum had texted about a hospital appointment. Went Monday "
         "and saw everyone.", "avoidance"),
        ("He missed one session with the flu and he's been at every one since.",
         "avoidance"),
        ("Mum cancelled for a scan. Went the next day, she was in and it was fine.",
         "avoidance"),
        ("Dad wasn't happy about me speaking to the kids alone but he let me anyway.",
         "unseen_child"),
        ("Gran posts the girls' medals on facebook every weekend.", "online_targeting"),
        ("Zoe was at her mum's this week, so I went to see her there and we chatted.",
         "unseen_child"),
    ],
)  # fmt: skip
def test_round77_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
