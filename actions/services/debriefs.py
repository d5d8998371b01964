"""What the debrief actions do to the records, one short transaction per call.

Plain synchronous functions (no Rasa here): the rasa_sdk actions run them off the event
loop with ``asyncio.to_thread`` so that database work never blocks other conversations.
Each call opens its own session and commits before returning, so an answer is saved
the moment it is given.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field, replace

from actions.bank.answers import FREE_TEXT_VALUE, ParsedAnswer
from actions.bank.schema import Question, QuestionBank
from actions.concerns.chronology import read_chronology
from actions.concerns.detector import classifier_reads_answers_to, detect_many
from actions.concerns.patterns import ReckonerSummary, pattern_concerns, reckoner_summary
from actions.concerns.structured import RaisedConcern, concerns_from_answers
from actions.services.identity import resolve_person
from actions.store import repository, sharing
from actions.store.db import session_scope

logger = logging.getLogger(__name__)

NO_CASE_YET = "not named yet"

# The worker's choices at the end of a debrief (actions/bank/questions/96_sharing.yml):
# which answers their supervisor sees, and whether they asked to talk about the impact
# of the work on them. Anything but a clear "share" keeps things private.
SHARE_CHOICE_QUESTION = "share_answers"
IMPACT_TALK_QUESTION = "impact_talk"
SHARED_BY_CHOICE = {
    "all": sharing.SHAREABLE_QUESTIONS,
    "for_supervision": ("for_supervision",),
}
NOT_SHAREABLE_VALUES = ("skipped",)


def slot_value(question: Question, parsed: ParsedAnswer) -> str:
    """What the Rasa slot holds: the text for open questions, the value otherwise."""
    if question.type == "free_text" and parsed.value == FREE_TEXT_VALUE:
        return parsed.free_text or ""
    return parsed.value


def stored_value(question: Question, value: str | None, free_text: str | None):
    """The slot value for an answer read back from the database."""
    if question.type == "free_text" and value == FREE_TEXT_VALUE:
        return free_text
    return value


def _reference(debrief) -> str:
    return debrief.case.reference if debrief.case is not None else NO_CASE_YET


@dataclass(frozen=True)
class ResumeState:
    debrief_id: str
    case_reference: str
    slots: dict[str, str]
    answered_order: list[str]


@dataclass(frozen=True)
class FinishedDebrief:
    case_reference: str
    answers: dict[str, tuple[str | None, str | None]]  # id -> (value, free_text)
    concerns: list[RaisedConcern] = field(default_factory=list)
    reckoner: ReckonerSummary | None = None


def open_debrief(channel: str, sender_id: str) -> str:
    """Create the debrief at the worker's first answer (safety comes before the case is
    named, and is saved at once). Returns its id."""
    with session_scope() as session:
        person = resolve_person(session, channel, sender_id)
        return repository.start_debrief(session, person, None, sender_id).id


def name_case(debrief_id: str, channel: str, sender_id: str, reference: str) -> None:
    """Attach the debrief to the worker's case (also when they correct the reference)."""
    with session_scope() as session:
        person = resolve_person(session, channel, sender_id)
        case = repository.get_or_create_case(session, reference, person)
        repository.set_debrief_case(session, debrief_id, case)


def _is_iso_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def save_answer(debrief_id: str, question: Question, parsed: ParsedAnswer) -> None:
    with session_scope() as session:
        repository.record_answer(
            session, debrief_id, question.id, parsed.value, free_text=parsed.free_text
        )
        if question.id == "visit_date" and question.type == "date" and _is_iso_date(parsed.value):
            repository.record_visit_details(
                session, debrief_id, visit_date=dt.date.fromisoformat(parsed.value)
            )
        elif question.id == "visit_type":
            repository.record_visit_details(session, debrief_id, visit_type=parsed.value)
        repository.update_debrief_progress(session, debrief_id, question.id)


def _store_concerns(session, debrief_id: str, concerns: list[RaisedConcern]) -> None:
    for concern in concerns:
        repository.record_concern(
            session,
            debrief_id,
            concern.code,
            concern.source,
            concern.evidence,
            concern.rule_id,
            urgent=concern.urgent,
            evidence_start=concern.evidence_start,
            evidence_end=concern.evidence_end,
        )


def record_concerns(debrief_id: str, concerns: list[RaisedConcern]) -> None:
    with session_scope() as session:
        _store_concerns(session, debrief_id, concerns)


def set_status(debrief_id: str, status: str, current_question: str | None = None) -> None:
    with session_scope() as session:
        repository.set_debrief_status(session, debrief_id, status)
        if current_question:
            repository.update_debrief_progress(session, debrief_id, current_question)


def paused_case_reference(channel: str, sender_id: str) -> str | None:
    """The case of the worker's paused or unfinished debrief, if there is one."""
    with session_scope() as session:
        person = resolve_person(session, channel, sender_id)
        debrief = repository.latest_resumable_debrief(session, person.id)
        return _reference(debrief) if debrief else None


def find_resumable(bank: QuestionBank, channel: str, sender_id: str) -> ResumeState | None:
    """Everything needed to put a paused debrief back into the conversation."""
    with session_scope() as session:
        person = resolve_person(session, channel, sender_id)
        debrief = repository.latest_resumable_debrief(session, person.id)
        if debrief is None:
            return None
        answers = repository.get_answers(session, debrief.id)
        # An answer that ended the debrief early ("not now") is asked again on resume.
        ordered = [
            a
            for a in sorted(answers.values(), key=lambda a: a.answered_at)
            if a.question_id in bank.questions
            and a.value not in bank.questions[a.question_id].ends_debrief_when
        ]
        slots = {
            a.question_id: stored_value(bank.questions[a.question_id], a.value, a.free_text)
            for a in ordered
        }
        repository.set_debrief_status(session, debrief.id, "in_progress")
        return ResumeState(
            debrief_id=debrief.id,
            case_reference=_reference(debrief),
            slots=slots,
            answered_order=[a.question_id for a in ordered],
        )


def finish_debrief(bank: QuestionBank, debrief_id: str, status: str) -> FinishedDebrief:
    """Raise concerns from the stored answers, store them and close the debrief."""
    with session_scope() as session:
        debrief = repository.get_debrief(session, debrief_id)
        answers = repository.get_answers(session, debrief_id)
        values = {
            qid: stored_value(bank.questions[qid], a.value, a.free_text)
            for qid, a in answers.items()
            if qid in bank.questions
        }
        concerns = concerns_from_answers(bank, values) + free_text_concerns(answers)
        _store_concerns(session, debrief_id, concerns)
        reckoner = None
        if debrief.case_id is not None:
            # Patterns across the case's visits, this one included (after its own
            # concerns are stored, which drift and the worry score count).
            chronology = read_chronology(session, debrief.case_id, debrief_id)
            across_visits = pattern_concerns(chronology)
            _store_concerns(session, debrief_id, across_visits)
            concerns += across_visits
            reckoner = reckoner_summary(chronology)
        if status == "completed":
            apply_sharing_choices(session, debrief_id, answers)
        repository.set_debrief_status(session, debrief_id, status)
        return FinishedDebrief(
            case_reference=_reference(debrief),
            answers={qid: (a.value, a.free_text) for qid, a in answers.items()},
            concerns=concerns,
            reckoner=reckoner,
        )


def shared_question_ids(answers: dict) -> tuple[str, ...]:
    """The shareable questions the worker chose to share (only those they answered)."""
    choice = answers.get(SHARE_CHOICE_QUESTION)
    wanted = SHARED_BY_CHOICE.get(choice.value if choice is not None else None, ())
    return tuple(
        qid for qid in wanted if qid in answers and answers[qid].value not in NOT_SHAREABLE_VALUES
    )


def apply_sharing_choices(session, debrief_id: str, answers: dict) -> None:
    """Share exactly what the worker chose, in the caller's transaction: the chosen
    answers are shared and every other shareable answer is kept private (also when an
    earlier finish had shared it); the impact request is made only on a clear yes."""
    chosen = shared_question_ids(answers)
    for question_id in sharing.SHAREABLE_QUESTIONS:
        if question_id in answers:
            sharing.share_answer(session, debrief_id, question_id, question_id in chosen)
    impact = answers.get(IMPACT_TALK_QUESTION)
    asked = impact is not None and impact.value == "yes"
    sharing.request_impact_talk(session, debrief_id, asked)
    logger.info("debrief %s: %d answer(s) shared, impact talk %s", debrief_id, len(chosen), asked)


def _for_answer(question_id: str, concern: RaisedConcern) -> RaisedConcern:
    """A free-text concern tied to the answer it came from (offsets are into that
    answer's text), so the same words in two answers are two pieces of evidence."""
    return replace(concern, rule_id=f"text:{question_id}:{concern.rule_id}")


def free_text_concerns(answers: dict) -> list[RaisedConcern]:
    """Concerns the worker's own words raise, in every answer that has words (the
    classifier reads only the accounts of the visit: ``classifier.yml``)."""
    worded = [(qid, a.free_text) for qid, a in answers.items() if a.free_text]
    accounts = classifier_reads_answers_to()
    learned = [qid in accounts for qid, _ in worded]
    found = detect_many([text for _, text in worded], learned=learned)
    return [
        _for_answer(qid, c) for (qid, _), raised in zip(worded, found, strict=True) for c in raised
    ]


def urgent_in_words(debrief_id: str, question_id: str, text: str) -> list[RaisedConcern]:
    """Urgent concerns in an answer's words (the worker frightened), stored at once."""
    learned = question_id in classifier_reads_answers_to()
    found = detect_many([text], learned=[learned])[0]
    urgent = [_for_answer(question_id, c) for c in found if c.urgent]
    if urgent:
        with session_scope() as session:
            _store_concerns(session, debrief_id, urgent)
    return urgent


def urgent_patterns(debrief_id: str) -> list[RaisedConcern]:
    """Urgent patterns across visits known mid-debrief (e.g. the child not seen alone on
    this visit and the last), stored at once so they are raised before the end. Only
    those not raised already in this debrief are returned."""
    with session_scope() as session:
        debrief = repository.get_debrief(session, debrief_id)
        if debrief.case_id is None:
            return []
        known = {(c.code, c.rule_id) for c in repository.list_concerns(session, debrief_id)}
        chronology = read_chronology(session, debrief.case_id, debrief_id)
        new = [
            c for c in pattern_concerns(chronology) if c.urgent and (c.code, c.rule_id) not in known
        ]
        _store_concerns(session, debrief_id, new)
        return new
