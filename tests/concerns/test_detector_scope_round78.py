"""Round 78 rule fixes, written from the errors of blind418 to blind425 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Finn comes to the door in his school jumper and dad closes it after a minute.",
         "unseen_child"),
        ("Mum cancelled again and I was relieved, but I know I need to see Maisie.",
         "unseen_child"),
        ("The visit fell through and nobody's seen that 2 year old for weeks.",
         "unseen_child"),
        ("Team manager wants to step it down. It never went back to core group.",
         "closure_risk"),
        ("The child protection plan is being ended because dad won't work with us, no "
         "meeting with school.", "closure_risk"),
        ("TL wants to step it down. I asked about a meeting with the HV and she said no "
         "need.", "closure_risk"),
        ("His partner stays in the bedroom and nobody on our side has ever met him.",
         "hidden_men"),
        ("Mum says the coat is her brother's, but a brother has never been mentioned "
         "before.", "hidden_men"),
        ("Two different men answered the door this month.", "hidden_men"),
        ("He rings the office for me every day now. I leave by the back door now.",
         "worker_fear"),
        ("Her sister filmed me and said I'd be all over facebook by tonight.",
         "online_targeting"),
        ("Somebody sent me photos of my house from a fake account.", "online_targeting"),
        ("The review got pushed to next month and honestly I was glad.", "worker_relief"),
        ("Her lodger has her bank card and gives her twenty pounds a week.",
         "adult_at_risk"),
        ("Mum says if I turn up unannounced she'll ring her MP.", "complaints_pressure"),
    ],
)  # fmt: skip
def test_round78_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Mum says Noah had nightmares after the storm. Saw Noah on his own at school and "
         "he said he hid under the covers but he's fine now.", "unseen_child"),
        ("The girls were at school, as planned. I see them alone at school every "
         "Thursday.", "unseen_child"),
    ],
)  # fmt: skip
def test_round78_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
