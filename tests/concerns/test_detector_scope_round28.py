"""Round 28 rule fixes, written from the errors of blind64 and blind65 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Not totally sure it was Ruby I saw on the landing.", "unseen_child"),
        ("I'm not ashamed to admit I was frightened of him.", "worker_fear"),
        ("Honestly I'm not coping with this caseload.", "worker_wellbeing"),
        ("I've been snapping at my partner since that visit.", "worker_wellbeing"),
        ("I wrote it up as no concerns even though the baby had nappy rash.", "collusion"),
        ("He leant right over me while I was writing.", "hostility"),
        ("She said she'd burn my car if I came back.", "hostility"),
        ("A year of visits and not one word from Kacper in the records.", "child_voice_missing"),
        ("Every review it's the same list of actions.", "drift"),
        ("Whenever I'm expected the kids are in clean clothes.", "disguised_compliance"),
        (
            "Parenting team have never heard of her, though she says she goes weekly.",
            "disguised_compliance",
        ),
        ("Sat in the car with my heart pounding.", "worker_fear"),
        ("Kids mention a 'Stevie' and I'm not sure if that's mum's boyfriend.", "hidden_men"),
        ("TL says step it down. It's never been to a core group.", "closure_risk"),
        ("Closing next week. No meeting has been set up with the school.", "closure_risk"),
        ("When it went to voicemail again I was glad.", "worker_relief"),
        ("Still waiting for dad to 'be ready' for the assessment.", "hidden_men"),
    ],
)
def test_round28_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "His solicitor wrote; it doesn't change the plan and I visited as normal.",
            "complaints_pressure",
        ),
        ("Nobody was more relieved than Amy when her dad came home.", "worker_relief"),
        ("The only one who was scared was the cat.", "worker_fear"),
    ],
)
def test_round28_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
