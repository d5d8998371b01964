"""Round 57 rule fixes, written from the errors of blind234 to blind241 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The chair asked who had seen Mia this month and nobody had.", "unseen_child"),
        ("Dad keeps saying I can see Ben on his own at the next visit.", "unseen_child"),
        ("I keep telling myself I'll see Aisha alone next time.", "unseen_child"),
        ("Dad held the baby the whole time, so I only saw her face.", "unseen_child"),
        ("No answer at the flat. Rang the school and Leo not in.", "unseen_child"),
        ("Her partner wouldn't let me any further than the hallway.", "unseen_child"),
    ],
)  # fmt: skip
def test_round57_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("He was upset but no threats, and he let me see the twins in their room.",
         "unseen_child"),
        ("Mum didn't stop me seeing anybody today.", "unseen_child"),
        ("The neighbour worried the girls were being left on their own; they weren't.",
         "unseen_child"),
        ("Complaint received about my assessment. Report stands.", "complaints_pressure"),
        ("Her new partner is known for violence, so we did a full risk assessment with "
         "him and he's on the plan.", "hidden_men"),
        ("He prefers things in writing because of his eyesight, which is fine.",
         "complaints_pressure"),
        ("Nobody answered at first; her phone had died and she was in with the kids.",
         "avoidance"),
        ("The assessment says she doesn't have a learning disability; she struggles "
         "with reading, so we use easy-read.", "adult_at_risk"),
        ("A man's coat on the stairs: her uncle's, he's known to us and was checked.",
         "hidden_men"),
        ("Ate lunch with the kids at school and saw them one at a time.", "unseen_child"),
        ("He threatened to put me on facebook in 2020. Nothing like it since.",
         "online_targeting"),
        ("The worker before me felt scared there, but he's been fine with me.",
         "worker_fear"),
        ("The baby was asleep but I went in and had a look at him.", "unseen_child"),
        ("She can't make sense of the letters alone, but she told me back in her own "
         "words what they said.", "adult_at_risk"),
        ("It rattled me, but I talked it through with my manager that week and I'm fine "
         "now.", "worker_fear"),
    ],
)  # fmt: skip
def test_round57_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
