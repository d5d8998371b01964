"""Round 72 rule fixes, written from the errors of blind362 to blind369 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Dad walked me back out after five minutes; I never got up the stairs.",
         "unseen_child"),
        ("She talked me out of looking in the baby's room again.", "unseen_child"),
        ("Mum met me at the school gate instead and said the kids were fine.",
         "unseen_child"),
        ("At the centre: I asked her to bring the children and she didn't.",
         "unseen_child"),
        ("She asked if I'd just ring instead this week.", "unseen_child"),
        ("Talked to dad on the intercom only; the door stayed shut.", "unseen_child"),
        ("Talked to dad on the intercom only; the door stayed shut.", "avoidance"),
        ("I only had her word that the kids are fine.", "unseen_child"),
        ("Went to the school to see Mason, he'd been taken out for the day.",
         "unseen_child"),
        ("Knocked three times, the telly went off. I know they were in.", "avoidance"),
        ("So glad to be leaving, I felt lighter on the stairs.", "worker_relief"),
        ("Halfway through I saw her phone was recording me.", "online_targeting"),
        ("He said he'd put me through the window.", "hostility"),
        ("Her new friend stays most nights and nobody's met this friend.",
         "hidden_men"),
        ("A man's coat on the hook every week, and nobody actually knows who he is.",
         "hidden_men"),
        ("Nobody can tell me what it's like being Nathan at home.",
         "child_voice_missing"),
        ("He's four and nobody's written a word about what he enjoys.",
         "child_voice_missing"),
        ("She has never been asked about contact with her dad.",
         "child_voice_missing"),
        ("Mum doesn't have her own bank card; her brother keeps it.",
         "adult_at_risk"),
        ("Since the MSP's letter everything goes through the service manager.",
         "complaints_pressure"),
        ("I told dad I was only there because I had to be, it wasn't really my worry.",
         "collusion"),
    ],
)  # fmt: skip
def test_round72_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Mum didn't like me asking to see Cody on his own, but she let me.",
         "unseen_child"),
        ("She feels the school pick on her; we arranged to meet the head together.",
         "professional_split"),
        ("The kids were at her mum's that day; went next week and saw them all.",
         "unseen_child"),
        ("I was nervous meeting him, but we sat and talked about the kids. felt fine",
         "worker_fear"),
        ("I didn't get up the stairs at first, then I saw Amy on her own in her room.",
         "unseen_child"),
    ],
)  # fmt: skip
def test_round72_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
