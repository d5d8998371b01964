"""Invented people and records for the supervision and my-view action tests, and a small
chat that carries slots from one action to the next the way Rasa does.

Morag (supervisor) supervises Sam and Jo; Pat (supervisor) supervises Lee. Sam's case
CP-100 has shared concerns, a shared note and a request to talk about the impact of the
work; everything private contains the word PRIVATE; CP-200 has nothing shared. Every
name and case is invented.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rasa_sdk import Action
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.settings import PROJECT_ROOT
from actions.store import people, sharing
from actions.store.db import session_scope
from actions.store.models import AgreedAction, AuditEntry, SupervisionNote, SupervisionSession
from tests.actions.action_helpers import (
    CHANNEL,
    Turn,
    domain_as_sent,
    merge_domains,
    read_yaml,
    slot_events,
)
from tests.store_fixtures import add_debrief, add_person, share_concern

PRIVATE = "PRIVATE"


def full_domain() -> dict:
    """Every domain file merged as Rasa does (the debrief's tests load two of them)."""
    return merge_domains(*(read_yaml(p) for p in sorted((PROJECT_ROOT / "domain").glob("*.yml"))))


@dataclass(frozen=True)
class World:
    morag: str
    pat: str
    sam: str
    jo: str
    lee: str
    case: str  # Sam's CP-100
    other_case: str  # Sam's CP-200, nothing shared
    concerns: dict[str, str]  # code -> id, Sam's CP-100 and CP-200


def seed() -> World:
    with session_scope() as s:
        morag = add_person(s, "morag.r", "Morag Reid", "supervisor")
        pat = add_person(s, "pat.d", "Pat Doyle", "supervisor")
        sam = add_person(s, "sam.k", "Sam Kerr")
        jo = add_person(s, "jo.b", "Jo Bell")
        lee = add_person(s, "lee.m", "Lee Moss")
        people.assign_supervisor(s, morag, sam)
        people.assign_supervisor(s, morag, jo)
        people.assign_supervisor(s, pat, lee)
        first = add_debrief(
            s,
            sam,
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
            sam,
            "CP-100",
            answers={"rr_fail_to_attend": "yes", "rr_deflect_to_adults": "yes"},
            concerns=[
                ("avoidance", "The family cancelled twice."),
                ("disguised_compliance", "PRIVATE mum agreed to everything again."),
            ],
            visit_date=date(2026, 3, 17),
            days_ago=5,
        )
        share_concern(s, second, "avoidance")
        sharing.request_impact_talk(s, second.id)
        other = add_debrief(
            s,
            sam,
            "CP-200",
            concerns=[("drift", "PRIVATE nothing has changed in months.")],
            answers={"for_supervision": ("text", "PRIVATE not sure yet")},
        )
        lees = add_debrief(
            s, lee, "CP-900", concerns=[("hostility", "Lee's family shouted at the door.")]
        )
        share_concern(s, lees, "hostility")
        return World(
            morag=morag.id,
            pat=pat.id,
            sam=sam.id,
            jo=jo.id,
            lee=lee.id,
            case=first.case_id,
            other_case=other.case_id,
            concerns={c.code: c.id for d in (first, second, other) for c in d.concerns},
        )


@dataclass
class Chat:
    """One person's chat as the action server sees it. The sender id is the person's id,
    as the token-verified channels send it; slots the actions set are carried on (and
    must be domain slots)."""

    make_tracker: Any
    domain: dict
    sender_id: str
    slots: dict[str, Any] = field(default_factory=dict)
    active_loop: str | None = None

    def run(
        self,
        action: Action,
        text: str | None = None,
        intent: str | None = None,
        entities: dict[str, str] | None = None,
        candidates: dict[str, Any] | None = None,
        confidence: float = 1.0,
    ) -> Turn:
        tracker = self.make_tracker(
            slots=self.slots,
            text=text,
            intent=intent,
            active_loop=self.active_loop,
            candidates=candidates,
            sender_id=self.sender_id,
            channel=CHANNEL,
        )
        if intent:
            tracker.latest_message["intent"]["confidence"] = confidence
        tracker.latest_message["entities"] = [
            {"entity": name, "value": value} for name, value in (entities or {}).items()
        ]
        dispatcher = CollectingDispatcher()
        sent = domain_as_sent(action.name(), self.domain)
        events = asyncio.run(action.run(dispatcher, tracker, sent)) or []
        turn = Turn(list(events), dispatcher.messages)
        known = set(self.domain["slots"]) | {"requested_slot"}
        for name, value in slot_events(turn.events).items():
            assert name in known, f"{name} is not a domain slot"
            self.slots[name] = value
        return turn


# --- reading the records back ----------------------------------------------------------


def notes() -> list[SupervisionNote]:
    with session_scope() as s:
        return list(s.execute(select(SupervisionNote)).scalars())


def agreed_actions() -> list[AgreedAction]:
    with session_scope() as s:
        return list(s.execute(select(AgreedAction)).scalars())


def sessions() -> list[SupervisionSession]:
    with session_scope() as s:
        return list(s.execute(select(SupervisionSession)).scalars())


def audit_rows() -> list[AuditEntry]:
    with session_scope() as s:
        return list(s.execute(select(AuditEntry)).scalars())


def all_text(turn: Turn) -> str:
    texts = [m.get("text") or "" for m in turn.messages]
    texts += [str(v) for v in turn.slots.values() if isinstance(v, str)]
    return "\n".join(texts)
