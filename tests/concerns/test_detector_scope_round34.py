"""Round 34 rule fixes, written from the errors of blind90 to blind93 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("TL says NFA it this week. No-one's consulted the nursery.", "closure_risk"),
        ("Told to pass it to someone else; nobody has asked health.", "closure_risk"),
        ("Closing summary due Friday and we haven't even spoken to the school.", "closure_risk"),
        ("Dad starts livestreaming whenever we arrive.", "online_targeting"),
        ("She slammed the kitchen door so hard the glass cracked.", "hostility"),
        ("He pulled a knife when I mentioned the police.", "hostility"),
        ("Gran kept Leo's bedroom door locked all visit.", "unseen_child"),
        ("We've been trying to see Ruby on her own for months.", "unseen_child"),
    ],
)
def test_round34_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Mum slammed the car door and drove off to work, then rang to apologise.", "closure_risk"),
        ("We saw Ruby on her own for a good half hour.", "unseen_child"),
    ],
)
def test_round34_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
