"""Helpers shared by the action tests (imported by name; the module name is unique across
the test folders). Expected texts are read from the YAML files themselves, not through
the code under test, so a loader that mangled them would be caught."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select

from actions.debrief_form import ValidateDebriefForm
from actions.debrief_state import bank
from actions.settings import PROJECT_ROOT
from actions.store.db import session_scope
from actions.store.models import (
    Answer,
    AnswerRevision,
    Case,
    ChatIdentity,
    Concern,
    Debrief,
    Person,
)

SENDER = "worker-1"
CHANNEL = "rest"
CASE_REFERENCE = "CP-2231"
FORM = "debrief_form"

TrackerFactory = Callable[..., Tracker]

DOMAIN_FILES = (PROJECT_ROOT / "domain" / "core.yml", PROJECT_ROOT / "domain" / "debrief.yml")
PROMPTS_FILE = PROJECT_ROOT / "actions" / "bank" / "prompts.yml"
QUESTIONS_DIR = PROJECT_ROOT / "actions" / "bank" / "questions"
CATALOGUE_FILE = PROJECT_ROOT / "actions" / "concerns" / "catalogue.yml"
RULES_DIR = PROJECT_ROOT / "data" / "rules"


YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: faster


def read_yaml(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)


def squash(text: str) -> str:
    """Whitespace collapsed, as the bot says a folded YAML paragraph."""
    return " ".join(str(text).split())


# --- domain ------------------------------------------------------------------------


def merge_domains(*documents: dict) -> dict:
    """Rasa's merge of domain files: mappings are joined, lists concatenated."""
    merged: dict = {}
    for document in documents:
        for key, value in document.items():
            if isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key] = {**merged[key], **value}
            elif isinstance(value, list) and isinstance(merged.get(key), list):
                merged[key] = merged[key] + value
            else:
                merged[key] = copy.deepcopy(value)
    return merged


@lru_cache(maxsize=1)
def _domain() -> dict:
    return merge_domains(*(read_yaml(path) for path in DOMAIN_FILES))


def load_domain() -> dict:
    """Both domain files merged into one dict (a fresh copy: actions may not mutate it)."""
    return copy.deepcopy(_domain())


# --- bank, prompts, catalogue, straight from YAML ------------------------------------


@lru_cache(maxsize=1)
def _prompts() -> dict:
    return read_yaml(PROMPTS_FILE)


def prompt(key: str) -> str:
    """A top-level text of prompts.yml, as said."""
    return squash(_prompts()[key])


def answer_problem(reason: str) -> str:
    return squash(_prompts()["answer_problems"][reason])


def yes_no_buttons() -> list[dict]:
    return copy.deepcopy(_prompts()["yes_no_buttons"])


@lru_cache(maxsize=1)
def bank_yaml() -> tuple[dict, dict]:
    """(questions by id, sets by id) from the question files, with each question's set."""
    questions: dict[str, dict] = {}
    sets: dict[str, dict] = {}
    for path in sorted(QUESTIONS_DIR.glob("*.yml")):
        document = read_yaml(path)
        header = dict(document["set"])
        header["question_ids"] = [q["id"] for q in document["questions"]]
        sets[header["id"]] = header
        for question in document["questions"]:
            questions[question["id"]] = {**question, "set_id": header["id"]}
    return questions, sets


def question_yaml(question_id: str) -> dict:
    return bank_yaml()[0][question_id]


def set_question_ids(set_id: str) -> list[str]:
    return list(bank_yaml()[1][set_id]["question_ids"])


def catalogue_titles() -> dict[str, str]:
    return {c["code"]: squash(c["title"]) for c in read_yaml(CATALOGUE_FILE)["concerns"]}


# --- events ------------------------------------------------------------------------


def slot_events(events: list[dict]) -> dict[str, Any]:
    """The slots the events set (the last value wins)."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


# --- the store, read back in a fresh transaction -----------------------------------


def count(model) -> int:
    with session_scope() as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def debrief_row(debrief_id: str) -> Debrief:
    with session_scope() as session:
        debrief = session.get(Debrief, debrief_id)
        assert debrief is not None, f"no debrief {debrief_id} in the database"
        return debrief


def all_debriefs() -> list[Debrief]:
    with session_scope() as session:
        return list(session.execute(select(Debrief)).scalars())


def stored_answers(debrief_id: str) -> dict[str, tuple[str | None, str | None]]:
    with session_scope() as session:
        query = select(Answer).where(Answer.debrief_id == debrief_id)
        return {a.question_id: (a.value, a.free_text) for a in session.execute(query).scalars()}


def revisions(debrief_id: str, question_id: str) -> list[tuple[str | None, str | None]]:
    with session_scope() as session:
        query = (
            select(AnswerRevision)
            .join(Answer)
            .where(Answer.debrief_id == debrief_id, Answer.question_id == question_id)
            .order_by(AnswerRevision.replaced_at)
        )
        return [(r.previous_value, r.previous_free_text) for r in session.execute(query).scalars()]


def stored_concerns(debrief_id: str) -> list[Concern]:
    with session_scope() as session:
        query = select(Concern).where(Concern.debrief_id == debrief_id)
        return list(session.execute(query).scalars())


def person_for(sender_id: str = SENDER, channel: str = CHANNEL) -> Person | None:
    with session_scope() as session:
        query = select(ChatIdentity).where(
            ChatIdentity.channel == channel, ChatIdentity.sender_id == sender_id
        )
        identity = session.execute(query).scalars().one_or_none()
        return identity.person if identity is not None else None


def cases_of(person_id: str) -> list[Case]:
    with session_scope() as session:
        return list(session.execute(select(Case).where(Case.owner_id == person_id)).scalars())


# --- running actions ----------------------------------------------------------------


@dataclass
class Turn:
    events: list[dict]
    messages: list[dict]

    @property
    def slots(self) -> dict[str, Any]:
        return slot_events(self.events)

    @property
    def texts(self) -> list[str]:
        return [m["text"] for m in self.messages]

    @property
    def control_result(self) -> Any:
        return self.slots.get("control_result")


@lru_cache(maxsize=1)
def selective_domain() -> bool:
    """Whether endpoints.yml has Rasa send the domain only to the actions that ask."""
    endpoint = read_yaml(PROJECT_ROOT / "endpoints.yml")["action_endpoint"]
    return bool(endpoint.get("enable_selective_domain", False))


def domain_as_sent(action_name: str, domain: dict) -> dict:
    """The domain Rasa sends with a call to `action_name` (rasa/core/actions/action.py,
    `_action_call_format`): all of it, or with selective domain only to actions listed
    as `{name: {send_domain: true}}`; the action server reads the missing domain as {}."""
    if not selective_domain():
        return copy.deepcopy(domain)
    for entry in domain.get("actions", []):
        if isinstance(entry, dict) and entry.get(action_name, {}).get("send_domain"):
            return copy.deepcopy(domain)
    return {}


def run_action(action: Action, tracker: Tracker, domain: dict) -> Turn:
    """Run one action as the action server does (asyncio.run: no pytest-asyncio here),
    with the domain Rasa would send it."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain_as_sent(action.name(), domain)))
    events = events or []
    return Turn(list(events), dispatcher.messages)


def quiet_answer(question_id: str) -> str:
    """An answer that raises no concern and keeps the path short."""
    question = question_yaml(question_id)
    kind = question["type"]
    if kind == "yes_no":
        raising = {v for rule in question.get("raises", []) for v in rule["when"]}
        raising |= set(question.get("ends_debrief_when", []))
        if question_id == "offer_deeper_reflection":
            return "no"  # the deeper sets are optional; keep the walk short
        return next(v for v in ("yes", "no", "not_sure") if v not in raising)
    if kind == "case_reference":
        return CASE_REFERENCE
    if kind == "date":
        direction = question.get("date_direction", "any")
        return {"past": "yesterday", "future": "2099-01-31"}.get(direction, "today")
    if kind in ("choice", "multi_choice"):
        ids = [c["id"] for c in question["choices"]]
        return "none" if "none" in ids else ids[0]
    if kind == "scale":
        return str(question["scale"]["min"])
    return f"My notes for {question_id.replace('_', ' ')}."


@dataclass
class Conversation:
    """One worker's chat as the action server sees it: the slots the actions set are
    carried into the next tracker, as Rasa does. Every slot an action sets must be a
    domain slot (Rasa would drop it otherwise)."""

    make_tracker: TrackerFactory
    domain: dict
    sender_id: str = SENDER
    slots: dict[str, Any] = field(default_factory=dict)
    active_loop: str | None = None
    asked: list[str] = field(default_factory=list)

    @property
    def requested(self) -> str | None:
        return self.slots.get("requested_slot")

    def run(self, action: Action, candidates: dict[str, Any] | None = None) -> Turn:
        tracker = self.make_tracker(
            slots=self.slots,
            candidates=candidates,
            active_loop=self.active_loop,
            sender_id=self.sender_id,
        )
        turn = run_action(action, tracker, self.domain)
        for event in turn.events:
            if event["event"] == "slot":
                known = set(self.domain["slots"]) | {"requested_slot"}
                assert event["name"] in known, f"{event['name']} is not a domain slot"
                self.slots[event["name"]] = event["value"]
            elif event["event"] == "active_loop":
                self.active_loop = event["name"]
        return turn

    def start_form(self) -> Turn:
        """The form's first run: nothing to validate, it picks the first question."""
        self.active_loop = FORM
        return self.run(ValidateDebriefForm())

    def answer(self, raw: Any, question_id: str | None = None) -> Turn:
        """The worker answers the requested question (or ``question_id``)."""
        question_id = question_id or self.requested
        assert question_id, "no question is waiting for an answer"
        self.asked.append(question_id)
        return self.run(ValidateDebriefForm(), candidates={question_id: raw})

    def walk(self, answers: dict[str, str] | None = None, until: str | None = None) -> None:
        """Answer question after question (``answers`` first, quiet answers otherwise)
        until the form has nothing left to ask, or ``until`` is the requested question."""
        answers = answers or {}
        if self.active_loop != FORM:
            self.start_form()
        for _ in range(len(bank().questions) + 5):
            question_id = self.requested
            if question_id == until:
                return
            if question_id is None:
                assert until is None, f"{until} was never asked"
                return
            turn = self.answer(answers.get(question_id, quiet_answer(question_id)))
            assert self.slots.get(question_id) is not None, (question_id, turn.texts)
        raise AssertionError("the debrief never ended")
