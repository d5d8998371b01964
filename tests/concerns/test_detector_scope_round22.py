"""Round 22 rule fixes, written from the errors of blind46 and blind47 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Her boyfriend's van was outside again and she swears she's living alone.", "hidden_men"),
        ("I sat in the car after and couldn't stop shaking.", "worker_wellbeing"),
        ("Two years on and the only thing that's changed is the school.", "drift"),
        ("Dad's been posting stuff about me on the community page.", "online_targeting"),
        ("Someone sent a message to my personal Facebook about the case.", "online_targeting"),
        (
            "I didn't chase the missed appointment because I can't face another complaint.",
            "complaints_pressure",
        ),
        ("Her solicitor phones me most days asking what I've written.", "complaints_pressure"),
        ("Realised I'd signed off three visits without ever seeing the baby.", "unseen_child"),
        ("Gran took the boys out as soon as she heard I was coming.", "unseen_child"),
        ("Honestly not sure I got a proper look at her arms.", "unseen_child"),
        ("Mum keeps blocking every attempt to see Rio on his own.", "unseen_child"),
        ("Her partner stood too close the whole time I was in the kitchen.", "hostility"),
        ("When the office said it was cancelled I thought thank god.", "worker_relief"),
        ("Another cancellation this morning and I was glad, if I'm honest.", "worker_relief"),
    ],
)
def test_round22_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("She wasn't in when I called unannounced; she rang me straight back.", "avoidance"),
        ("No answer at the door, then I realised it was my mistake, wrong day.", "avoidance"),
        ("His solicitor wrote again; the visit timetable hasn't changed.", "drift"),
        (
            "Mum said she'd complain; I explained why we visit and I'll keep doing it.",
            "complaints_pressure",
        ),
        ("I've got too close to this family, I think.", "hostility"),
    ],
)
def test_round22_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
