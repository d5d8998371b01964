"""Round 71 rule fixes, written from the errors of blind354 to blind361 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Dad kept me at the front door and the children never came out.",
         "unseen_child"),
        ("It's six weeks since anyone actually saw Kayden.", "unseen_child"),
        ("Jordan (15) was out, apparently at his pals. Saw his sister alone.",
         "unseen_child"),
    ],
)  # fmt: skip
def test_round71_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Dad was calm, no sign of any anger, and I saw the boys on their own.",
         "unseen_child"),
        ("She's six weeks old so no chat on her own, but I had a proper look at her.",
         "unseen_child"),
        ("The kids are staying at gran's on Christmas Eve, as planned.",
         "unseen_child"),
        ("Her new partner sat in on the safety plan meeting and signed his part.",
         "unseen_child"),
        ("Mum told me she'd been terrified of losing them; she's calmer now.",
         "worker_fear"),
        ("I was nervous about the visit but I didn't need to be.", "worker_fear"),
        ("I was anxious about the dogs, but they were shut out and I felt fine.",
         "worker_fear"),
        ("The visit was all about the baby's room and the mould in it.",
         "adult_focus"),
        ("She complained that I was nosy; my TL backed me and I still check the rooms.",
         "complaints_pressure"),
        ("He missed the letter about the review; came to the next one.", "avoidance"),
        ("Mum was shouting at the dog, not me, and the visit went fine.", "hostility"),
    ],
)  # fmt: skip
def test_round71_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
