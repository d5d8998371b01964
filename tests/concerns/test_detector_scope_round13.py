"""Round 13 rule fixes, written from blind27's errors after it was scored once
(tests/concerns/README.md). Rule-level: the rules alone, without the classifier.
The sentences are new, not copied from that file.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # "the older two", "the younger ones" are children
        ("Mum said the younger two were at nursery, so I didn't see them.", "unseen_child"),
        ("I never saw the older ones, they were out.", "unseen_child"),
        # no time alone with the child, again
        ("Dad kept Lily home on our group day, so I've not had any time with her.", "unseen_child"),
        # the worker not sorry the visit fell through
        ("If I'm honest I wasn't sorry when she cancelled.", "worker_relief"),
        # told to go away, in the family's words
        ("Her partner told me to f*** off before I'd said a word.", "hostility"),
        ("He told us to get lost and shut the door.", "hostility"),
        # a child not brought, said with "'s not been"
        ("Kai's not been brought to the eye clinic since March.", "avoidance"),
        # the child's views not sought
        (
            "Her wishes and feelings haven't been sought since the last review.",
            "child_voice_missing",
        ),
        (
            "Mum talked the whole hour and I never got to ask Ruby a single thing.",
            "child_voice_missing",
        ),
        # a smell masked for the visit
        (
            "Booked visit and there was air freshener everywhere, the weed smell gone.",
            "disguised_compliance",
        ),
    ],
)
def test_round13_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # not knowing how a child feels is their voice missing, not a child unseen
        ("We still don't know how Amir feels about the move.", "unseen_child"),
        # "I had her on her own" is a child seen alone
        ("Baby in the bath when I came, then I had her on her own in the lounge.", "unseen_child"),
        # the children seen alone in the same breath as "no issues"
        ("Joint visit, no issues, mum calm, children seen on their own upstairs.", "unseen_child"),
        # the worker's fear of being hit is not a threat the parent made
        ("I was frightened he was going to hit me.", "hostility"),
        # told by the manager to go with a manager, after a complaint
        ("After the complaint I'm told to only visit with a manager.", "worker_fear"),
        # missed once, every appointment kept since
        ("She missed the dentist in spring but every appt since has been kept.", "avoidance"),
        # the worker insisting on a multi-agency meeting before closing
        (
            "TL floated closing. I said not without a multi-agency meeting, and it's booked.",
            "closure_risk",
        ),
        # asking to record, and taking no for an answer
        (
            "Dad asked if he could record it; I said we'd prefer not and he was fine.",
            "online_targeting",
        ),
    ],
)
def test_round13_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
