"""Round 47 rule fixes, written from the errors of blind154 to blind161 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("We spent the visit on the benefits forms. Didnae even clock the wean.",
         "unseen_child"),
        ("The boys were sent to a neighbour's for the visit, mum said.", "unseen_child"),
        ("Ran out of time and only said hello and bye to Mia.", "unseen_child"),
        ("She said I can't talk to them without her there, so I haven't.", "unseen_child"),
        ("Heard the baby crying inside but nobody answered.", "unseen_child"),
        ("Four months on the case and I've only seen Kai once.", "unseen_child"),
        ("Asked for Leo and dad said he's fine where he is, so he stayed upstairs.",
         "unseen_child"),
    ],
)  # fmt: skip
def test_round47_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Was I frightened? No. The dog was a softie.", "worker_fear"),
        ("No answer at first but mum phoned a minute later, came down and let me in.",
         "avoidance"),
        ("Knocked, no answer, then saw I'd got the wrong house number.", "avoidance"),
        ("I heard a man talking but it was the telly, mum took me through and I checked.",
         "hidden_men"),
        ("Mum's partner Craig was at work; he's been to every core group.", "unseen_child"),
        ("The kids were at their gran's over the weekend and came back on Sunday.",
         "unseen_child"),
        ("The girls were out on the swings so I joined them there.", "unseen_child"),
        ("I asked to see Evie on her own and mum took the baby out while we chatted.",
         "unseen_child"),
        ("Both boys' views are written in their own words in the plan.",
         "child_voice_missing"),
        ("He rang to apologise for shouting last month and has been calm since.",
         "hostility"),
        ("I'd booked a second worker but it wasn't needed in the end.", "worker_fear"),
        ("Both kids said they were happy at home and I believe them.", "collusion"),
        ("She feels everyone's against her. I get that, but I'm still worried about Ava.",
         "collusion"),
        ("I was glad I'd gone, Rory showed me his new bike.", "worker_relief"),
        ("Her support for learning teacher thinks Nina has a learning disability.",
         "adult_at_risk"),
        ("The meeting was about the housing and we didn't get near Ben's plan.",
         "unseen_child"),
        ("Mum's boyfriend Gary has never been seen by any agency.", "unseen_child"),
        ("There was a man in the kitchen I'd never seen before.", "unseen_child"),
        ("Nobody has talked to Isla about why she moved school.", "unseen_child"),
    ],
)  # fmt: skip
def test_round47_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
