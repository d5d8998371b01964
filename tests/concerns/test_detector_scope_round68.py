"""Round 68 rule fixes, written from the errors of blind330 to blind337 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("I spent the hour on her benefits and forgot to look at the baby.",
         "unseen_child"),
        ("HV can't get in and the six week check hasn't happened.", "unseen_child"),
        ("Jodie was out at her dance class, I'll try after school next week.",
         "unseen_child"),
        ("He ordered me off the step before I got anywhere near the children.",
         "unseen_child"),
        ("She yelled that I'd never see the kids again and shut the door.",
         "unseen_child"),
        ("Gran sat over Mollie while I talked to her, answering for her.",
         "unseen_child"),
        ("Mum made sure she was in every room I went into.", "unseen_child"),
        ("Two hours of the adults' rows and the children got maybe ten minutes of me.",
         "unseen_child"),
        ("He would only let me see Rio on a video call again.", "unseen_child"),
        ("Dad had the boys lined up on the couch when I walked in.", "unseen_child"),
        ("We can't get dad to do anything, so the TL says step down to universal "
         "services.", "closure_risk"),
        ("Mum won't sign consent for anything, so we're stepping down.",
         "closure_risk"),
        ("Dad answered the door with his coat on again, just heading out.",
         "avoidance"),
        ("I keep getting stopped at the door by her partner.", "avoidance"),
        ("Told me I'm not welcome and closed the door.", "avoidance"),
        ("Nobody knows how frightened I get on the drive over.", "worker_fear"),
        ("Every time I hear a car outside I think it's him.", "worker_fear"),
        ("That case is in my head all the time.", "worker_wellbeing"),
        ("I've been snappy at home with my partner since it started.",
         "worker_wellbeing"),
        ("A colleague found a clip of my visit on a community page.",
         "online_targeting"),
        ("Two years on a plan and I can't point to a single thing that's better.",
         "drift"),
        ("I was glad the kids were asleep, it made the visit shorter.",
         "worker_relief"),
        ("He's threatening to go to the chief exec again.", "complaints_pressure"),
        ("Any worry from school and she's straight to her solicitor.",
         "complaints_pressure"),
        ("I think dad is being financially exploited by his lodger.", "adult_at_risk"),
        ("Her brother says she's always needed help with letters and forms.",
         "adult_at_risk"),
    ],
)  # fmt: skip
def test_round68_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("He has never missed a visit and never not answered the door since March.",
         "avoidance"),
        ("No answer at nine; she'd got her days mixed up and we met at eleven.",
         "avoidance"),
        ("She was screaming at her boyfriend on the phone, nothing aimed at me.",
         "hostility"),
        ("Mum says the neighbours threatened her over the parking.", "hostility"),
        ("Her friend was relieved when I said the HV would come too.",
         "worker_relief"),
        ("Didn't see him at home as he was at gran's, so I went round there after "
         "and saw him on his own.", "unseen_child"),
        ("I wasn't sure I'd see Ada today, but she was in and we played on our own.",
         "unseen_child"),
        ("I still haven't met Ellies dad, nobody has.", "unseen_child"),
        ("Zak was at his friend's, so I waited, he came in soon after and we talked "
         "on our own.", "unseen_child"),
        ("Nursery and school saw her differently, so we compared notes and agreed one "
         "view.", "professional_split"),
        ("My manager said take a colleague. I felt fine with the two of us there.",
         "worker_fear"),
        ("He disputed the stairs being unsafe and showed me the new gate.",
         "worker_fear"),
        ("I asked about the man on the call; she introduced him today, he's grandad.",
         "hidden_men"),
        ("He keeps on about writing to the chief exec, but I raised it anyway.",
         "complaints_pressure"),
        ("She's sticking to the plan and I can't point to one thing I'd change.",
         "drift"),
        ("Three missed clinics and the eight week check never happened.",
         "unseen_child"),
    ],
)  # fmt: skip
def test_round68_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
