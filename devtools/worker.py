"""A simulated worker: holds a debrief through the REST channel, answering each question
the bot asks from a script, as a person would type it. Each request carries a signed
token for ``sender`` (from ``token_for``); the server takes the sender from it."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from actions.bank.asking import question_text
from actions.bank.prompts import cached_prompts
from actions.bank.schema import QuestionBank, load_bank

# Answers typed the way practitioners type them. Questions not listed get a default for
# their type (see default_answer).
TYPICAL_ANSWERS = {
    "case_reference": "CP-2231",
    "worker_safe_now": "aye I'm fine now",
    "threatened_or_hurt": "no",
    "visit_date": "yesterday",
    "visit_type": "unannounced",
    "access_gained": "yes",
    "who_present": "mum, her partner and the two kids",
    "child_seen": "yes",
    "child_seen_alone": "no",
    "bedroom_seen": "no",
    "resistance_type": "avoidance",
    "what_happened": "Mum kept the visit short and said the baby was asleep upstairs.",
    "feelings_now": "a bit shaken to be honest",
    "felt_afraid": "no",
    "felt_relief": "yes",
    "manager_aware_of_impact": "not sure",
    "child_experience": "I think it must be lonely and unpredictable for him.",
    "child_views_known": "no",
    "impact_of_resistance_on_child": "We still don't know how he is day to day.",
    "key_people_seen": "not sure",
    "men_engaged": "no",
    "offer_deeper_reflection": "no",
    "next_steps": "joint unannounced visit with the health visitor",
    "next_steps_who": "me and the HV",
    "next_steps_by_when": "next friday",
    "closure_considered": "no",
    "manager_aware_of_challenges": "yes",
    "for_supervision": "whether we need a strategy discussion",
}
DEFAULT_BY_TYPE = {
    "yes_no": "no",
    "free_text": "Hard to say, I think she is frightened of what we might do.",
    "date": "today",
    "scale": "3",
    "case_reference": "CP-0001",
}


def default_answer(bank: QuestionBank, question_id: str) -> str:
    question = bank.questions[question_id]
    if question.type in ("choice", "multi_choice"):
        return question.choices[0].label
    return DEFAULT_BY_TYPE[question.type]


@dataclass
class Turn:
    sent: str
    replies: list[dict]
    seconds: float


@dataclass
class SimulatedWorker:
    rest_url: str
    sender: str
    # Signs a token for a sender id (BotServers.token_for, or local_token_for for make run).
    token_for: Callable[[str], str] | None = None
    answers: dict[str, str] = field(default_factory=lambda: dict(TYPICAL_ANSWERS))
    bank: QuestionBank = field(default_factory=load_bank)
    turns: list[Turn] = field(default_factory=list)

    def __post_init__(self) -> None:
        prompts = cached_prompts()
        # Channels split a message without buttons at blank lines, so a set's intro may
        # arrive on its own; a question is recognised by its last paragraph.
        self._by_text = {
            question_text(self.bank, q, prompts).split("\n\n")[-1]: q.id
            for q in (self.bank.questions[i] for i in self.bank.debrief_question_ids())
        }

    def send(self, message: str, timeout: float = 60) -> list[dict]:
        body = json.dumps({"message": message}).encode()
        headers = {"Content-Type": "application/json"}
        if self.token_for is not None:
            headers["Authorization"] = f"Bearer {self.token_for(self.sender)}"
        request = urllib.request.Request(self.rest_url, data=body, headers=headers)
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=timeout) as response:
            replies = json.loads(response.read().decode() or "[]")
        self.turns.append(Turn(message, replies, time.perf_counter() - start))
        return replies

    def asked_question(self, replies: list[dict]) -> str | None:
        """The bank question the bot's last reply asks, if any."""
        for reply in reversed(replies):
            question_id = self._by_text.get(reply.get("text", "").split("\n\n")[-1])
            if question_id:
                return question_id
        return None

    def answer_for(self, question_id: str) -> str:
        return self.answers.get(question_id) or default_answer(self.bank, question_id)

    def hold_debrief(self, opening: str = "I need to debrief a visit", max_turns: int = 80):
        """Answer every question until the bot stops asking. Returns the asked ids."""
        asked: list[str] = []
        replies = self.send(opening)
        for _ in range(max_turns):
            question_id = self.asked_question(replies)
            if question_id is None:
                return asked
            asked.append(question_id)
            replies = self.send(self.answer_for(question_id))
        raise RuntimeError(f"debrief did not finish in {max_turns} turns; asked {asked}")
