"""The worker's choices at the end of a debrief (share_answers, impact_talk) reach the
supervisor's summary and agenda when the worker says so, and never otherwise."""

from __future__ import annotations

import pytest

from actions.bank.schema import cached_bank
from actions.services import access, debriefs, supervision, supervision_agenda
from actions.store.db import session_scope
from actions.store.models import Answer, Debrief, Person
from tests.store_fixtures import add_debrief

TAKE = "Whether we need a strategy discussion."
FEELING = "Shaken, and I did not sleep."
IMPACT_ON_CHILD = "He is quieter at nursery."


def debrief_with(world, share: str | None, impact: str | None, **extra) -> str:
    """An unfinished debrief of Jo's (CP-300) with the shareable answers and the given
    choices (None: not answered); returns its id."""
    answers = {
        "for_supervision": ("text", TAKE),
        "feelings_now": ("text", FEELING),
        "manager_aware_of_impact": "no",
        "impact_of_resistance_on_child": ("text", IMPACT_ON_CHILD),
        **extra,
    }
    if share is not None:
        answers["share_answers"] = share
    if impact is not None:
        answers["impact_talk"] = impact
    with session_scope() as s:
        jo = s.get(Person, world.jo)
        return add_debrief(s, jo, "CP-300", answers=answers, status="in_progress").id


def finish(debrief_id: str, status: str = "completed") -> None:
    debriefs.finish_debrief(cached_bank(), debrief_id, status)


def shared_texts(world) -> list[str]:
    return [a.text for a in supervision.prepare(world.sam, world.jo).shared_notes]


def test_sharing_all_shows_every_answered_shareable_answer_and_the_impact_request(world):
    finish(debrief_with(world, "all", "yes"))

    summary = supervision.prepare(world.sam, world.jo)
    assert sorted(a.text for a in summary.shared_notes) == sorted(
        [TAKE, FEELING, "no", IMPACT_ON_CHILD]
    )
    assert summary.worker_asked_about_impact is True
    (case,) = summary.cases
    assert case.reference == "CP-300"
    assert case.debriefs[0].impact_requested is True

    agenda = supervision_agenda.build_agenda(world.sam, world.jo)
    assert agenda.worker_asked_about_impact is True
    assert any(TAKE in line for line in agenda.shared_notes)
    assert any(FEELING in line for line in agenda.shared_notes)


def test_only_what_to_take_to_supervision(world):
    finish(debrief_with(world, "for_supervision", "no"))

    assert shared_texts(world) == [TAKE]
    assert supervision.prepare(world.sam, world.jo).worker_asked_about_impact is False


@pytest.mark.parametrize("share", ["none", "skipped", "not_sure", None])
@pytest.mark.parametrize("impact", ["no", "skipped", "not_sure", "own_words", None])
def test_anything_but_a_clear_choice_keeps_everything_private(world, share, impact):
    finish(debrief_with(world, share, impact))

    summary = supervision.prepare(world.sam, world.jo)
    assert summary.shared_notes == ()
    assert summary.worker_asked_about_impact is False
    assert summary.cases == (), "nothing of the debrief reaches the supervisor"
    agenda = supervision_agenda.build_agenda(world.sam, world.jo)
    assert agenda.shared_notes == () and agenda.worker_asked_about_impact is False


def test_a_skipped_answer_is_not_shared_even_when_all_are(world):
    finish(debrief_with(world, "all", None, feelings_now="skipped"))
    assert FEELING not in shared_texts(world)
    assert "skipped" not in shared_texts(world)
    assert TAKE in shared_texts(world)


def test_the_choice_is_applied_only_when_the_debrief_completes(world):
    debrief_id = debrief_with(world, "all", "yes")
    finish(debrief_id, "paused")
    assert shared_texts(world) == []
    assert supervision.prepare(world.sam, world.jo).worker_asked_about_impact is False


def test_finishing_again_after_changing_to_private_withdraws_what_was_shared(world):
    debrief_id = debrief_with(world, "all", "yes")
    finish(debrief_id)
    with session_scope() as s:
        for answer in s.query(Answer).filter_by(debrief_id=debrief_id):
            if answer.question_id == "share_answers":
                answer.value = "none"
            elif answer.question_id == "impact_talk":
                answer.value = "no"
    finish(debrief_id)

    assert shared_texts(world) == []
    assert supervision.prepare(world.sam, world.jo).worker_asked_about_impact is False
    with session_scope() as s:
        assert s.get(Debrief, debrief_id).impact_requested_at is None


def test_the_choices_themselves_are_never_shown_to_the_supervisor(world):
    finish(debrief_with(world, "all", "yes"))
    questions = {a.question_id for a in supervision.prepare(world.sam, world.jo).shared_notes}
    assert not questions & {"share_answers", "impact_talk"}


def test_another_supervisor_sees_nothing(world):
    finish(debrief_with(world, "all", "yes"))
    with pytest.raises(access.AccessDenied):
        supervision.prepare(world.pat, world.jo)
