"""Round 76 rule fixes, written from the errors of blind402 to blind409 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Dad would only meet me in the cafe without the kids, same as last month.",
         "unseen_child"),
        ("Only gran will speak to us. We've never spoken to mum or to Harvey.",
         "unseen_child"),
        ("We're closing it this week; we didn't take it to a meeting.", "closure_risk"),
        ("TL wants to change the allocated worker since dad won't answer. Hasn't spoken "
         "to the school.", "closure_risk"),
        ("Stepping down to early help. I asked for a meeting with health first and was "
         "told no need.", "closure_risk"),
        ("It's being closed on Friday. Its not going to any multi-agency meeting.",
         "closure_risk"),
        ("A parent told me I'm being named in a Facebook group for the estate.",
         "online_targeting"),
        ("His brother took a photo of my ID badge at the door.", "online_targeting"),
        ("Someone drops the kids off in a black car and nobody has a name for him.",
         "hidden_men"),
        ("The neighbours say a man stays most nights. Nobody from any agency has met "
         "him.", "hidden_men"),
        ("To be honest I'm not sure I'm safe going in there after last time.",
         "worker_fear"),
        ("He kicked the chair across the room. Felt like he could have hit me.",
         "worker_fear"),
        ("Her partner said she was at the doctor's and wouldn't let me wait.",
         "avoidance"),
        ("Every session gets cancelled on the day, four now.", "avoidance"),
    ],
)  # fmt: skip
def test_round76_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Jay didn't want to talk with mum there so we went for a walk round the park "
         "and he chatted away.", "unseen_child"),
        ("She'd missed the dentist, but the dentist cancelled it and she rebooked the "
         "same day.", "avoidance"),
        ("Her new partner has been PNC checked and comes to every core group.",
         "hidden_men"),
        ("Mia was at nursery so I popped in after and saw her in the garden there.",
         "unseen_child"),
    ],
)  # fmt: skip
def test_round76_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
