"""Round 73 rule fixes, written from the errors of blind370 to blind377 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Saw the twins in the yard but dad was out there with them the whole time.",
         "unseen_child"),
        ("Mum still wont let Ava speak to me without her in the room.",
         "unseen_child"),
        ("Drove off and realised I'd not even asked where Callum was.",
         "unseen_child"),
        ("I asked Josh about school and mum jumped in before he could answer.",
         "unseen_child"),
        ("Again the baby had gone down at the exact time of the visit.",
         "unseen_child"),
        ("Nobody has actually spoken to the kids in months.", "unseen_child"),
        ("Same concerns we had at the ICPC last spring.", "drift"),
        ("Each review just says some progress, continue plan.", "drift"),
        ("She told me she'd find you on Instagram.", "online_targeting"),
        ("He put on his Facebook that the worker was lying.", "online_targeting"),
        ("A lodger has been living there since May and nobody's met him.",
         "hidden_men"),
        ("When the text came to cancel I felt a weight lift.", "worker_relief"),
        ("I've been checking the locks at home every night since.", "worker_fear"),
        ("Dad can't read or write and signs whatever he's given.", "adult_at_risk"),
        ("She said the marks were from play and I didn't look any closer.",
         "collusion"),
        ("When he started crying I back off every time.", "collusion"),
        ("Pages on mum's recovery and nothing about what life is like for Kai.",
         "child_voice_missing"),
    ],
)  # fmt: skip
def test_round73_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("He shouted at a worker in 2021, nothing like that since.", "hostility"),
        ("No sign of any hostility; I saw both girls alone upstairs.", "unseen_child"),
        ("Two of us next time for lone working, not because I felt unsafe.",
         "worker_fear"),
        ("She missed the check-up, but the clinic had moved it and she went on "
         "Friday.", "avoidance"),
        ("The chair wanted to close as they won't engage; it's on hold until school "
         "and health can attend.", "closure_risk"),
    ],
)  # fmt: skip
def test_round73_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
