"""Round 44 rule fixes, written from the errors of blind130 to blind137 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Mum is refusing to let Ruby be spoken to alone.", "unseen_child"),
        ("Saw Leo in the lounge, but dad was at the door listening the whole time.",
         "unseen_child"),
        ("Twenty minutes on her rent arrears, and Amir was playing at my feet the whole time.",
         "unseen_child"),
        ("Gran says the girls are at a cousin's in Leeds. No one can confirm that.",
         "unseen_child"),
        ("Couldn't focus on Maya at all with the shouting next door.", "unseen_child"),
        ("He held the baby and turned away every time I came near.", "unseen_child"),
        ("Mum hovered over them till I stopped asking questions.", "unseen_child"),
        ("Asked twice to see Kian's room and both times mum said not today.", "unseen_child"),
        ("Went to the nursery to see Ava as arranged, but she was off.", "unseen_child"),
    ],
)  # fmt: skip
def test_round44_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Went to school to see Ty, he was off; saw him at home later on his own, fine.",
         "unseen_child"),
        ("Baby in her bouncer babbling away while I chatted to mum.", "unseen_child"),
        ("Told the kids they were staying put, and they cheered.", "unseen_child"),
        ("Dad sat in on the first bit, then left me with the girls.", "unseen_child"),
        ("I wasn't sure I'd get the boys on their own, but mum went out and we had a chat.",
         "unseen_child"),
        ("The last worker never saw the children alone; I saw both alone today.",
         "unseen_child"),
        ("No bruises seen when I checked, and Mia told me she was fine.", "unseen_child"),
        ("Couldn't see Sam last week as he was poorly, but saw him alone today.",
         "unseen_child"),
        ("He said he couldn't wait to see his grandad at the weekend.", "unseen_child"),
        ("I asked to see Poppy alone and she took me to see her rabbit.", "unseen_child"),
        ("She loves weekends at her dad's and wants more of them.", "unseen_child"),
        ("Jade said mum's always sleeping in the afternoons since her new shifts.",
         "unseen_child"),
        ("He kept saying he'd let the dog out if I came any closer.", "unseen_child"),
        ("His girlfriend answers every question for him at meetings.", "unseen_child"),
        ("She kept asking her friend to answer for her.", "unseen_child"),
        ("Dad shouted at me from the window as I left.", "unseen_child"),
        ("I'm not sure the children's views are in the report at all.", "unseen_child"),
        ("I didn't raise it because she'd have pulled him out of nursery.", "unseen_child"),
        ("She says she's changed but I've never seen any of the changes.", "unseen_child"),
        ("The solicitor says we can't speak to the kids at school without her consent.",
         "unseen_child"),
        ("He's been brought to every appointment since the spring.", "avoidance"),
        ("She wants everything in writing now; I'm carrying on exactly as before.",
         "complaints_pressure"),
        ("Mum's friend has an LD and mum helps her with forms.", "adult_at_risk"),
        ("The school filmed Ellie's nativity and mum showed me the clip.", "online_targeting"),
        ("Gran said she was glad when I left, so she could get the tea on.", "worker_relief"),
    ],
)  # fmt: skip
def test_round44_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
