"""Round 36 rule fixes, written from the errors of blind98 to blind101 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Nine months on the plan and I've seen Keira alone once.", "unseen_child"),
        ("I could count on one hand the times I've spoken to Dylan.", "unseen_child"),
        ("The only time I see Robbie is at the car window on the school run.", "unseen_child"),
        ("I've only ever seen the baby asleep in the pram.", "unseen_child"),
        ("Not sure I've met the real Amy yet, she's always so guarded.", "unseen_child"),
        ("Dad wouldn't let the twins leave the room while I was there.", "unseen_child"),
        ("Gran wouldn't let me unwrap the baby, said she'd just gone down.", "unseen_child"),
        ("The back bedroom door was locked and mum said the boys were sleeping.",
         "unseen_child"),
        ("Mum wouldnt give me the address of the friend the girls are staying with.",
         "unseen_child"),
        ("Dad said Callum was fine and shut the door before I could ask.", "unseen_child"),
        ("Mum said not to wake the baby so I didn't.", "unseen_child"),
        ("All I saw was a bundle and a blanket in the car seat.", "unseen_child"),
        ("The kids were inside watching telly and I never went in.", "unseen_child"),
        ("I saw Isla but only through the living room window.", "unseen_child"),
        ("Chatted to Kyle through his bedroom door for five minutes.", "unseen_child"),
        ("On the video call mum turned the camera on the boys for a few seconds.",
         "unseen_child"),
        ("I could hear the baby crying upstairs the whole visit.", "unseen_child"),
        ("Neither of the girls came down, dad said they were busy.", "unseen_child"),
        ("Sammy was at his gran's for the third visit running.", "unseen_child"),
        ("Think that was Leo at the top of the stairs, couldn't swear to it.", "unseen_child"),
        ("Honestly I couldn't say I got a proper look at the baby today.", "unseen_child"),
        ("Nobody answered and the neighbours say they've moved, so I've no idea where the "
         "kids are.", "unseen_child"),
        ("Dad said mum had gone to her sister's with the kids again.", "unseen_child"),
        ("The boys were in and out but I never really looked at them.", "unseen_child"),
        ("Saw Finn but not properly, he was straight out the back door.", "unseen_child"),
    ],
)  # fmt: skip
def test_round36_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("I've seen both boys alone twice this week and they're settled.", "unseen_child"),
        ("She didn't say much but she let me see Ruby on her own in the garden.",
         "unseen_child"),
        ("The nursery worker had no worries and I had time alone with Ben after lunch.",
         "unseen_child"),
        ("My colleague was jumpy going in. I wasn't, it was a quiet visit.", "worker_fear"),
        ("A bit anxious beforehand, but I never felt unsafe and the visit was calm.",
         "worker_fear"),
        ("Dad thought the balcony was unsafe and has fitted a higher rail.", "worker_fear"),
        ("Asked what would make home better and she said less shouting from her brothers.",
         "hostility"),
        ("Mum wanted to film the meeting, then put the phone away when I explained.",
         "online_targeting"),
        ("Nobody in at first; mum came straight back from the shop and let me in.",
         "avoidance"),
        ("She was stuck at the school gate, so we started ten minutes late.", "drift"),
        ("He complained to my manager. The plan stays as it is and visits go on as agreed.",
         "complaints_pressure"),
        ("Mum's lodged a complaint about me. I carried on with the visit as normal.",
         "complaints_pressure"),
        ("Mum says she's no idea where Ava's dad is living now.", "unseen_child"),
        ("All of it was about his court case. Ran out of time before I asked about the girls.",
         "unseen_child"),
        ("Gran asked how he's sleeping since the move and I said better.", "unseen_child"),
        ("Kai said his mum's in hospital and he's at his uncle's; I saw Kai there on his own.",
         "unseen_child"),
    ],
)  # fmt: skip
def test_round36_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
