"""Round 39 rule fixes (avoidance), written from the errors of blind102 to blind105 after
each was scored once (tests/concerns/README.md). Rule-level: the rules alone, without
the classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Knocked twice and the door went unanswered again.", "avoidance"),
        ("Rang mum at nine and the phone rang out.", "avoidance"),
        ("Ruby's missed the eye clinic twice now.", "avoidance"),
        ("Three no-accesses in a row and nobody has rung us back.", "avoidance"),
        ("He's been off school for three weeks and mum won't say why.", "avoidance"),
        ("The HV has been trying to get in since August.", "avoidance"),
        ("Ella's still missing nursery two days a week.", "avoidance"),
        ("Dad rang ahead and took her out before I got to school.", "avoidance"),
        ("Five months in and we haven't managed one full visit.", "avoidance"),
        ("Mum's been phoning him in sick most Mondays.", "avoidance"),
    ],
)  # fmt: skip
def test_round39_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The door went unanswered but dad phoned me back ten minutes later.", "avoidance"),
        ("The phone went unanswered last winter; they've kept every appointment since.",
         "avoidance"),
        ("He was off school for two days with a cold and went back on Monday.", "avoidance"),
    ],
)  # fmt: skip
def test_round39_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
