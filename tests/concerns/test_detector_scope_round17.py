"""Round 17 rule fixes, written from the errors of blind36 and blind37 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Mum cancelled by text this morning and I was glad of the breather.", "worker_relief"),
        ("Caught myself hoping they'd not answer the door today.", "worker_relief"),
        (
            "The review got moved because the chair couldn't make it I was so relieved.",
            "worker_relief",
        ),
        ("I've given up asking about his drinking, it just starts a row.", "collusion"),
        ("Her partner had a knife lying beside him on the settee all visit.", "hostility"),
        ("As I went down the path he shouted that I'd be sorry.", "hostility"),
        ("Gran stood in the hall and said I wasn't getting past her.", "hostility"),
        ("He threatened to post my address on the estate page.", "hostility"),
        ("Different men coming and going from the flat every time I visit.", "hidden_men"),
        ("Contact was cancelled as dad didn't bring Ruby, said she was tired.", "unseen_child"),
        ("Mia was supposed to join the video call but stayed in her room.", "unseen_child"),
        ("I still jump every time my phone rings after what he said.", "worker_fear"),
        (
            "TL says close it as nobody's answering. Police and school haven't been asked.",
            "closure_risk",
        ),
        (
            "They're moving me off the case because dad won't work with me. No meeting.",
            "closure_risk",
        ),
    ],
)
def test_round17_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Dad's new partner Kerry wouldn't give me her surname but was polite.", "hidden_men"),
        ("I asked to see Ellis alone and dad said fine, so we went to the garden.", "unseen_child"),
        ("Worried I'd rushed it, so I went back and saw Tia on her own.", "unseen_child"),
        ("The hour went on rent arrears and we never got near the kids' plan.", "unseen_child"),
        ("Ava's at her dad's most weekends, which is the agreed contact.", "unseen_child"),
        ("Mum took a photo of me through the window as I left.", "unseen_child"),
        ("My TL won't let me go without a second worker since the threat.", "unseen_child"),
        ("Complaint noted, nothing changes: visits as planned on Friday.", "drift"),
        (
            "His solicitor rang for a copy of the minutes, no change to the plan.",
            "complaints_pressure",
        ),
        (
            "Dad said he'd complain; I said he's entitled to and explained how.",
            "complaints_pressure",
        ),
        (
            "Earlier in the year she was cancelling a lot, but she's been in for every visit"
            " since May.",
            "avoidance",
        ),
        ("Mum wasn't in when I called round on spec, as it wasn't booked.", "avoidance"),
        ("Gran wouldn't open the blinds because of her migraine.", "avoidance"),
        ("The decision to close was made without health; I'm uneasy about it.", "worker_fear"),
        ("Dad couldn't tell me what day it was, he'd been up all night.", "child_voice_missing"),
        ("I'd be relieved if the review moved, but it went ahead and went well.", "worker_relief"),
        ("Mum didn't bring Kai to the dentist again.", "unseen_child"),
        ("I've stopped raising it at supervision because my TL already knows.", "collusion"),
        ("Dad put a photo of my car on the estate page.", "hostility"),
    ],
)
def test_round17_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
