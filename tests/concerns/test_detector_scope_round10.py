"""Round 10 rule fixes, written from blind24's errors after it was scored once
(tests/concerns/README.md). Rule-level: the rules alone, without the classifier.
The sentences are new, not copied from that file.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # in the bath, and properly looked at
        (
            "Callum was in the bath when I came and I had a good look at him, no marks.",
            "unseen_child",
        ),
        # asleep, and the blanket folded back to see her
        (
            "Baby asleep upstairs, mum took me up to see her properly, warm and settled.",
            "unseen_child",
        ),
        # a "missed" appointment that was the service's own error
        (
            "The missed appointment was our mistake, the letter went to the wrong address.",
            "avoidance",
        ),
        # a complaint logged while the visit goes ahead
        (
            "Dad said he'll complain about me. Logged it. Friday's visit stays as planned.",
            "complaints_pressure",
        ),
        # the fear did not come true
        ("It went much better than I feared and dad was polite throughout.", "worker_fear"),
    ],
)
def test_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)


def test_not_asking_because_the_parent_was_there_is_not_seen_alone():
    assert "unseen_child" in rule_codes(
        "I didn't ask Jack about the bruise because his dad was right there."
    )
