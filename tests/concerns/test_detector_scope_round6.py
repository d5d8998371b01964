"""Round 6 rule fixes, written from blind18's and blind19's errors after each was scored
once (tests/concerns/README.md). Rule-level: the rules alone, without the classifier.
The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    "text",
    [
        # a negated first verb does not reach a second one after a comma
        "Her partner wouldn't sit down, stood over me the whole time I was talking to Ava.",
        "Dad didn't answer my question, told me to get out of his flat.",
        # a threat quoted in the parent's own words: the speaker is him, not the "I"
        'Dad said "I know where you live" when I got to my car.',
        "He turned the telly up over me every time I asked about the boys.",
    ],
)
def test_hostility_now_read(text):
    assert "hostility" in rule_codes(text)


@pytest.mark.parametrize(
    "text",
    [
        # being told to get out is not a child who is out
        "Mum's boyfriend kept telling me to get out, so the visit ended early.",
        # the baby taken out of a sling and handed to the worker has been seen
        "Wee one was in the pram when I came in but dad took her out and let me hold her.",
        # seen separately, said in one word
        "Mum had no complaints, the girls were seen individually in their room.",
    ],
)
def test_seen_child_is_not_unseen(text):
    assert "unseen_child" not in rule_codes(text)


def test_a_video_sent_to_prove_the_child_is_fine_is_not_seeing_them():
    assert "unseen_child" in rule_codes(
        "Dad texted a photo of the twins to prove they're okay rather than have me round."
    )


def test_negation_still_reaches_its_own_verb():
    # "didn't shout, swear or threaten me" stays a denial: no comma before a listed verb
    assert "hostility" not in rule_codes("He didn't shout or swear at me this time.")
