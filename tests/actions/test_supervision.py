"""The supervisor's flow, through the rasa_sdk actions against a migrated SQLite file:
preparing supervision for one's own supervisee (and refusing anyone else's without
saying whether they exist), the summary of what was shared (and nothing private), the
walk-through recording notes, concern decisions and agreed actions, stopping and
carrying on, more questions, the agenda files, and completing the session."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from actions import supervision_form
from actions.settings import get_settings
from actions.store.db import session_scope
from actions.store.models import Concern, SessionConcern
from actions.supervision_agenda import ActionMakeAgenda
from actions.supervision_form import (
    ActionAddAgreedAction,
    ActionAskSupNote,
    ActionCompleteSupervision,
    ActionExplainSupervisionQuestion,
    ActionMoreQuestions,
    ValidateSupervisionForm,
)
from actions.supervision_prepare import (
    ActionAskSupChoice,
    ActionPrepareSupervision,
    ValidateSuperviseeForm,
)
from tests.actions.action_helpers import (
    PROMPTS_FILE,
    question_yaml,
    read_yaml,
    set_question_ids,
    squash,
)
from tests.actions.supervision_helpers import (
    PRIVATE,
    Chat,
    World,
    agreed_actions,
    all_text,
    audit_rows,
    full_domain,
    notes,
    seed,
    sessions,
)

FORM = "supervision_form"
TODAY = dt.date(2026, 11, 30)  # a Monday
SUPERVISION_QUESTIONS = set_question_ids("supervision")


def words() -> dict:
    return read_yaml(PROMPTS_FILE)["supervision"]


@pytest.fixture
def domain() -> dict:
    return full_domain()


@pytest.fixture
def world() -> World:
    return seed()


@pytest.fixture
def chat(make_tracker, domain):
    def make(sender_id: str) -> Chat:
        return Chat(make_tracker, domain, sender_id)

    return make


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(supervision_form, "today", lambda: TODAY)


def prepared(chat, world: World, text: str = "prepare for supervision with Sam") -> Chat:
    morag = chat(world.morag)
    turn = morag.run(ActionPrepareSupervision(), text=text, intent="prepare_supervision")
    assert turn.slots["supervision_step"] == "ready", turn.slots
    morag.active_loop = FORM
    return morag


def answer(conversation: Chat, text: str, intent: str = "inform", **kwargs):
    return conversation.run(
        ValidateSupervisionForm(),
        text=text,
        intent=intent,
        candidates={"sup_note": text},
        **kwargs,
    )


def current(conversation: Chat) -> dict | None:
    queue = conversation.slots.get("sup_queue") or []
    return queue[0] if queue else None


def skip_to(conversation: Chat, kind: str) -> dict:
    for _ in range(40):
        item = current(conversation)
        assert item is not None, f"no {kind} item left"
        if item["kind"] == kind:
            return item
        answer(conversation, "skip", intent="skip_question")
    raise AssertionError(f"never reached a {kind} item")


# --- preparing -------------------------------------------------------------------------


def test_preparing_for_own_supervisee_summarises_what_they_shared(chat, world):
    morag = prepared(chat, world)
    summary = morag.slots["sup_summary"]

    assert morag.slots["sup_worker_id"] == world.sam
    assert morag.slots["sup_worker_name"] == "Sam Kerr"
    assert "CP-100" in summary
    for shared in (
        "The worker was threatened on this visit.",
        "Dad blocked the door and shouted.",
        "The family cancelled twice.",
        "It was the second time this month.",  # the note Sam shared
        "The door being blocked on the way out.",  # the answer Sam shared
    ):
        assert shared in summary
    assert "Urgent:" in summary and "open 20 day(s)" in summary
    assert "Ready reckoner ticks per visit" in summary
    assert "Sam Kerr asked to talk about the impact of the work on them." in summary
    [session] = sessions()
    assert (session.supervisor_id, session.worker_id, session.status) == (
        world.morag,
        world.sam,
        "open",
    )
    assert any(row.actor_id == world.morag and row.subject_id == world.sam for row in audit_rows())


def test_nothing_unshared_reaches_the_supervisor(chat, world):
    morag = prepared(chat, world)
    everything = repr(morag.slots)
    assert PRIVATE not in everything
    assert "CP-200" not in everything  # nothing of that case was shared
    assert "did not sleep" not in everything


def test_the_walk_through_queues_each_question_then_concerns_then_actions(chat, world):
    morag = prepared(chat, world)
    queue = morag.slots["sup_queue"]
    kinds = [item["kind"] for item in queue]

    questions = [item for item in queue if item["kind"] == "question"]
    assert [q["question_id"] for q in questions] == SUPERVISION_QUESTIONS
    assert {q["case_id"] for q in questions} == {world.case}
    assert kinds.index("concern") > kinds.index("question")
    assert kinds[-1] == "action"
    concern_codes = {item["code"] for item in queue if item["kind"] == "concern"}
    assert concern_codes == {"worker_fear", "hostility", "avoidance"}
    fear = next(q for q in questions if q["question_id"] == "sup_q4")
    assert any("The worker was threatened on this visit." in e for e in fear["evidence"])


@pytest.mark.parametrize(
    "text",
    [
        "prepare for supervision with Lee",  # Pat's supervisee
        "prepare for supervision with Nobody",  # no such person
        "get ready for Ruth's supervision",
    ],
)
def test_someone_not_supervised_is_refused_without_saying_whether_they_exist(chat, world, text):
    morag = chat(world.morag)
    turn = morag.run(ActionPrepareSupervision(), text=text, intent="prepare_supervision")

    assert turn.slots["supervision_step"] == "refused"
    assert turn.control_result == "not_yours"
    assert turn.messages == []
    assert "sup_summary" not in turn.slots
    assert sessions() == []
    assert not any(row.subject_id == world.lee for row in audit_rows())


def test_a_forged_button_for_someone_elses_supervisee_is_refused(chat, world):
    morag = chat(world.morag)
    morag.slots["sup_choice"] = world.lee
    turn = morag.run(ActionPrepareSupervision(), text="/inform", intent="inform")
    assert turn.control_result == "not_yours"
    assert sessions() == []


def test_who_is_asking_comes_from_the_chat_not_the_slots(chat, world):
    """Pat's chat with Morag's walk-through in its slots: every write is refused."""
    morag = prepared(chat, world)
    pat = chat(world.pat)
    pat.slots = dict(morag.slots)
    pat.active_loop = FORM
    turn = answer(pat, "Sam seemed frightened.")

    assert squash(words()["not_allowed"]) in turn.texts
    assert notes() == []
    assert pat.slots["sup_queue"] == []


def test_a_worker_with_nobody_to_supervise_is_told_calmly(chat, world):
    sam = chat(world.sam)
    turn = sam.run(
        ActionPrepareSupervision(), text="prepare supervision", intent="prepare_supervision"
    )
    assert turn.slots["supervision_step"] == "refused"
    assert turn.control_result == "no_supervisees"


def test_no_name_shows_the_supervisees_to_pick_from(chat, world):
    morag = chat(world.morag)
    turn = morag.run(
        ActionPrepareSupervision(), text="who do I supervise", intent="list_supervisees"
    )
    assert turn.slots["supervision_step"] == "choose"

    morag.active_loop = "supervisee_form"
    asked = morag.run(ActionAskSupChoice())
    [message] = asked.messages
    assert message["text"] == squash(words()["choose_supervisee"])
    titles = [b["title"] for b in message["buttons"]]
    assert titles == ["Jo Bell", "Sam Kerr"]  # Morag's supervisees only
    assert world.lee not in repr(message)


def test_picking_a_supervisee_by_button_or_name(chat, world, make_tracker):
    morag = chat(world.morag)
    morag.active_loop = "supervisee_form"
    turn = morag.run(
        ValidateSuperviseeForm(),
        text="/inform",
        intent="inform",
        candidates={"sup_choice": world.jo},
    )
    assert turn.slots["sup_choice"] == world.jo

    typed = morag.run(
        ValidateSuperviseeForm(), text="sam", intent="inform", candidates={"sup_choice": "sam"}
    )
    assert typed.slots["sup_choice"] == world.sam

    morag.active_loop = None
    ready = morag.run(ActionPrepareSupervision(), text="sam", intent="inform")
    assert ready.slots["supervision_step"] == "ready"
    assert ready.slots["sup_worker_id"] == world.sam
    assert ready.slots["sup_choice"] is None


def test_picking_someone_not_supervised_asks_again(chat, world):
    morag = chat(world.morag)
    morag.active_loop = "supervisee_form"
    turn = morag.run(
        ValidateSuperviseeForm(), text="Lee", intent="inform", candidates={"sup_choice": "Lee"}
    )
    assert turn.slots["sup_choice"] is None
    assert turn.texts == [squash(words()["choose_unclear"])]


# --- the walk-through ------------------------------------------------------------------


def test_each_question_comes_with_the_evidence_that_bears_on_it(chat, world):
    morag = prepared(chat, world)
    [message] = morag.run(ActionAskSupNote()).messages
    assert question_yaml("sup_q1")["text"] in message["text"]
    assert "Case CP-100." in message["text"]
    assert "Dad blocked the door and shouted." in message["text"]
    assert [b["title"] for b in message["buttons"]] == [
        "Skip",
        "Why this question?",
        "Stop for now",
    ]


def test_notes_are_recorded_and_skip_moves_on(chat, world):
    morag = prepared(chat, world)
    answer(morag, "Sam describes the shouting as frightening; joint visits agreed.")
    assert current(morag)["question_id"] == "sup_q2"
    answer(morag, "next", intent="skip_question")
    assert current(morag)["question_id"] == "sup_q3"
    answer(morag, "Skip.")
    assert current(morag)["question_id"] == "sup_q4"

    [note] = notes()
    assert (note.question_id, note.case_id) == ("sup_q1", world.case)
    assert note.note == "Sam describes the shouting as frightening; joint visits agreed."


def test_starting_the_walk_through_records_nothing(chat, world):
    """When the form starts, Rasa validates the slots set since the last message; the
    cleared note is not an answer."""
    morag = prepared(chat, world)
    turn = morag.run(
        ValidateSupervisionForm(), text="Sam", intent="inform", candidates={"sup_note": None}
    )
    assert turn.messages == []
    assert notes() == []
    assert current(morag)["question_id"] == "sup_q1"

    picker = chat(world.morag)
    picker.active_loop = "supervisee_form"
    turn = picker.run(
        ValidateSuperviseeForm(), text="who do I supervise", candidates={"sup_choice": None}
    )
    assert turn.messages == []


def test_why_gives_the_questions_reason(chat, world):
    morag = prepared(chat, world)
    turn = morag.run(ActionExplainSupervisionQuestion(), text="why", intent="ask_why")
    assert turn.control_result == "explained"
    assert turn.slots["explanation"] == squash(question_yaml("sup_q1")["why"])


def test_concerns_can_be_discussed_closed_or_carried_forward(chat, world):
    morag = prepared(chat, world)
    decisions = {
        "discussed": "discussed",
        "close it": "closed",
        "carry it forward": "carried_forward",
    }
    outcomes = {}
    for text, outcome in decisions.items():
        item = skip_to(morag, "concern")
        [message] = morag.run(ActionAskSupNote()).messages
        assert item["title"] in message["text"]
        turn = answer(morag, text)
        assert turn.texts == [squash(words()["concern_done"][outcome])]
        outcomes[item["code"]] = outcome

    with session_scope() as s:
        rows = {row.concern.code: row.outcome for row in s.query(SessionConcern).all()}
        statuses = {c.code: c.status for c in s.query(Concern).all() if c.code in outcomes}
    assert rows == outcomes
    assert statuses == {
        code: {"discussed": "discussed", "closed": "closed", "carried_forward": "for_supervision"}[
            o
        ]
        for code, o in outcomes.items()
    }


def test_an_agreed_action_said_at_a_concern_is_recorded_and_the_concern_asked_again(chat, world):
    morag = prepared(chat, world)
    item = skip_to(morag, "concern")
    turn = answer(morag, "Sam to ring the school by Friday", intent="add_agreed_action")
    assert turn.texts == ["Noted: Sam Kerr to ring the school, due 4 Dec 2026."]
    assert len(agreed_actions()) == 1
    assert current(morag) == item


def test_an_unclear_decision_is_asked_again(chat, world):
    morag = prepared(chat, world)
    item = skip_to(morag, "concern")
    turn = answer(morag, "hmm, maybe")
    assert turn.texts == [squash(words()["concern_unclear"])]
    assert current(morag) == item


def test_an_agreed_action_in_one_message(chat, world):
    morag = prepared(chat, world)
    skip_to(morag, "action")
    turn = answer(morag, "Sam to ring the school by Friday")

    [action] = agreed_actions()
    assert (action.text, action.owner_id, action.due_on, action.case_id) == (
        "ring the school",
        world.sam,
        dt.date(2026, 12, 4),
        world.case,
    )
    assert turn.texts == ["Noted: Sam Kerr to ring the school, due 4 Dec 2026."]
    assert current(morag)["more"] is True  # "anything else?"
    answer(morag, "none")
    assert current(morag) is None


def test_an_agreed_action_is_asked_in_turn_what_who_and_when(chat, world):
    morag = prepared(chat, world)
    skip_to(morag, "action")
    answer(morag, "ring the school about attendance")
    [asked] = morag.run(ActionAskSupNote()).messages
    assert asked["text"] == "Who will do it: Sam Kerr or you?"
    assert [b["title"] for b in asked["buttons"]] == ["Sam", "Me"]

    unclear = answer(morag, "the school")
    assert "Who will do it?" in unclear.texts[0]
    answer(morag, "me", intent="deny")
    [asked] = morag.run(ActionAskSupNote()).messages
    assert asked["text"] == squash(words()["action_ask_due"])

    bad = answer(morag, "whenever")
    assert bad.texts == [squash(words()["action_due_unclear"])]
    answer(morag, "4/12")

    [action] = agreed_actions()
    assert (action.text, action.owner_id, action.due_on) == (
        "ring the school about attendance",
        world.morag,
        dt.date(2026, 12, 4),
    )


@pytest.mark.parametrize(
    "text, due",
    [
        ("Sam will see the child alone by next week", dt.date(2026, 12, 7)),
        ("me to check the chronology by 2026-12-04", dt.date(2026, 12, 4)),
        ("Sam to chase the GP, no date", None),
        ("I'll speak to the team manager tomorrow", dt.date(2026, 12, 1)),
    ],
)
def test_agreed_action_dates_are_read_forgivingly(chat, world, text, due):
    morag = prepared(chat, world)
    skip_to(morag, "action")
    answer(morag, text)
    [action] = agreed_actions()
    assert action.due_on == due


def test_an_agreed_action_said_mid_question_is_taken_as_one(chat, world):
    morag = prepared(chat, world)
    turn = answer(
        morag, "Sam to book a joint visit by Friday", intent="add_agreed_action", confidence=0.95
    )
    assert turn.texts == ["Noted: Sam Kerr to book a joint visit, due 4 Dec 2026."]
    [action] = agreed_actions()
    assert action.case_id == world.case
    assert current(morag)["question_id"] == "sup_q1"  # asked again
    assert notes() == []


def test_a_half_said_agreed_action_mid_question_asks_for_the_rest(chat, world):
    morag = prepared(chat, world)
    turn = answer(morag, "add an agreed action", intent="add_agreed_action", confidence=0.95)
    assert turn.texts == [squash(words()["action_taken"])]
    assert current(morag)["kind"] == "action"
    [asked] = morag.run(ActionAskSupNote()).messages
    assert asked["text"] == squash(words()["action_ask_text"])
    answer(morag, "Sam to visit with the health visitor by 2026-12-10")
    assert [a.due_on for a in agreed_actions()] == [dt.date(2026, 12, 10)]
    assert current(morag)["question_id"] == "sup_q1"  # back to the question


def test_a_note_the_nlu_is_unsure_about_is_kept_as_a_note(chat, world):
    morag = prepared(chat, world)
    answer(
        morag,
        "Sam to think about how she challenges dad",
        intent="add_agreed_action",
        confidence=0.5,
    )
    assert [n.note for n in notes()] == ["Sam to think about how she challenges dad"]
    assert agreed_actions() == []


def test_a_note_the_nlu_mistakes_for_an_action_stays_a_note(chat, world):
    morag = prepared(chat, world)
    text = "the school and health visitor have not shared their chronologies yet"
    answer(morag, text, intent="add_agreed_action", confidence=1.0)
    assert [n.note for n in notes()] == [text]
    assert agreed_actions() == []


def test_a_long_note_the_nlu_reads_as_skip_is_kept(chat, world):
    morag = prepared(chat, world)
    answer(morag, "next time we should visit together", intent="skip_question")
    assert [n.note for n in notes()] == ["next time we should visit together"]


def test_recording_an_agreed_action_from_outside_the_walk_through(chat, world):
    morag = prepared(chat, world)
    morag.active_loop = None
    turn = morag.run(
        ActionAddAgreedAction(),
        text="Sam to ring the school about CP-100 by 4/12",
        intent="add_agreed_action",
    )
    assert turn.slots["supervision_step"] == "ready"
    [action] = agreed_actions()
    assert (action.owner_id, action.due_on, action.case_id) == (
        world.sam,
        dt.date(2026, 12, 4),
        world.case,
    )


def test_no_agreed_action_without_a_supervision_being_prepared(chat, world):
    morag = chat(world.morag)
    turn = morag.run(
        ActionAddAgreedAction(), text="Sam to ring the school", intent="add_agreed_action"
    )
    assert (turn.slots["supervision_step"], turn.control_result) == ("refused", "no_session")


def test_stopping_and_coming_back_carries_on_where_it_stopped(chat, world, new_conversation):
    morag = prepared(chat, world)
    answer(morag, "A first note.")
    answer(morag, "A second note.")
    morag.active_loop = None  # "stop": the rule deactivates the form

    again = morag.run(
        ActionPrepareSupervision(),
        text="carry on with supervision prep for Sam",
        intent="prepare_supervision",
    )
    assert again.control_result == "resumed"
    assert current(morag)["question_id"] == "sup_q3"

    # No name: the supervision this chat was preparing.
    morag.run(
        ActionPrepareSupervision(), text="back to supervision prep", intent="prepare_supervision"
    )
    assert morag.slots["sup_worker_id"] == world.sam
    assert current(morag)["question_id"] == "sup_q3"

    # Another chat (a new browser, a restart): the notes already made are not asked again.
    fresh = prepared(chat, world)
    assert current(fresh)["question_id"] == "sup_q3"
    assert len(sessions()) == 1


def test_more_questions_on_request(chat, world):
    morag = prepared(chat, world)
    morag.active_loop = None
    turn = morag.run(
        ActionMoreQuestions(),
        text="/request_more_questions",
        intent="request_more_questions",
        entities={"choice": "team_around_child"},
    )
    assert turn.slots["supervision_step"] == "ready"
    ids = [item["question_id"] for item in morag.slots["sup_queue"][:5]]
    assert ids == set_question_ids("team_around_child")
    assert morag.slots["sup_sets"] == ["team_around_child"]

    both = morag.run(
        ActionMoreQuestions(), text="more questions please", intent="request_more_questions"
    )
    queued = [i.get("set_id") for i in both.slots["sup_queue"]]
    assert queued.count("organisation") == len(set_question_ids("organisation"))
    [message] = morag.run(ActionAskSupNote()).messages
    assert question_yaml("tac_q1")["text"] in message["text"]


def test_more_questions_without_a_supervision_being_prepared(chat, world):
    morag = chat(world.morag)
    turn = morag.run(
        ActionMoreQuestions(), text="team around the child", intent="request_more_questions"
    )
    assert turn.control_result == "no_session"


# --- the agenda ------------------------------------------------------------------------


@pytest.fixture
def agenda_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "agendas"
    monkeypatch.setenv("SUPERVISION_AGENDA_DIR", str(folder))
    monkeypatch.delenv("SUPERVISION_AGENDA_BASE_URL", raising=False)
    get_settings.cache_clear()
    yield folder
    get_settings.cache_clear()


def test_make_the_agenda_writes_html_and_pdf_with_unguessable_names(chat, world, agenda_dir):
    morag = prepared(chat, world)
    answer(morag, "Joint visits from now on.")
    turn = morag.run(ActionMakeAgenda(), text="make the agenda", intent="request_agenda")

    assert turn.control_result == "agenda_made"
    html, pdf = Path(turn.slots["agenda_html"]), Path(turn.slots["agenda_pdf"])
    assert html.parent == agenda_dir and pdf.parent == agenda_dir
    assert re.fullmatch(r"agenda-\d{8}-[\w-]{24}\.html", html.name)
    assert pdf.name == html.name.replace(".html", ".pdf")
    assert html.stat().st_mode & 0o077 == 0
    page = html.read_text(encoding="utf-8")
    assert "CP-100" in page and "Joint visits from now on." in page
    assert PRIVATE not in page
    assert pdf.read_bytes().startswith(b"%PDF")

    second = morag.run(ActionMakeAgenda(), text="make the agenda", intent="request_agenda")
    assert second.slots["agenda_html"] != turn.slots["agenda_html"]


def test_the_agenda_links_when_a_web_server_publishes_the_folder(
    chat, world, agenda_dir, monkeypatch
):
    monkeypatch.setenv("SUPERVISION_AGENDA_BASE_URL", "https://example.org/agendas/")
    get_settings.cache_clear()
    morag = prepared(chat, world)
    turn = morag.run(ActionMakeAgenda(), text="make the agenda", intent="request_agenda")
    assert turn.control_result == "agenda_linked"
    name = Path(turn.slots["agenda_html"]).name
    assert turn.slots["agenda_html_link"] == f"https://example.org/agendas/{name}"


def test_no_agenda_without_a_supervision_being_prepared(chat, world, agenda_dir):
    turn = chat(world.morag).run(
        ActionMakeAgenda(), text="make the agenda", intent="request_agenda"
    )
    assert turn.control_result == "no_session"
    assert not agenda_dir.exists()


def test_no_agenda_for_another_supervisors_chat(chat, world, agenda_dir):
    morag = prepared(chat, world)
    pat = chat(world.pat)
    pat.slots = dict(morag.slots)
    turn = pat.run(ActionMakeAgenda(), text="make the agenda", intent="request_agenda")
    assert turn.control_result == "not_yours"
    assert not agenda_dir.exists()


# --- completing ------------------------------------------------------------------------


def test_completing_the_supervision(chat, world):
    morag = prepared(chat, world)
    morag.active_loop = None
    turn = morag.run(
        ActionCompleteSupervision(), text="complete the supervision", intent="complete_supervision"
    )
    assert turn.control_result == "completed"
    [session] = sessions()
    assert session.status == "completed"
    assert morag.slots["sup_session_id"] is None

    again = morag.run(
        ActionCompleteSupervision(), text="complete the supervision", intent="complete_supervision"
    )
    assert again.control_result == "no_session"


def test_every_text_said_is_free_of_unfilled_placeholders(chat, world):
    morag = prepared(chat, world)
    seen = [all_text(morag.run(ActionAskSupNote()))]
    for _ in range(len(morag.slots["sup_queue"])):
        item = current(morag)
        if item is None:
            break
        seen.append(all_text(morag.run(ActionAskSupNote())))
        answer(morag, "none" if item["kind"] == "action" else "skip", intent="skip_question")
    joined = "\n".join(seen) + morag.slots["sup_summary"]
    assert "{" not in joined and "}" not in joined
