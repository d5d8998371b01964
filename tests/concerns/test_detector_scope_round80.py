"""Round 80 rule fixes, written from the errors of blind434 to blind441 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("They argued about money all visit and I lost track of the kids completely.",
         "unseen_child"),
        ("Since the complaint the children get a five minute look once a month.",
         "unseen_child"),
        ("After his email to the director I only did a quick doorstep check.",
         "unseen_child"),
        ("I'd planned to see the girls alone but the fire alarm went, so I didn't get "
         "to.", "unseen_child"),
    ],
)  # fmt: skip
def test_round80_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The police used to be out every week; the school say the kids are a "
         "different pair now.", "professional_split"),
        ("Half the visit was helping her with the housing form, then I had a chat with "
         "Ava on her own.", "adult_focus"),
        ("She says she'll be complaining. I've sent the plan in writing and I'm visiting "
         "Monday as agreed.", "complaints_pressure"),
        ("The kids were at the swimming, so I went back at 5 as we'd agreed and saw "
         "them both alone.", "unseen_child"),
        ("There's nothing to suggest the kids are being kept from us.", "unseen_child"),
        ("She's answered the door every visit since the summer; we couldn't get in "
         "back in the spring.", "avoidance"),
        ("Took the kids out for a McDonalds without mum and they chatted away.",
         "unseen_child"),
        ("I went in thinking I'd be frightened, but I wasnt.", "worker_fear"),
        ("Unannounced visit, a bit untidy but fine. Same as when I've phoned ahead.",
         "disguised_compliance"),
    ],
)  # fmt: skip
def test_round80_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
