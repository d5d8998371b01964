"""Faults on the development profile (SQLite records and tracker store, one Rasa server):
the action server restarted mid-debrief, and many debriefs at once."""

from __future__ import annotations

import re
import signal

import pytest

from tests.faults.conftest import ANSWERS, DEBRIEFS
from tests.faults.harness import (
    OPENING,
    FaultServers,
    concurrent_debriefs,
    new_worker,
    stored_answers,
    stored_totals,
)

pytestmark = [pytest.mark.faults, pytest.mark.e2e]

# What a worker should read when a turn could not be completed (issue 6).
TRY_AGAIN = re.compile(r"try again|send it again|again in a moment", re.IGNORECASE)


@pytest.fixture(scope="module")
def bot(model, tmp_path_factory):
    servers = FaultServers(workdir=tmp_path_factory.mktemp("faults-sqlite"), model=model)
    servers.start(timeout=600)
    yield servers
    servers.stop()


def _to_question(worker, question: str, timeout: float = 180) -> list[dict]:
    """Start a debrief and answer until the bot asks ``question``."""
    replies = worker.send(OPENING, timeout=timeout)
    while (asked := worker.asked_question(replies)) != question:
        assert asked is not None, f"no question asked before {question}: {replies}"
        replies = worker.send(worker.answer_for(asked), timeout=timeout)
    return replies


@pytest.fixture(scope="module")
def action_server_restart(bot):
    """A debrief at visit_date; the action server killed; the answer sent while it is
    down; the action server started again; the same answer sent again."""
    worker = new_worker(bot)
    _to_question(worker, "visit_date")
    before = stored_answers(bot.database_url, worker.sender)
    bot.kill("actions", signal.SIGKILL)
    down_replies = worker.send(worker.answer_for("visit_date"), timeout=180)
    bot.start_actions()
    again = worker.send(worker.answer_for("visit_date"), timeout=180)
    after_resend = stored_answers(bot.database_url, worker.sender)
    following = worker.send(worker.answer_for(worker.asked_question(again) or "visit_type"))
    return {
        "worker": worker,
        "before": before,
        "down_replies": down_replies,
        "again": again,
        "after_resend": after_resend,
        "following": following,
        "after": stored_answers(bot.database_url, worker.sender),
    }


def test_action_server_restart_loses_and_duplicates_no_answer(action_server_restart):
    run = action_server_restart
    worker = run["worker"]
    assert set(run["before"]) == {"worker_safe_now", "threatened_or_hurt", "case_reference"}
    assert worker.asked_question(run["again"]) == "visit_type", (
        "after the restart, the answer sent again is taken for the same question"
        f" and the debrief goes on: {run['again']}"
    )
    assert run["after_resend"] == {**run["before"], "visit_date": 1}, "stored exactly once"
    assert worker.asked_question(run["following"]) == "access_gained"
    assert run["after"] == {**run["before"], "visit_date": 1, "visit_type": 1}


def test_action_server_down_tells_the_worker_to_try_again(action_server_restart):
    said = " ".join(r.get("text", "") for r in action_server_restart["down_replies"])
    assert TRY_AGAIN.search(said), f"the worker was told: {action_server_restart['down_replies']!r}"


def test_concurrent_debriefs_on_sqlite(bot):
    results = concurrent_debriefs(bot, DEBRIEFS, ANSWERS)
    errors = [r.error for r in results if r.error]
    assert not errors, f"{len(errors)} of {DEBRIEFS} debriefs failed, e.g. {errors[:3]}"
    senders = [r.worker.sender for r in results]
    answers, revisions, debriefs = stored_totals(bot.database_url, senders)
    assert (answers, revisions, debriefs) == (DEBRIEFS * ANSWERS, 0, DEBRIEFS), (
        "one debrief per worker and one row per answer sent, no revision"
    )
    for result in results[:: max(1, DEBRIEFS // 10)]:
        stored = stored_answers(bot.database_url, result.worker.sender)
        assert stored == {q: 1 for q in result.answered}
    assert "database is locked" not in bot.logs().lower()
