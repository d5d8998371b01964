"""Round 45 rule fixes, written from the errors of blind138 to blind145 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Dad said it wasn't a good time and he'd bring Mia into the office tomorrow.",
         "unseen_child"),
        ("Her sister is the only one she'll let in; the rest of us get the door.",
         "unseen_child"),
        ("Mum was vague about where the boys were, first school, then her mum's.",
         "unseen_child"),
        ("We talked about her court date for an hour and I forgot to ask where the kids were.",
         "unseen_child"),
        ("Gran said mum had taken the kids swimming, and nobody answered later.",
         "unseen_child"),
        ("They've gone to a cottage with the kids for the fortnight, the neighbour says.",
         "unseen_child"),
        ("Saw Finn at school but his teacher sat in, so nothing about home.", "unseen_child"),
        ("Two months open, no face to face yet.", "unseen_child"),
    ],
)  # fmt: skip
def test_round45_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("He'll bring Josh to the clinic next week for his jabs.", "unseen_child"),
        ("I was worried I wouldn't get to see the baby, but mum brought her straight in.",
         "unseen_child"),
        ("Wasn't sure if mum would let me see Ali alone but she did, no fuss.",
         "unseen_child"),
        ("I was in the room for the whole of contact, then spoke to Noah on his own.",
         "unseen_child"),
        ("Her fella stood at the door and answered every question I put to her.",
         "unseen_child"),
        ("Gran does all the talking and mum just nods along.", "unseen_child"),
        ("Mum said dad was on nights and not to wake him; the kids were seen and fine.",
         "unseen_child"),
        ("I haven't spoken to any of the other agencies yet.", "unseen_child"),
        ("He'd been wound up by the housing office, but he was fine with me.", "hostility"),
        ("No answer at nine; we met at the park at ten instead and I saw both kids.",
         "avoidance"),
        ("Her LD assessment came back clear and she followed everything today.",
         "adult_at_risk"),
        ("Her ex hasn't been in the picture for four years.", "hidden_men"),
        ("Nothing about this case is keeping me up at night.", "worker_wellbeing"),
        ("Her teacher sat in for a few minutes then left us, and Lola chatted away.",
         "unseen_child"),
        ("The boys were out on the green, and I had ten minutes with Sol, just me and him.",
         "unseen_child"),
        ("The partner wouldn't let me talk to mum on her own.", "unseen_child"),
        ("There was a man in the back bedroom with the door shut all visit.", "unseen_child"),
        ("Her partner does all the talking and shuts her down.", "unseen_child"),
        ("I got home and realised I hadn't asked about the kids once.", "collusion"),
        ("She rang to cancel for a dentist appointment; rebooked for Friday and it went "
         "ahead.", "avoidance"),
        ("She cried about her dad's funeral, and we talked about how the kids are coping.",
         "adult_focus"),
    ],
)  # fmt: skip
def test_round45_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
