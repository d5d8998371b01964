"""Round 49 rule fixes, written from the errors of blind170 to blind177 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Mum did all the talking. The children stayed in their bedroom.", "unseen_child"),
        ("Dad wouldn't open up. The baby could have been anywhere.", "unseen_child"),
        ("Someone was hushing the weans behind the door.", "unseen_child"),
        ("I've only ever seen Mason with his mum there.", "unseen_child"),
        ("Girls looked fine, but I didn't look that hard.", "unseen_child"),
        ("Dad couldn't tell me where she was.", "unseen_child"),
        ("Mum phoned him in sick after I'd told her I'd be at school.", "unseen_child"),
    ],
)  # fmt: skip
def test_round49_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("He threatened to complain to his MP; the visit schedule is unchanged.",
         "complaints_pressure"),
        ("Her solicitor wrote to say she'll engage with the plan.", "complaints_pressure"),
        ("There's a learning disability nurse for the older sister.", "adult_at_risk"),
        ("Nobody cancelled this month and every visit went ahead.", "avoidance"),
        ("She missed the first appointment with flu but came to the rebooked one.",
         "avoidance"),
        ("Gran is blunt, but she always lets me see Zoe on her own.", "unseen_child"),
        ("Nothing to suggest the kids aren't being seen, school see them daily.",
         "unseen_child"),
        ("Going out again Friday to see Leo alone, it's booked.", "unseen_child"),
        ("No answer at ten, but mum rang after and I saw them both that afternoon.",
         "avoidance"),
        ("He went on about his benefits, but I brought it back to Maisie.", "adult_focus"),
        ("Mum had to cancel, so I saw the kids at school instead.", "avoidance"),
        ("Seen both at nursery separately, each happy to chat.", "unseen_child"),
        ("He's loud, but nothing he said was threatening.", "hostility"),
        ("Nobody was hostile and the visit went fine.", "hostility"),
        ("Mia was in the bath when I came, then I sat with her in her room on her own.",
         "unseen_child"),
        ("The man staying is her uncle; he's been PVG checked.", "hidden_men"),
    ],
)  # fmt: skip
def test_round49_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
