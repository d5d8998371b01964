"""Round 69 rule fixes, written from the errors of blind338 to blind345 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Mum talked over Kirsty every time I turned to her.", "unseen_child"),
        ("He's nine and I got maybe two words out of him.", "unseen_child"),
        ("I asked after the children and she said they're fine, and I left it there.",
         "unseen_child"),
        ("I couldn't tell you anything about how the baby looked.", "unseen_child"),
        ("I can't remember the last time I saw Reece on his own.", "unseen_child"),
        ("Came away not knowing anything more about how Ellis is.", "unseen_child"),
        ("Did we even see the baby's face? I don't think so.", "unseen_child"),
        ("Dad kept Tomas in the car while we talked on the path.", "unseen_child"),
        ("So many adult workers and nobody's actually got eyes on Ruby.",
         "unseen_child"),
        ("With the letters-only rule the kids haven't been visited since May.",
         "unseen_child"),
        ("Any visit he hasn't agreed goes straight to his solicitor, so we've stopped "
         "them.", "complaints_pressure"),
        ("At every review we give them another three months.", "drift"),
        ("The picture now is the same as at the first conference.", "drift"),
        ("I've not told my manager in case she thinks I can't cope.",
         "worker_wellbeing"),
        ("I was posted about on a community page with my car in the photo.",
         "online_targeting"),
        ("The group says she came to the first session and that was it.",
         "disguised_compliance"),
        ("Loads of support for dad, and I can't name one thing we're doing for Ava.",
         "adult_focus"),
        ("He asked me who I thought I was, standing in his house.", "hostility"),
    ],
)  # fmt: skip
def test_round69_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("New toys out I've never seen before, and the kids seen on their own upstairs.",
         "unseen_child"),
        ("He wants to read anything he hasn't seen first before it goes to school.",
         "unseen_child"),
        ("Her pal Dean did all the talking about the rent, mum just nodded.",
         "unseen_child"),
        ("Going out with a colleague next time, he was loud at the door.",
         "unseen_child"),
        ("We never got near the boys' homework, the rent took the hour.",
         "unseen_child"),
        ("I've never seen a meal there, so I'll ask about food.", "unseen_child"),
        ("Missed clinics were last winter; since she started the texts she hasn't "
         "missed one since.", "avoidance"),
        ("No access was a worry in March, but they've let me in every time since.",
         "avoidance"),
        ("No access last year; now she's kept every single one.", "avoidance"),
        ("Nervous going in, but a calm visit. I felt safe the whole time.",
         "worker_fear"),
        ("It was getting to me in the summer; I'm in a good place with it now.",
         "worker_wellbeing"),
        ("She said she'd complain; I logged the complaint with my TL and saw the kids "
         "as normal.", "complaints_pressure"),
        ("Such a relief to hear from the HV that his weight is up.", "worker_relief"),
        ("Nothing's been posted about any of us since the police warning.",
         "online_targeting"),
    ],
)  # fmt: skip
def test_round69_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
