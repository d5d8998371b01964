"""Many action-server threads writing to one SQLite file at once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from actions.store import db, repository
from actions.store.models import Answer, AnswerRevision, Debrief, Person

WORKERS = 20
QUESTIONS = 10
CHANGED = 3  # answers each worker changes afterwards


def one_workers_debrief(url: str, number: int, start: threading.Barrier) -> None:
    sender = f"worker-{number}"
    with db.session_scope(url) as s:
        person = repository.get_or_create_person_for_sender(s, "rest", sender)
        case = repository.get_or_create_case(s, f"case {number}", person)
        debrief_id = repository.start_debrief(s, person, case, sender).id
    start.wait()
    # One short transaction per answer, as the action server does.
    for question in range(QUESTIONS):
        with db.session_scope(url) as s:
            repository.record_answer(s, debrief_id, f"q{question}", "yes")
        with db.session_scope(url) as s:  # a repeat (e.g. a retried action)
            repository.record_answer(s, debrief_id, f"q{question}", "yes")
    for question in range(CHANGED):
        with db.session_scope(url) as s:
            repository.record_answer(s, debrief_id, f"q{question}", "no", "changed my mind")
    with db.session_scope(url) as s:
        repository.set_debrief_status(s, debrief_id, "completed")


def test_concurrent_writers_on_one_sqlite_file(sqlite_file_url):
    db.upgrade_database(sqlite_file_url)
    # All threads start writing together; a thread that fails breaks the barrier.
    start = threading.Barrier(WORKERS, timeout=60)

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        runs = [
            pool.submit(one_workers_debrief, sqlite_file_url, number, start)
            for number in range(WORKERS)
        ]
        for run in runs:
            run.result(timeout=120)  # re-raises a thread's error, e.g. "database is locked"

    with db.session_scope(sqlite_file_url) as s:

        def count(model):
            return s.execute(select(func.count()).select_from(model)).scalar_one()

        assert count(Person) == WORKERS
        assert count(Answer) == WORKERS * QUESTIONS
        assert count(AnswerRevision) == WORKERS * CHANGED
        statuses = s.execute(select(Debrief.status)).scalars().all()
        assert statuses == ["completed"] * WORKERS
