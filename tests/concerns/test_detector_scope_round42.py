"""Round 42 rule fixes, written from the errors of blind110 to blind121 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Gran kept me chatting in the porch, and by the time the girls came back I had to go.",
         "unseen_child"),
        ("The twins haven't been seen for five weeks now.", "unseen_child"),
        ("The weans havenae been visited in a month.", "unseen_child"),
        ("Nobody at nursery has clapped eyes on her since the holidays.", "unseen_child"),
        ("nobodys seen Rio since the weekend", "unseen_child"),
        ("Her stepmum talked over every question I put to Maisie.", "unseen_child"),
        ("Dad talked me out of seeing the boys again, said they were tired.", "unseen_child"),
        ("Honestly, if anyone asked how Finn is doing, I couldn't say.", "unseen_child"),
        ("No one has ever spoken to Nia on her own in two years.", "unseen_child"),
        ("Called to see Theo at school as arranged but he was off.", "unseen_child"),
        ("The eldest boy is 14 and he's never once been in when I've called.", "unseen_child"),
        # a father named as the child's keeps "him" the child
        ("Ollie stayed in the car with his dad, so I never saw him.", "unseen_child"),
        ("Dad took him straight upstairs and I never saw him.", "unseen_child"),
        ("Dad wouldn't let me past him to see the kids.", "unseen_child"),
    ],
)  # fmt: skip
def test_round42_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # "him" named nearest as a dad is the man, not the child
        ("Dad is back on the scene, the neighbours say. We have never spoken to him.",
         "unseen_child"),
        ("By the time they got home I'd had a good chat with each of them alone.",
         "unseen_child"),
        ("Kids were at school when I called, so I caught up with them at the club after.",
         "unseen_child"),
        ("Baby was asleep in her cot and I went in and saw her face and colour, all good.",
         "unseen_child"),
        ("The boys were out on their bikes, so I spent time with them outside on my own.",
         "unseen_child"),
        ("Dad was calm, didnt argue, and let me see both girls upstairs without him.",
         "unseen_child"),
        ("No sign of the posts since the police spoke to him, the account is gone.",
         "unseen_child"),
        ("Mum didn't want me seeing Jo alone but once I explained, she was fine with it.",
         "unseen_child"),
        ("There was a man I'd never seen before sitting in the kitchen.", "unseen_child"),
        ("If Ava's not in school by Friday we'll call a meeting.", "unseen_child"),
        ("When nobody answered I felt a wave of relief.", "unseen_child"),
        ("The meeting was all adults and nobody spoke for the kids.", "unseen_child"),
        ("She told me how scared she is of her ex finding the new flat.", "worker_fear"),
        ("I'd have said it wasn't safe for a toddler a year ago; it is now.", "worker_fear"),
        ("We're doing joint visits purely as good practice; nothing happened to prompt it.",
         "worker_fear"),
        ("Since the complaint I've been told to only visit with a second worker.",
         "worker_fear"),
        ("Mum cancelled for the baby's scan, so I went later instead and saw everyone.",
         "avoidance"),
        ("He missed CAMHS twice in spring but has brought Kai to every appointment since.",
         "avoidance"),
        ("She's gone from missing clinic to attending every one since the summer.",
         "avoidance"),
        ("No answer at one, but I went back at four and saw them all.", "avoidance"),
        ("The visit was cut short by the police arriving next door.", "avoidance"),
        ("Dad filmed the school show and showed me the clip.", "online_targeting"),
        ("It was a relief for the family when the boiler was fixed.", "worker_relief"),
        ("Her new partner has done his PVG and I've met him twice.", "hidden_men"),
        ("Mum talked about her flat for ages, but I kept bringing it back to the kids.",
         "adult_focus"),
        ("We spent the visit on how the twins are finding their new school.", "adult_focus"),
        ("Six months on and she's still off the drink, the kids notice the difference.",
         "drift"),
        ("The solicitor wrote again but nothing about the visiting plan has changed.",
         "complaints_pressure"),
        ("I wondered if it was tidied just for me, but the FSW dropped in unannounced and it "
         "was the same.", "disguised_compliance"),
        ("It was getting to me, so I told my TL and we cut my cases. Feeling much better now.",
         "worker_wellbeing"),
        ("Her LD assessment came back and she doesn't have one.", "adult_at_risk"),
    ],
)  # fmt: skip
def test_round42_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
