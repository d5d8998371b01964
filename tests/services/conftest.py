"""Fixtures for the service tests: the services open their own sessions on a fresh
in-memory database (``service_db``), and ``world`` puts invented people in it."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from actions.store import people, sharing
from actions.store.db import session_scope
from actions.store.models import Person
from tests.store_fixtures import (  # noqa: F401 - fixtures
    add_debrief,
    add_person,
    fresh_store_state,
    service_db,
    share_concern,
)


@pytest.fixture(autouse=True)
def database(service_db):  # noqa: F811 - the imported fixture
    return service_db


@pytest.fixture
def world():
    """Sam (supervisor) supervises Jo and Jody; Pat (supervisor) supervises Lee; Ana is
    an administrator. Returns their ids by first name."""
    with session_scope() as s:
        sam = add_person(s, "sam.k", "Sam Kerr", "supervisor")
        pat = add_person(s, "pat.d", "Pat Doyle", "supervisor")
        jo = add_person(s, "jo.b", "Jo Bell")
        jody = add_person(s, "jody.r", "Jody Reid")
        lee = add_person(s, "lee.m", "Lee Moss")
        ana = add_person(s, "ana.a", "Ana Admin", "administrator")
        people.assign_supervisor(s, sam, jo)
        people.assign_supervisor(s, sam, jody)
        people.assign_supervisor(s, pat, lee)
        return SimpleNamespace(
            sam=sam.id, pat=pat.id, jo=jo.id, jody=jody.id, lee=lee.id, ana=ana.id
        )


PRIVATE = "PRIVATE"  # every private text below contains it; nothing shared does


@pytest.fixture
def jo_records(world):
    """Jo's debriefs (all invented). CP-100: two visits, some concerns and answers
    shared; CP-200: nothing shared. Returns the ids that tests need."""
    with session_scope() as s:
        jo = s.get(Person, world.jo)
        first = add_debrief(
            s,
            jo,
            "CP-100",
            answers={
                "rr_fail_to_attend": "yes",
                "rr_prevent_child_alone": "yes",
                "feelings_now": ("text", "PRIVATE shaken, did not sleep"),
                "for_supervision": ("text", "The door being blocked on the way out."),
            },
            concerns=[
                ("worker_fear", "The worker was threatened on this visit."),
                ("hostility", "Dad blocked the door and shouted."),
                ("unseen_child", "PRIVATE the child was asleep upstairs."),
            ],
            urgent=("worker_fear",),
            visit_date=date(2026, 3, 2),
            days_ago=20,
        )
        share_concern(s, first, "worker_fear")
        share_concern(s, first, "hostility", note="It was the second time this month.")
        sharing.share_answer(s, first.id, "for_supervision")
        second = add_debrief(
            s,
            jo,
            "cp-100",
            answers={
                "rr_fail_to_attend": "yes",
                "rr_deflect_to_adults": "yes",
                "rr_say_see_dont_add_up": "yes",
            },
            concerns=[
                ("avoidance", "The family cancelled twice."),
                ("disguised_compliance", "PRIVATE mum agreed to everything again."),
            ],
            visit_date=date(2026, 3, 17),
            days_ago=5,
        )
        avoidance = share_concern(s, second, "avoidance")
        avoidance.worker_note = "PRIVATE I think they are moving house."
        sharing.request_impact_talk(s, second.id)
        other = add_debrief(
            s,
            jo,
            "CP-200",
            concerns=[("drift", "PRIVATE nothing has changed in months.")],
            answers={"for_supervision": ("text", "PRIVATE not sure yet")},
        )
        return {
            "first": first.id,
            "second": second.id,
            "other": other.id,
            "case": first.case_id,
            "other_case": other.case_id,
            "concerns": {c.code: c.id for d in (first, second, other) for c in d.concerns},
        }
