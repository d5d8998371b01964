"""Round 19 rule fixes, written from the errors of blind40 and blind41 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Dad picked Noor up early before I could speak to her.", "unseen_child"),
        ("The twins were asleep by the time I arrived, I'd been held up.", "unseen_child"),
        ("Went to nursery to see Ollie but he'd been kept home.", "unseen_child"),
        ("Her partner kept slamming the cupboard doors while I talked to mum.", "hostility"),
        ("Uncle blocked the door and said I wasn't leaving till he'd had his say.", "hostility"),
        ("There's a lad on the couch every visit; nobody tells me who he is.", "hidden_men"),
        ("He stood over me in the kitchen and I felt completely trapped.", "worker_fear"),
        ("Ruby's wishes are nowhere in the plan.", "child_voice_missing"),
        ("Her son takes her money on payday and she can't say no.", "adult_at_risk"),
        ("I gave her the benefit of the doubt about the bruise again.", "collusion"),
        ("I didn't look in the fridge, just took his word that there was food.", "collusion"),
        ("Nobody answered and I'll admit I was glad.", "worker_relief"),
    ],
)
def test_round19_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("I was nervous before but felt totally safe once I was in.", "worker_fear"),
        (
            "Gran cried that she'd never see them if they move; the kids were seen alone"
            " at school.",
            "unseen_child",
        ),
        ("Mum cancelled Monday's meeting but we did it on the Friday and she came.", "avoidance"),
        ("The review has been cancelled because the chair is off sick.", "avoidance"),
        (
            "Dad says he'll complain; I'm not changing anything I do because of that.",
            "complaints_pressure",
        ),
        ("I didn't challenge anything because there was nothing to challenge.", "collusion"),
    ],
)
def test_round19_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
