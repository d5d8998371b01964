"""Round 59 rule fixes, written from the errors of blind258 to blind265 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Dad texted to say Ruby was poorly and he didnt want me round.", "unseen_child"),
        ("Whenever I try to speak to her dad butts in.", "unseen_child"),
        ("Saw mum slipping out the back door with the pram as I knocked.", "unseen_child"),
        ("I came away without having seen any of the kids.", "unseen_child"),
        ("Each time I ask, dad says she's too shy to talk.", "unseen_child"),
        ("He's always at his nana's whenever I call.", "unseen_child"),
        ("She was away at her dad's both times I called.", "unseen_child"),
        ("I only know how the boys are from what mum tells me.", "unseen_child"),
        ("We keep rescheduling the visit.", "avoidance"),
        ("The clinic appointment has been rebooked three times.", "avoidance"),
        ("Got the door slammed in my face again.", "avoidance"),
        ("Dad won't let us in the house any more.", "avoidance"),
        ("Jamie hasnt been brought for his eye test.", "avoidance"),
        ("They've not answered the door since August.", "avoidance"),
        ("Mum told me not to bother coming back.", "avoidance"),
        ("Dad had me back out the door within five minutes.", "avoidance"),
        ("He said I'd get what's coming to me.", "hostility"),
        ("She said she knows people who'd like to meet me.", "hostility"),
        ("He mentioned what road I live on.", "hostility"),
        ("Honestly I just take what mum says.", "collusion"),
    ],
)  # fmt: skip
def test_round59_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("He complained about me. It wasn't upheld and Ive kept visiting as before.",
         "complaints_pressure"),
        ("Dad wants things in writing because he's dyslexic, which is fine.",
         "complaints_pressure"),
        ("Her solicitor wants it all in writing. I'm still doing my visits as planned.",
         "complaints_pressure"),
        ("Mum's boyfriend's sister is staying for the week; she's been checked.",
         "unseen_child"),
        ("Dad said the kids were at their gran's. Saw them both there the next day.",
         "unseen_child"),
        ("No sign of any bruising, and I saw Leo alone upstairs.", "unseen_child"),
        ("Her partner has never been seen by any agency.", "unseen_child"),
        ("Nursery havent seen dad since the summer.", "unseen_child"),
        ("He yelled from the upstairs window at me to leave.", "unseen_child"),
        ("He was at the window watching me as I walked up.", "unseen_child"),
        ("Mum was cross about the referral, but let me see the boys alone.",
         "unseen_child"),
        ("We kept rebooking last spring; she's been in every time since.", "avoidance"),
    ],
)  # fmt: skip
def test_round59_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
