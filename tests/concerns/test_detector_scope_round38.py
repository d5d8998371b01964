"""Round 38 rule fixes, written from the errors of blind102 to blind105 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Dad spoke through the intercom and said the girls were fine.", "unseen_child"),
        ("Gran put the kids on speaker for a minute and that was my check.", "unseen_child"),
        ("Nobody in but a neighbour; I couldn't confirm the baby is safe.", "unseen_child"),
        ("Asked for time with Rory alone and dad said anything you say to him you can say "
         "to me.", "unseen_child"),
        ("She's happy for school to see Lily but not me.", "unseen_child"),
        ("Mum kept the baby upstairs the whole visit.", "unseen_child"),
        ("Went to see Ellis at nursery but he didn't come in today.", "unseen_child"),
        ("The twins were at the swings and hadn't come back by the time I left.",
         "unseen_child"),
        ("She sent the boys to her sister's just before I arrived.", "unseen_child"),
        ("Half an hour in, mum said she had to go and took the kids with her.", "unseen_child"),
        ("I could hear them upstairs but they never came down.", "unseen_child"),
        ("Dad's told me not to see them alone again, so I've stopped seeing them alone.",
         "unseen_child"),
        ("Mia was at a party so I'll catch her next week.", "unseen_child"),
        ("An hour on mum's housing and I never even asked where the baby was.", "unseen_child"),
        ("The boys were right there but I never got a word with them.", "unseen_child"),
        ("Mum kept him strapped in the pram the whole time.", "unseen_child"),
        ("I didn't get any closer than the doorway of the nursery room.", "unseen_child"),
        ("Dad said mum was out with the kids, as he said last week.", "unseen_child"),
        ("The baby was in with dad, bedroom door shut, for the whole visit.", "unseen_child"),
        ("Both girls seen briefly in the hall.", "unseen_child"),
        ("Had Josh on his own but only on the stairs for a couple of minutes.", "unseen_child"),
        ("Still waiting for the address of the aunt the kids are with.", "unseen_child"),
        ("Wasn't sure if that was Ruby or her pal behind the curtain.", "unseen_child"),
        ("I've only ever seen the baby in the car seat.", "unseen_child"),
        ("I've seen Tyler once, at the door.", "unseen_child"),
        ("The clinic was the only time I've seen her since she was born.", "unseen_child"),
        ("On the video call I saw the top of her head and that's all.", "unseen_child"),
        ("Baby was under the rain cover at the gate.", "unseen_child"),
        ("Could hear the bairn crying inside but the door stayed shut.", "unseen_child"),
        ("I'd say the children were seen through the kitchen window at best.", "unseen_child"),
        ("Could see the boys from the gate, that was it.", "unseen_child"),
    ],
)  # fmt: skip
def test_round38_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Met the new partner, gave me his full name and date of birth. Police checks done.",
         "hidden_men"),
        ("No answer on Monday. Rebooked for Wednesday and saw them both then.", "avoidance"),
        ("There was a complaint last month. The plan hasn't changed.", "complaints_pressure"),
        ("She says she'll report me if I bring up the drinking. I'll keep raising it.",
         "complaints_pressure"),
        ("Wary going in, but mum was calm. I felt completely at ease.", "worker_fear"),
        ("Chatted to Sam on the step while his mum found her keys, he was full of beans.",
         "unseen_child"),
        ("Mum had the solicitor on speaker, so I've stopped asking about the drinking.",
         "unseen_child"),
        ("Phone call only today to book the visit; seeing Ava on her own on Friday.",
         "unseen_child"),
    ],
)  # fmt: skip
def test_round38_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
