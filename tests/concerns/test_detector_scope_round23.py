"""Round 23 rule fixes, written from the errors of blind50 and blind51 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Mum wanted to talk about the car and I hardly saw Zara at all.", "unseen_child"),
        ("Logan's five and he disappears upstairs every time I arrive.", "unseen_child"),
        ("An hour on rent, then had a few minutes with Reece on the way out.", "unseen_child"),
        ("Nursery say a 'cousin Stevie' collects her now. Nobody has heard of him.", "hidden_men"),
        ("Fifth time she's missed the dental appointment.", "avoidance"),
        ("Nobody in again and honestly it felt like a weight off.", "worker_relief"),
        ("Driving over I kept praying don't be in.", "worker_relief"),
        ("I was glad when the snow meant I had to rearrange.", "worker_relief"),
        ("Two years of plans and the kids are still where they started.", "drift"),
        ("Did her blue badge form and the rent letter. Millie wasn't mentioned.", "adult_focus"),
        ("Every visit it's always been about dad's court case.", "adult_focus"),
        ("She steered me back onto her benefits every time I asked about Kai.", "adult_focus"),
        ("TL thinks we should close it. Haven't run it past school or health.", "closure_risk"),
        ("He says he's entitled to record every meeting.", "online_targeting"),
        ("Her partner started filming as soon as I walked in.", "online_targeting"),
        ("Her uncle is recording every visit on his tablet.", "online_targeting"),
        ("He's got a page exposing corrupt social workers.", "online_targeting"),
        ("I think none of this is her fault really.", "collusion"),
        ("Health want it closed, school want it escalated.", "professional_split"),
        ("There's no shared picture of what's happening for these kids.", "professional_split"),
        ("Dad agreed to the plan, told nursery he's not doing any of it.", "disguised_compliance"),
        ("She said he'd seen the GP; I rang the surgery, nothing booked.", "disguised_compliance"),
        ("Came back at three as arranged and they'd gone out.", "avoidance"),
        ("Dad refuses to have daytime visits now.", "avoidance"),
        ("Five months on and we're still waiting for dad to engage.", "hidden_men"),
        ("Left without knowing a single thing about how Jay is.", "child_voice_missing"),
        ("If I'm being truthful I'm frightened of him.", "worker_fear"),
        ("If I'm being real, I didn't challenge her about the bruise.", "collusion"),
    ],
)
def test_round23_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Nobody shouted at me today; dad was calm.", "hostility"),
        ("Visit went fine, no one threatened anyone.", "hostility"),
        ("I don't feel sorry for him; the kids need this to change.", "collusion"),
        ("Things improved for a month and now we're right back where we started.", "drift"),
        ("Baby was in the bath, I checked her over after, no marks.", "unseen_child"),
        ("She asks for everything in writing because she forgets things.", "complaints_pressure"),
        ("Gran put a lovely photo of the kids on Facebook.", "online_targeting"),
        ("He wouldn't let me speak to mum without him there.", "unseen_child"),
        ("She blames everything on her ex; I said the kids come first.", "adult_focus"),
        ("Had five minutes with Amy alone in her room before I left.", "unseen_child"),
        ("I rang the school and she said nothing of the sort.", "disguised_compliance"),
    ],
)
def test_round23_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
