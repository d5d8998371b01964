"""Round 7 rule fixes, written from blind21's errors after it was scored once
(tests/concerns/README.md). Rule-level: the rules alone, without the classifier.
The sentences are new, not copied from that file.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    "text",
    [
        # time alone asked for, and the parent said no or gave a reason
        "I said I needed to talk to Rory on his own, dad said he's too tired, so I left it.",
        "Wanted to see Isla alone, mum said no, she doesn't like strangers.",
        # the parent speaks in the child's place
        "Every time I asked Maya something her gran filled in for her.",
        # an adult did all the talking, with a child in the account
        "Dad did all the talking while the twins sat on the floor.",
    ],
)
def test_child_not_heard_alone_now_read(text):
    assert "unseen_child" in rule_codes(text)


@pytest.mark.parametrize(
    "text",
    [
        # asked for, and the parent agreed: no concern
        "Asked to see Logan on his own, mum said he's happy to, and we went to his room.",
        # someone else doing the talking with no child in the account is about the adults
        "Her friend does all the talking at the review and mum just agrees.",
    ],
)
def test_no_unseen_child_without_a_refusal_or_a_child(text):
    assert "unseen_child" not in rule_codes(text)


def test_the_workers_own_feeling_after_my_is_theirs():
    # the nearest person before "relief" is "my", not the mother who cancelled
    assert "worker_relief" in rule_codes(
        "She rang at nine to say they'd be out and my honest first reaction was relief."
    )


def test_a_visit_the_worker_cancelled_is_not_avoidance():
    assert "avoidance" not in rule_codes(
        "Cancelled the appointment myself because I had a migraine and rebooked it."
    )


@pytest.mark.parametrize(
    "text",
    [
        "Closing the case next week. Nobody else has been consulted.",
        "My manager is taking me off the case because dad won't work with me. No meeting"
        " with the other agencies.",
    ],
)
def test_closure_without_the_other_agencies_now_read(text):
    assert "closure_risk" in rule_codes(text)


def test_unannounced_visits_telling_another_story_is_disguised_compliance():
    codes = rule_codes(
        "Tidy for the planned visit again. The unannounced ones tell a different story."
    )
    assert "disguised_compliance" in codes
    assert "professional_split" not in codes


@pytest.mark.parametrize(
    ("quoted", "unquoted"),
    [
        (
            "Third visit and the baby's been 'asleep upstairs' again.",
            "Third visit and the baby's been asleep upstairs again.",
        ),
        (
            'Kids were "at the park with their gran" when I got there.',
            "Kids were at the park with their gran when I got there.",
        ),
        (
            "He told me I'd \u2018regret it\u2019 if I came back.",
            "He told me I'd regret it if I came back.",
        ),
    ],
)
def test_quoted_words_read_as_if_unquoted(quoted, unquoted):
    # workers quote what they were told; the quote marks must not hide the words
    assert rule_codes(quoted) == rule_codes(unquoted) != set()


def test_evidence_offsets_still_point_into_the_quoted_text():
    from actions.concerns.detector import detect_rules

    text = "Mum said Zac was 'at his dad's' again, third visit running."
    (concern,) = [c for c in detect_rules(text) if c.code == "unseen_child"]
    assert text[concern.evidence_start : concern.evidence_end] == concern.evidence
    assert "at his dad" in concern.evidence


@pytest.mark.parametrize(
    "text",
    [
        "Saw Ruby for maybe two minutes on the stairs before she went back up.",
        "The boys were in the back room with the telly on and mum talked about her rent.",
        "Baby in the pram under a blanket for the whole appointment.",
        "Mum wouldn't wake him and said I could see him next time.",
        "Gran held the baby the whole visit and wouldn't hand her over.",
        "We spent the hour on her housing forms and I ran out of time to see Callum.",
        "Dad said Keira didn't want to talk to me and I didn't push it.",
        "Mum kept Jodie in the kitchen with the door shut.",
        "She'll only let the health visitor in, not me.",
        "I only stuck my head round the bedroom door, the twins were on the Xbox.",
    ],
)
def test_child_kept_out_of_reach_now_read(text):
    assert "unseen_child" in rule_codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Rosie was in the other room when I arrived, so I went through to her and we played.",
        "Baby was asleep so mum didn't want to wake her; I came back at three and held her.",
        "I popped my head round the door to say hi, then went back later and saw each of "
        "them on their own.",
    ],
)
def test_child_reached_after_all_is_not_unseen(text):
    assert "unseen_child" not in rule_codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Dad says he's been to every contact. The contact centre have him down as a no show.",
        "She told me she'd registered him with a dentist. The practice say they've never"
        " heard of him.",
    ],
)
def test_the_parents_word_against_a_record_is_disguised_compliance(text):
    assert "disguised_compliance" in rule_codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "We're stepping it down to early help. No multi-agency meeting.",
        "TL wants to NFA it as mum won't answer. I haven't run it past the school.",
        "They've asked for a new worker and it's been agreed. Not been near a core group.",
    ],
)
def test_closure_with_no_one_else_asked_across_sentences(text):
    assert "closure_risk" in rule_codes(text)


def test_no_meeting_without_any_closure_is_not_closure_risk():
    assert "closure_risk" not in rule_codes(
        "No core group meeting this month because of the holidays; the plan carries on."
    )
