"""Round 40 rule fixes (collusion, hostility), written from the errors of blind102 to
blind105 after each was scored once (tests/concerns/README.md). Rule-level: the rules
alone, without the classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("I'm wording my notes so carefully now that the worry barely shows.", "collusion"),
        ("Didn't raise the bruise, she'd have thrown me out.", "collusion"),
        ("Went in meaning to challenge him about the cannabis and ended up having a laugh "
         "about football.", "collusion"),
        ("He leaned in so close I could feel his breath.", "hostility"),
        ("Her partner was standing blocking the stairs the whole time.", "hostility"),
        ("Dad started throwing cups about when I mentioned the conference.", "hostility"),
        ("She told me I'd get what's coming to me.", "hostility"),
        ("He says if I'm not moved off the case he'll make sure I am.", "hostility"),
    ],
)  # fmt: skip
def test_round40_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("If I'd mentioned it dad would have kicked off, so we agreed I'd raise it with "
         "mum first.", "hostility"),
        ("The toddler was throwing things about the kitchen and laughing.", "hostility"),
    ],
)  # fmt: skip
def test_round40_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
