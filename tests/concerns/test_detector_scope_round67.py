"""Round 67 rule fixes, written from the errors of blind322 to blind329 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("I've never once spoken to her without dad in the room.", "unseen_child"),
        ("Gran had the children for the weekend so it was just me and dad.",
         "unseen_child"),
        ("At core group no one could say when anyone last saw Rhys.", "unseen_child"),
        ("No one but the midwife has seen the baby.", "unseen_child"),
        ("Mum's happy for me to visit, she just never has them there.", "unseen_child"),
    ],
)  # fmt: skip
def test_round67_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Nana rang me frightened of the new partner; he's been checked and met us.",
         "worker_fear"),
        ("I'd like another pair of eyes on the home, not because I'm scared.",
         "worker_fear"),
        ("Half the visit went on the rent, but we got round to the kids after.",
         "adult_focus"),
        ("Police say he's moved away, and the kids said they haven't seen him.",
         "unseen_child"),
        ("He wants it all in writing; the visit's booked for Monday as planned.",
         "complaints_pressure"),
        ("Her lawyer threatened a complaint; we're keeping the plan exactly as it is.",
         "complaints_pressure"),
        ("I was relieved when my TL said she'd come on the next visit with me.",
         "worker_relief"),
        ("I felt relieved after supervision, the plan's right.", "worker_relief"),
        ("Saw the three of them, each on their own, the eldest at school.",
         "unseen_child"),
        ("Her new boyfriend has done the parenting assessment with us; nothing on checks.",
         "hidden_men"),
        ("The missed appointments were in the spring; she's made every single one since.",
         "avoidance"),
    ],
)  # fmt: skip
def test_round67_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
