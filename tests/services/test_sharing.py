"""What the worker chooses to share, and taking it back."""

from __future__ import annotations

import pytest

from actions.services import sharing, supervision
from actions.store import repository
from actions.store.db import session_scope
from actions.store.models import Concern
from actions.store.repository import InvalidValue


def shared_texts(world) -> list[str]:
    return [a.text for a in supervision.prepare(world.sam, world.jo).shared_notes]


def test_only_the_for_supervision_and_impact_answers_can_be_shared(world, jo_records):
    with pytest.raises(InvalidValue):
        sharing.share_answer(world.jo, jo_records["first"], "rr_fail_to_attend")
    sharing.share_answer(world.jo, jo_records["first"], "feelings_now")
    assert "PRIVATE shaken, did not sleep" in shared_texts(world)


def test_withdrawing_an_answer_takes_it_out_of_the_summary(world, jo_records):
    sharing.share_answer(world.jo, jo_records["first"], "for_supervision", shared=False)
    assert shared_texts(world) == []


def test_a_changed_answer_is_private_until_shared_again(world, jo_records):
    with session_scope() as s:
        repository.record_answer(
            s, jo_records["first"], "for_supervision", "text", "Something else now."
        )
    assert shared_texts(world) == []


def test_sharing_a_note_shares_its_concern(world, jo_records):
    concern_id = jo_records["concerns"]["unseen_child"]
    with session_scope() as s:
        repository.set_concern_status(s, concern_id, "open", "Seen at school since.")

    sharing.share_concern_note(world.jo, concern_id)

    concern = next(
        c
        for case in supervision.prepare(world.sam, world.jo).cases
        for c in case.concerns
        if c.code == "unseen_child"
    )
    assert (concern.status, concern.worker_note) == ("for_supervision", "Seen at school since.")


def test_a_note_can_be_withdrawn_and_a_concern_set_aside_is_unshared(world, jo_records):
    hostility = jo_records["concerns"]["hostility"]
    sharing.share_concern_note(world.jo, hostility, shared=False)
    summary = supervision.prepare(world.sam, world.jo)
    assert all(c.worker_note is None for c in summary.concerns)

    with session_scope() as s:
        repository.set_concern_status(s, hostility, "not_applicable", "Misread the visit.")
        assert s.get(Concern, hostility).shared_at is None
    codes = {c.code for c in supervision.prepare(world.sam, world.jo).concerns}
    assert "hostility" not in codes


def test_a_concern_without_a_note_has_none_to_share(world, jo_records):
    with pytest.raises(InvalidValue):
        sharing.share_concern_note(world.jo, jo_records["concerns"]["worker_fear"])


def test_asking_to_talk_about_the_impact(world, jo_records):
    sharing.ask_to_talk_about_impact(world.jo, jo_records["second"], asked=False)
    assert supervision.prepare(world.sam, world.jo).worker_asked_about_impact is False
    sharing.ask_to_talk_about_impact(world.jo, jo_records["first"])
    assert supervision.prepare(world.sam, world.jo).worker_asked_about_impact is True
