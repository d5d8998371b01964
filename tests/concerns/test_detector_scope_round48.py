"""Round 48 rule fixes, written from the errors of blind162 to blind169 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Her boyfriend stayed upstairs and kept the kids in the bedroom with him.",
         "unseen_child"),
        ("Saw Ruby but not the baby.", "unseen_child"),
        ("Dad said mum's out and neither are the kids.", "unseen_child"),
        ("After the last complaint I stopped asking to see Ollie.", "unseen_child"),
        ("Nobody has ever talked with him without his dad there.", "unseen_child"),
        ("Tilly was out, who was at her gran's anyway.", "unseen_child"),
        ("Mum needed help with the forms. Will see the children next time.", "unseen_child"),
        ("Gran wouldn't let Finn stay with me on my own.", "unseen_child"),
        ("Ava wasn't allowed to leave her mum's side all visit.", "unseen_child"),
        ("Went on the welfare check with police, no answer.", "unseen_child"),
        ("Could see the kids moving about through the curtains but nobody came.",
         "unseen_child"),
    ],
)  # fmt: skip
def test_round48_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("A colleague came as planned, not because I was scared, just new rules.",
         "worker_fear"),
        ("Josh says he's excited but nervous about the new school.", "worker_fear"),
        ("I worried I'd feel jumpy going back but it was calm and fine.", "worker_fear"),
        ("Nothing's changed at home - in a good way, it's still calm and tidy.", "drift"),
        ("There's nobody else around; mum's been on her own since the spring.",
         "unseen_child"),
        ("She sent them to the park with gran after. I'd already seen them alone.",
         "unseen_child"),
        ("The flat was tidy, and nursery say it's like that whenever they call.",
         "disguised_compliance"),
        ("There was a complaint about dad shouting at reception in 2023. No incidents since.",
         "hostility"),
        ("We spent most of the visit on her debts, but we talked about what Sam hears at night.",
         "adult_focus"),
        ("Mum's mental health has been poor, so the GP has upped her support.",
         "professional_split"),
        ("Closing was raised but it has to go to a multi-agency meeting first.",
         "closure_risk"),
        ("Saw Maya with her friends and then on her own in the garden.", "unseen_child"),
    ],
)  # fmt: skip
def test_round48_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
