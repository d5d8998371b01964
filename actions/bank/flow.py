"""Which debrief question comes next, given the answers so far.

The debrief has a core path (questions with no condition) and deeper sets that open
when earlier answers call for them (``ask_when`` in the bank). Conditions only look at
earlier answers, so the list can be worked out afresh each turn from the answers alone:
nothing about the path is stored that could drift out of step with them.
"""

from __future__ import annotations

from collections.abc import Mapping

from actions.bank.schema import Condition, Question, QuestionBank

Answers = Mapping[str, str | None]


def _answer_values(answer: str | None) -> set[str]:
    # multi_choice answers are stored as "a,b"; a leaf matches any one of them.
    if answer is None:
        return set()
    return {part.strip() for part in str(answer).split(",") if part.strip()}


def condition_holds(condition: Condition | None, answers: Answers) -> bool:
    if condition is None:
        return True
    if condition.any_of:
        return any(condition_holds(child, answers) for child in condition.any_of)
    if condition.all_of:
        return all(condition_holds(child, answers) for child in condition.all_of)
    return bool(_answer_values(answers.get(condition.question)) & set(condition.values))


def is_asked(bank: QuestionBank, question: Question, answers: Answers) -> bool:
    question_set = bank.sets[question.set_id]
    return condition_holds(question_set.ask_when, answers) and condition_holds(
        question.ask_when, answers
    )


def debrief_path(bank: QuestionBank, answers: Answers) -> list[str]:
    """The questions this debrief asks, in order, given the answers so far.

    The path stops after a question whose answer ends the debrief (for example a
    worker who was hurt and would rather not go on now).
    """
    path: list[str] = []
    for question_id in bank.debrief_question_ids():
        question = bank.questions[question_id]
        if not is_asked(bank, question, answers):
            continue
        path.append(question_id)
        if answers.get(question_id) in question.ends_debrief_when:
            break
    return path


def next_question(bank: QuestionBank, answers: Answers) -> str | None:
    return next((q for q in debrief_path(bank, answers) if answers.get(q) is None), None)


def ended_early(bank: QuestionBank, answers: Answers) -> str | None:
    """The question whose answer ended the debrief early, if any."""
    for question_id in debrief_path(bank, answers):
        question = bank.questions[question_id]
        if answers.get(question_id) in question.ends_debrief_when:
            return question_id
    return None


def progress(bank: QuestionBank, answers: Answers) -> tuple[int, int]:
    """(answered, total) on the current path, to show the worker how far along they are."""
    path = debrief_path(bank, answers)
    return sum(1 for q in path if answers.get(q) is not None), len(path)
