"""Round 52 rule fixes, written from the errors of blind194 to blind201 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Didn't get any time with Noah, he was straight out to his pal's.", "unseen_child"),
        ("Her partner makes a point of standing between me and the cot.", "unseen_child"),
        ("Gran says he's fine, so I wrote 'child reported well' and closed the contact.",
         "unseen_child"),
        ("The baby was 'poorly' and mum didn't want me coming round.", "unseen_child"),
        ("He just goes to his room and slams the door when I arrive.", "unseen_child"),
        ("Jade hasn't been in for the last four visits.", "unseen_child"),
        ("I'm not allowed to see the children unless dad is there.", "unseen_child"),
        ("Ten months open and I've seen Leo twice in that time.", "unseen_child"),
        ("Dad kept Isla off on the day I'd arranged to see her at school.", "unseen_child"),
        ("Kids were asleep, I didn't push it.", "unseen_child"),
    ],
)  # fmt: skip
def test_round52_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Asked Mo what he'd change and he said 'mum shouting less'.", "hostility"),
        ("We spent the hour on the children's routines and school.", "adult_focus"),
        ("We spent ten minutes on her rent letter, then I spent the rest of the visit with "
         "the girls on their own.", "adult_focus"),
        ("There's no new man on the scene, and school say the same.", "hidden_men"),
        ("Her new partner was there and we went through the partner questions.",
         "hidden_men"),
        ("He was filming the match on his phone and put it away when I came in.",
         "online_targeting"),
        ("Gran was relieved the kids were staying at home.", "unseen_child"),
        ("Dad had no problem with me seeing the kids on their own.", "unseen_child"),
        ("Saw Lily-Rose at nursery with her keyworker, out of earshot of mum.",
         "unseen_child"),
        ("I'm relieved we've got a new team leader.", "worker_relief"),
    ],
)  # fmt: skip
def test_round52_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
