"""Round 58 rule fixes, written from the errors of blind242 to blind257 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Nana took the kids to the shops so mum and I could talk.", "unseen_child"),
        ("Honestly couldn't tell you a thing about how Ruby is.", "unseen_child"),
        ("Dad's benefits took the whole hour. I didn't see or ask after the kids.",
         "unseen_child"),
        ("A drawing on the fridge is the closest I've got to meeting Kai.", "unseen_child"),
        ("Mum says he's fine. He wasnt up when I called round.", "unseen_child"),
        ("I've only ever seen Freya with dad holding on to her.", "unseen_child"),
        ("Mum wouldnt let me take him aside for a minute.", "unseen_child"),
        ("The boys were at their dad's so it was just me and mum.", "unseen_child"),
        ("The baby never came out of the bedroom while I was there.", "unseen_child"),
        ("Ran out of time before I could speak to Noah on his own.", "unseen_child"),
        ("Asked again to see Isla. Never happened.", "unseen_child"),
        ("His uncle let the dogs out on purpose when I got out the car.", "hostility"),
    ],
)  # fmt: skip
def test_round58_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Asked to see Ellie on her own and dad said aye and took the toddler out to "
         "the garden.", "unseen_child"),
        ("Asked to see Josh alone and mum took his sister upstairs, so we had a chat.",
         "unseen_child"),
        ("I asked to see Amber on her own and we went up to her room to talk.",
         "unseen_child"),
        ("No problem seeing the girls, both were chatty.", "unseen_child"),
        ("No issues and saw Tyler alone in his room.", "unseen_child"),
        ("Baby was asleep in the moses basket, and I checked her over when she woke.",
         "unseen_child"),
        ("Didn't see Liam on Tuesday as he was at the dentist, so I went back Thursday "
         "and saw him playing.", "unseen_child"),
        ("I didn't think I'd get Cody on his own with gran there, but she went out and "
         "we had the house to ourselves.", "unseen_child"),
        ("Mum sent the others upstairs so I could talk with Evie in private.",
         "unseen_child"),
        ("I was anxious the first visit but that was months ago.", "worker_fear"),
        ("I was wary going in after the last report, but he was calm.", "worker_fear"),
        ("It felt stuck for a while, but the review actually showed progress.", "drift"),
        ("School, nursery and me were on the same page: same worries, same plan.",
         "drift"),
        ("Mum cancelled the visit as the baby was poorly, then came to the rearranged "
         "one.", "avoidance"),
        ("He missed an appointment in May. He's not missed one since.", "avoidance"),
        ("Nobody home, but mum had told me about the hospital trip.", "avoidance"),
        ("Dad took photos of the mould on his phone for the landlord.",
         "online_targeting"),
        ("Her so-called friends were taking her money, so she blocked them all.",
         "adult_at_risk"),
        ("Dad says the school were rubbish when he was a kid, but he loves this one.",
         "professional_split"),
        ("I'll be relieved of this case when I go on secondment.", "worker_relief"),
    ],
)  # fmt: skip
def test_round58_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
