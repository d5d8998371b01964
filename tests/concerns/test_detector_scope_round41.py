"""Round 41 rule fixes, written from the errors of blind106 to blind109 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Dad came to the meeting but left Jack waiting in the car the whole hour.",
         "unseen_child"),
    ],
)  # fmt: skip
def test_round41_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("She wasn't rude to me, just tired, and let me see Ellie alone in her room.",
         "unseen_child"),
        ("I don't think anything was wrong today - saw the boys alone, both cheerful.",
         "unseen_child"),
        ("Nothing's changed after his complaint - I'll still be seeing them alone.",
         "unseen_child"),
        ("Dad wasn't in at ten. Went back after lunch, he was in and all was well.",
         "avoidance"),
        ("Mum took him out for weighing and I had a good look at him, all fine.",
         "unseen_child"),
        ("Dad filmed his own kids at the nativity and showed me, lovely.", "online_targeting"),
    ],
)  # fmt: skip
def test_round41_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
