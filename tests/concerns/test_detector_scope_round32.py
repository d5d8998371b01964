"""Round 32 rule fixes, written from the errors of blind82 to blind85 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("We did the visit on Teams as mum had a cold.", "unseen_child"),
        ("Kirsty stayed in her bedroom the whole visit.", "unseen_child"),
        ("I couldn't tell you how the boys are, the hour went on the rent.", "unseen_child"),
        ("Honestly couldnae tell you what the kids were doing.", "unseen_child"),
        ("Reading back, Leon's been spoken to alone once since March.", "unseen_child"),
        ("The last time anyone from health saw the baby was the six-week check.", "unseen_child"),
        ("I'm losing sleep over this family.", "worker_wellbeing"),
        ("Manager wants to end the CP plan; nobody has asked school.", "closure_risk"),
        ("It's moving to another team and health haven't been told.", "closure_risk"),
    ],
)
def test_round32_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Phoned the dentist and they haven't seen him since May.", "unseen_child"),
        ("I couldn't tell you what Sophie's day is like.", "unseen_child"),
        ("The school nurse has seen Amir alone twice this term.", "unseen_child"),
    ],
)
def test_round32_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
