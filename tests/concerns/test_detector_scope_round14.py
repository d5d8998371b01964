"""Round 14 rule fixes, written from blind28's errors after it was scored once
(tests/concerns/README.md). Rule-level: the rules alone, without the classifier.
The sentences are new, not copied from that file.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # the children not with the parent met elsewhere, or away on visiting day
        ("Saw dad at the contact centre, the boys weren't with him.", "unseen_child"),
        ("The girls always go to their gran's on my visiting day.", "unseen_child"),
        ("Spent the hour on forms and I don't think I looked at Noah once.", "unseen_child"),
        # a weapon on show, things smashed
        ("Her brother had a knife on his lap while we talked.", "hostility"),
        ("Dad was smashing plates in the kitchen when I got there.", "hostility"),
        # negation ends at "and told me to ..."
        ("He wouldn't give his name and told me to get lost.", "hostility"),
        # a concern framed as another agency's; the bad visits left out
        ("I keep pinning it on the school so she doesn't fall out with me.", "collusion"),
        ("I left out the two bad visits when I wrote the review.", "collusion"),
        # a school report is not complaints pressure, so not raising it is collusion
        ("I didn't bring up the nursery's report, she was in a good mood.", "collusion"),
        # every visit recorded
        ("Mum says she's got every visit on video now.", "online_targeting"),
        # the same line in every plan
        ("Same target in every plan since 2023 and it's never met.", "drift"),
        # the old worker brought up against the new
        (
            "Dad goes on about the old worker every visit, she 'never' did this.",
            "professional_split",
        ),
        # handing the case on without a discussion
        ("TL agreed to hand the case on. Nobody's spoken to the school.", "closure_risk"),
    ],
)
def test_round14_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Nobody's frightened of this family, we visit on our own.", "worker_fear"),
        ("His solicitor asked for the plan; nothing's changed in how we work with them.", "drift"),
        (
            "They missed one session when he had a temperature, phoned ahead, seen next week.",
            "avoidance",
        ),
        (
            "A man answered, mum's partner Lee, who's been assessed and comes to core group.",
            "hidden_men",
        ),
        ("Met mum in town and the kids were with her, both chatty.", "unseen_child"),
    ],
)
def test_round14_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
