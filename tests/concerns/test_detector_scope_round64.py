"""Round 64 rule fixes, written from the errors of blind298 to blind305 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Dad talked about his hearing all visit; I never got to say hi to the girls.",
         "unseen_child"),
        ("She's out with her mates every time I call.", "unseen_child"),
        ("Neighbour says they've gone to Skegness for the week with the kids.",
         "unseen_child"),
        ("Every visit it's dad telling me how Jess is getting on.", "unseen_child"),
        ("I had Ben on his own but dad kept poking his head in.", "unseen_child"),
    ],
)  # fmt: skip
def test_round64_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("His complaint was investigated and not upheld; we get on fine now.",
         "complaints_pressure"),
        ("After the complaint the core group agreed a new worker, and the work has "
         "carried on.", "complaints_pressure"),
        ("Dad wants it all in writing now. Fine: the plan and the visits stay the same.",
         "complaints_pressure"),
        ("Gran doesn't like mum's new partner, but he's been checked and police have "
         "nothing on him.", "hidden_men"),
        ("Dad disagreed that the stairs were unsafe and showed me the gate he'd bought.",
         "worker_fear"),
        ("She cancelled for the dentist and rang to rebook herself; seen Friday.",
         "avoidance"),
        ("Lots of shouting between dad and his brother, but none of it aimed at me.",
         "hostility"),
        ("Mum was raging about the council, but none of it was at me.", "hostility"),
        ("He shouted at me in May, but he's been calm at every visit since.",
         "hostility"),
        ("Mum said she'd tidied specially, but it's been tidy every time for months.",
         "disguised_compliance"),
        ("Ella said she'd like to stay there all the time, it's so quiet.",
         "unseen_child"),
        ("The plan is about mum's housing, all framed round the kids having a room each.",
         "adult_focus"),
        ("I believe her: school and HV see the same changes.", "collusion"),
    ],
)  # fmt: skip
def test_round64_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
