"""End to end: both servers started, a debrief held through the REST channel as a new
user would type it, and the stored rows checked. Needs the trained model (make test
trains it first). The ``servers`` fixture is in conftest.py."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid

import pytest
from sqlalchemy import func, select

from actions.store import db
from actions.store.models import Answer, Concern, Debrief
from devtools.servers import BotServers
from devtools.worker import SimulatedWorker

pytestmark = pytest.mark.e2e


def new_worker(bot: BotServers, **answers: str) -> SimulatedWorker:
    worker = SimulatedWorker(
        rest_url=bot.rest_url, sender=f"worker-{uuid.uuid4().hex[:8]}", token_for=bot.token_for
    )
    worker.answers.update(answers)
    return worker


def texts(replies: list[dict]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def latest_debrief(session, sender: str) -> Debrief | None:
    query = select(Debrief).where(Debrief.sender_id == sender).order_by(Debrief.started_at.desc())
    return session.execute(query).scalars().first()


def stored(bot: BotServers, sender: str):
    with db.session_scope(bot.database_url) as session:
        debrief = latest_debrief(session, sender)
        assert debrief is not None, f"no debrief stored for {sender}"
        answers = {
            a.question_id: (a.value, a.free_text)
            for a in session.execute(
                select(Answer).where(Answer.debrief_id == debrief.id)
            ).scalars()
        }
        concerns = {
            c.code
            for c in session.execute(
                select(Concern).where(Concern.debrief_id == debrief.id)
            ).scalars()
        }
        return debrief.status, answers, concerns


def shared_with_supervisor(bot: BotServers, sender: str) -> tuple[set[str], bool]:
    """The ids of the worker's shared answers, and whether they asked to talk about the
    impact of the work on them (their latest debrief)."""
    with db.session_scope(bot.database_url) as session:
        debrief = latest_debrief(session, sender)
        shared = {a.question_id for a in debrief.answers if a.shared_at is not None}
        return shared, debrief.impact_requested_at is not None


def test_complete_debrief_is_stored_answer_by_answer(servers):
    worker = new_worker(
        servers, share_answers="just what I want to take to supervision", impact_talk="yes"
    )
    asked = worker.hold_debrief()

    assert asked[:3] == ["worker_safe_now", "threatened_or_hurt", "case_reference"], "safety first"
    assert "unseen_child_reason" in asked, "child not seen alone opens the unseen-child set"
    assert "rr_deflect_to_adults" not in asked, "no ready reckoner without disguised compliance"
    summary = texts(worker.turns[-1].replies)
    assert "summary of your debrief for case CP-2231" in summary
    assert "Next steps you set" in summary

    status, answers, concerns = stored(servers, worker.sender)
    assert status == "completed"
    assert set(answers) == set(asked), "every question asked has exactly one stored answer"
    assert answers["child_seen_alone"] == ("no", None)
    assert answers["what_happened"][1] == worker.answers["what_happened"]
    assert {"unseen_child", "worker_relief", "hidden_men"} <= concerns
    assert asked[-2:] == ["share_answers", "impact_talk"], "the worker chooses what is shared"
    assert answers["share_answers"][0] == "for_supervision"
    assert shared_with_supervisor(servers, worker.sender) == ({"for_supervision"}, True)


Decision = tuple[str, str | None] | tuple[str, str | None, str | None]


def review_replies(worker: SimulatedWorker, decisions: list[Decision]) -> str:
    """Answer each "Concern k of n" prompt with the next decision (and note, and after a
    note added as context, whether to take it to supervision)."""
    said = texts(worker.turns[-1].replies)
    for decision, note, *share in decisions:
        if "Concern " not in said:
            break
        said = texts(worker.send(decision))
        if note is not None:
            said = texts(worker.send(note))
        if share and share[0] is not None:
            assert "take this concern to supervision with your note" in said
            said = texts(worker.send(share[0]))
    return said


def test_worker_reviews_each_concern_and_nothing_is_deleted(servers):
    worker = new_worker(servers)
    worker.hold_debrief()
    assert "Concern 1 of" in texts(worker.turns[-1].replies)
    closing = review_replies(
        worker,
        [
            ("Take to supervision", None),
            ("I'd like to add some context", "Mum has just been bereaved.", "/affirm"),
            ("it doesn't apply", "The nursery saw him alone on Monday."),
            ("add context", "PRIVATE she asked me not to say.", "no"),
        ]
        + [("decide later", None)] * 10,
    )
    assert "Your choices are saved" in closing

    with db.session_scope(servers.database_url) as session:
        rows = (
            session.execute(select(Concern).join(Debrief).where(Debrief.sender_id == worker.sender))
            .scalars()
            .all()
        )
        statuses = {(c.status, c.worker_note, c.note_shared_at is not None) for c in rows}
    assert ("for_supervision", None, False) in statuses
    assert ("for_supervision", "Mum has just been bereaved.", True) in statuses, "shared on yes"
    assert ("not_applicable", "The nursery saw him alone on Monday.", False) in statuses
    assert ("open", "PRIVATE she asked me not to say.", False) in statuses, "private on no"


def test_threatened_worker_hears_safety_message_at_once(servers):
    worker = new_worker(servers)
    worker.send("start a debrief")
    worker.send("yes")  # safe now
    replies = worker.send("yes")  # threatened or hurt
    said = texts(replies)
    assert "tell your manager" in said and "lone-working" in said
    assert worker.asked_question(replies) == "continue_after_safety"
    replies = worker.send("no")  # would rather not carry on now
    assert "stop the questions here" in texts(replies)
    status, _, concerns = stored(servers, worker.sender)
    assert status == "paused"
    assert {"worker_fear", "hostility"} <= concerns


def test_controls_why_skip_back_and_out_of_scope(servers):
    worker = new_worker(servers)
    worker.send("hiya")
    replies = worker.send("I need to debrief")
    assert worker.asked_question(replies) == "worker_safe_now"

    replies = worker.send("why are you asking me that")
    assert "Why I ask" in texts(replies)
    assert worker.asked_question(replies) == "worker_safe_now", "the question is asked again"

    worker.send("yes")
    replies = worker.send("skip this one")
    assert worker.asked_question(replies) == "case_reference"

    replies = worker.send("go back")
    assert worker.asked_question(replies) == "threatened_or_hurt"
    replies = worker.send("no")
    assert worker.asked_question(replies) == "case_reference"
    replies = worker.send("CP-5150")
    assert worker.asked_question(replies) == "visit_date"

    replies = worker.send("what's the weather like in Glasgow")
    assert worker.asked_question(replies) == "visit_date"
    replies = worker.send("are you a bot?")
    assert "automated assistant" in texts(replies)
    assert worker.asked_question(replies) == "visit_date"

    _, answers, _ = stored(servers, worker.sender)
    assert answers["threatened_or_hurt"] == ("no", None), "the changed answer replaced the skip"


def test_repeated_message_does_not_duplicate_an_answer(servers):
    worker = new_worker(servers)
    worker.send("start debrief")
    worker.send("yes")
    worker.send("no")
    worker.send("CP-4040")
    worker.send("go back")
    worker.send("CP-4040")
    with db.session_scope(servers.database_url) as session:
        count = session.execute(
            select(func.count(Answer.id))
            .join(Debrief, Debrief.id == Answer.debrief_id)
            .where(Debrief.sender_id == worker.sender, Answer.question_id == "case_reference")
        ).scalar_one()
    assert count == 1


def test_pause_restart_both_servers_and_resume_at_the_same_question(servers):
    worker = new_worker(servers)
    worker.send("new debrief")
    for question_id in ("worker_safe_now", "threatened_or_hurt", "case_reference"):
        worker.send(worker.answer_for(question_id))
    replies = worker.send("pause")
    assert "Paused" in texts(replies)

    servers.stop(hard=True)
    servers.start()

    replies = worker.send("resume")
    assert "Welcome back" in texts(replies)
    assert worker.asked_question(replies) == "visit_date"
    status, answers, _ = stored(servers, worker.sender)
    assert status == "in_progress"
    assert set(answers) == {"case_reference", "worker_safe_now", "threatened_or_hurt"}


CONCERN_FREE_ANSWERS = {
    "worker_safe_now": "yes",
    "threatened_or_hurt": "no",
    "access_gained": "yes",
    "child_seen": "yes",
    "child_seen_alone": "yes",
    "bedroom_seen": "yes",
    "resistance_type": "none",
    "felt_afraid": "no",
    "felt_relief": "no",
    "manager_aware_of_impact": "yes",
    "child_views_known": "yes",
    "key_people_seen": "yes",
    "men_engaged": "yes",
    "closure_considered": "no",
    "what_happened": "We sat in the kitchen with mum and went through the plan together.",
    "feelings_now": "fine, it went well",
    "child_experience": "He seems settled and happy at home.",
    "impact_of_resistance_on_child": "Not much at the moment, he is doing well at nursery.",
    "who_present": "mum and the two kids",
}


def test_debrief_with_no_concerns_closes_kindly(servers):
    worker = new_worker(servers, **CONCERN_FREE_ANSWERS)
    worker.hold_debrief()
    said = texts(worker.turns[-1].replies)
    assert "none were raised" in said
    assert "Concern 1 of" not in said
    assert "Take care of yourself" in said
    status, _, concerns = stored(servers, worker.sender)
    assert status == "completed"
    assert concerns == set()


def test_child_unseen_alone_on_two_visits_running_is_flagged_at_once(servers):
    sender = f"worker-{uuid.uuid4().hex[:8]}"
    unseen = {"case_reference": "CP-9100", "child_seen_alone": "no"}
    first = new_worker(servers, **unseen)
    first.sender = sender
    first.hold_debrief()
    review_replies(first, [("decide later", None)] * 12)

    second = new_worker(servers, **unseen, resistance_type="disguised compliance")
    second.sender = sender
    second.send("I need to debrief another visit")
    said = ""
    while True:
        question = second.asked_question(second.turns[-1].replies)
        if question is None or question == "bedroom_seen":
            break
        said = texts(second.send(second.answer_for(question)))
    # Said straight after "seen alone?" was answered, before the next question.
    assert "looking across this case's visits" in said
    assert "Child not seen alone on the visits" in said
    assert "working day" in said


def post_raw(bot: BotServers, body: bytes, sender: str = "someone") -> tuple[int, dict]:
    request = urllib.request.Request(
        bot.rest_url,
        data=body,
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {bot.token_for(sender)}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, {}
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read().decode() or "{}")


def test_bad_input_gets_a_clear_answer_and_loses_nothing(servers):
    assert 400 <= post_raw(servers, b"{this is not json")[0] < 500

    worker = new_worker(servers)
    worker.send("start a debrief")
    worker.send("yes")
    worker.send("no")
    worker.send("CP-3141")
    for question_id in ("visit_date", "visit_type", "access_gained", "who_present"):
        worker.send(worker.answer_for(question_id))
    replies = worker.send("yes")  # child seen
    assert worker.asked_question(replies) == "child_seen_alone"
    worker.send("no")
    worker.send("no")
    replies = worker.send("avoidance")
    assert worker.asked_question(replies) == "what_happened"

    # Past the channel's limit (20,000 characters): refused at the door with a plain
    # message, and the conversation is where it was.
    status, body = post_raw(
        servers, json.dumps({"message": "x" * 100_000}).encode(), sender=worker.sender
    )
    assert status == 413
    assert (
        "longer than I can take" in body["message"] and "Nothing has been lost" in body["message"]
    )
    # Past the answer's limit (10,000 characters): the question is asked again.
    replies = worker.send("x" * 12_000)
    assert "more than I can take in one message" in texts(replies)
    assert worker.asked_question(replies) == "what_happened", "asked again, nothing lost"

    markup = "<script>alert('hi')</script> mum said 😡 \u202e and ​ left"
    replies = worker.send(markup)
    assert worker.asked_question(replies) == "feelings_now"
    _, answers, _ = stored(servers, worker.sender)
    # Markup and emoji are kept as plain text; only invisible control and direction
    # characters (which can disguise text) are dropped.
    assert answers["what_happened"][1] == "<script>alert('hi')</script> mum said 😡  and  left"
