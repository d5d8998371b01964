"""Round 11 rule fixes, written from blind26's errors after it was scored once
(tests/concerns/README.md). Rule-level: the rules alone, without the classifier.
The sentences are new, not copied from that file.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # someone standing between the worker and the children
        ("He stood in the hall so I never got through to the boys.", "unseen_child"),
        # another adult answering every question about the child
        ("Her aunt answered every question about Mia and Mia stayed silent.", "unseen_child"),
        # shouting at the worker stays hostility when the parent then calms down
        ("Dad screamed at me on the stair, then calmed down and said sorry.", "hostility"),
        # a relative waiting outside the worker's home
        ("Mum's brother was parked outside my flat on Sunday night.", "hostility"),
        ("He says he's keeping a file on me and every worker before me.", "hostility"),
        ("Her partner called me by my first name and I've never told him my name.", "hostility"),
        # a parent who keeps not coming, or cannot book in
        ("Dad keeps not turning up for the contact sessions.", "avoidance"),
        ("She won't book in with the clinic however many letters go out.", "avoidance"),
        ("Mum said she was too tired to carry on and showed me out.", "avoidance"),
        # doing exactly what the plan ruled out
        (
            "He was at the house at teatime, exactly what we agreed he wouldn't do.",
            "disguised_compliance",
        ),
        (
            "Mum signs every agreement but hasn't kept to a single part of it.",
            "disguised_compliance",
        ),
        # the same written agreement signed again
        ("New agreement today, identical to the one dad signed in June.", "drift"),
        # the worker distancing themselves from a concern, or going easy on a parent
        ("I always put the smoking to mum as the school's concern, not mine.", "collusion"),
        ("I'm wondering if I've been too soft on dad about the drinking.", "collusion"),
        ("I think I've been going easy on her about the dog mess.", "collusion"),
        # "never felt that scared" is a worker who was very scared
        ("Never been so frightened on a visit in twenty years.", "worker_fear"),
        # "everything through his solicitor" after "won't speak to me"
        ("Mum won't talk to us, everything through her solicitor now.", "complaints_pressure"),
    ],
)
def test_round11_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # "didn't get to the kids" is usually a topic the visit never reached
        ("The whole hour was dad's debts, we didn't get to the kids' plan.", "unseen_child"),
        # answering questions about the child's homework is not hiding the child
        (
            "Dad answered all my questions about Ben's homework, then I saw Ben alone.",
            "unseen_child",
        ),
        # a parent glancing at a relative before answering is the parent being steered
        ("Mum looks at her sister before she answers anything.", "unseen_child"),
        # a friend who sat in, with no child in the account
        ("Mum had her pal there the whole time and we went over the rent.", "unseen_child"),
        # not knowing how the children spend their days is their voice, not unseen
        ("I don't know how the girls spend their weekends.", "unseen_child"),
        # the worker sitting outside their own house
        ("Drove home and sat in the car outside my house for ten minutes.", "hostility"),
        # shouting that was not at the worker
        ("Dad was shouting at the telly, not at me, and calmed down quickly.", "hostility"),
        # a complaint that changes nothing
        (
            "Mum complained to the director. Plan's unchanged and I'm still the allocated worker.",
            "complaints_pressure",
        ),
        # the manager asking the worker to go easy is not the worker colluding
        ("TL asked me to go easy on the home conditions for now.", "collusion"),
        # "wondered if I'd be nervous" that did not come true
        ("I wondered if I'd be nervous going back, but I felt fine.", "worker_fear"),
        # a parent's promise kept
        ("Dad stayed away at teatime, exactly as we agreed.", "disguised_compliance"),
    ],
)
def test_round11_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Mum's new boyfriend stays most nights, the kids say. I've never seen him.",
        "Her stepdad though, never met him, he's always at work when we come.",
        "Never seen him. Mum's partner has lived there since June and we know nothing about him.",
    ],
)
def test_him_after_a_man_is_the_man_not_the_child(text):
    assert "unseen_child" not in rule_codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Mum's partner said the wee fella was asleep and I never saw him.",
        "Dad said Leo was fine but I never actually saw him.",
        "Her boyfriend answered and said the baby was out. Never saw him.",
        "Her ex stood in the doorway and I never got past him to see them.",
    ],
)
def test_him_after_a_child_is_still_the_child(text):
    assert "unseen_child" in rule_codes(text)
