"""Round 53 rule fixes, written from the errors of blind202 to blind209 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Amir sat with us a while. His sister Leah never appeared.", "unseen_child"),
        ("Dad said he didn't want the children woken, so I left.", "unseen_child"),
        ("School said Maya was off sick and I didn't have to go in for the session.",
         "unseen_child"),
        ("Dad keeps telling me the kids are fine but I've never been allowed upstairs.",
         "unseen_child"),
        ("Every week I knock, mum says they've just gone to the shops.", "unseen_child"),
        ("I saw Rory alone in the kitchen but Niamh (15) wouldn't come out of her room.",
         "unseen_child"),
    ],
)  # fmt: skip
def test_round53_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Wasn't sure beforehand whether I'd get Eve on her own, but dad took her brother "
         "out and I had half an hour with her.", "unseen_child"),
        ("Missed them at home, then went round to the school and saw both of them alone.",
         "unseen_child"),
        ("Her ex moved away years ago; the girls say they've never seen him since.",
         "unseen_child"),
        ("The move gets the children away from the mould in the old flat.", "unseen_child"),
        ("Sat in on Ellis's review at school and he spoke for himself.", "unseen_child"),
        ("The children's views haven't been gathered yet.", "unseen_child"),
        ("I haven't spoken to Ruby about the court case yet.", "unseen_child"),
        ("No answer. Could see the lights on through the curtains.", "unseen_child"),
        ("The kids were sitting at the window for their dad, who never came.",
         "unseen_child"),
        ("Had a good chat with Kai on the doorstep before school; mum was at work.",
         "unseen_child"),
        ("Her sister did all the talking while mum sat nodding along to it all.",
         "unseen_child"),
        ("It was, same as every planned visit, clean and calm.", "disguised_compliance"),
        ("The last worker had no access for months; I've been in every week.", "avoidance"),
        ("Dad didn't answer at ten but texted straight away to say he was at the dentist.",
         "avoidance"),
        ("Asked about the trainers in the hall - they're her son's, he's 17.", "hidden_men"),
        ("I was too soft on dad last time, so today I went through the plan line by line.",
         "collusion"),
        ("Mum showed me the photos she'd posted of the school sports day.",
         "online_targeting"),
    ],
)  # fmt: skip
def test_round53_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
