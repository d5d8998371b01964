"""Round 62 rule fixes, written from the errors of blind282 to blind289 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Honestly I don't know what the girls were doing the whole hour.", "unseen_child"),
        ("He's never once been in a room with me without his dad.", "unseen_child"),
        ("Couldn't get in, this time Kai had a bug.", "unseen_child"),
        ("Dad's taken the kids to his mum's for a couple of weeks, no one told us.",
         "unseen_child"),
        ("Gran answered and said the children were all out.", "unseen_child"),
        ("I took dad's word about the baby rather than look for myself.", "unseen_child"),
        ("Leo was at his nans. Again.", "unseen_child"),
        ("Every time I call she's at nursery.", "unseen_child"),
        ("I don't think I'm really looking at the kids when he's in the room.",
         "unseen_child"),
        ("No answer, and I know the kids are in there.", "unseen_child"),
        ("By the time I'd finished, the boys had gone out.",
         "unseen_child"),
        ("Dad's always popped out with the baby when I call.", "unseen_child"),
        ("She brought them back in after a few minutes.", "unseen_child"),
    ],
)  # fmt: skip
def test_round62_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The student with me was a bit nervous of the dogs; I was fine.", "worker_fear"),
        ("I'd been nervy about closing, but the whole core group agreed.", "worker_fear"),
        ("Amy said she wants her mum and dad to stop shouting at each other.",
         "hostility"),
        ("No answer first time; she was back in ten minutes and let me in.", "avoidance"),
        ("Dad cancelled for the dentist and we did the visit the next day.", "avoidance"),
        ("Gran said the kids were all out at the park, so I went down and saw both "
         "alone.", "unseen_child"),
    ],
)  # fmt: skip
def test_round62_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
