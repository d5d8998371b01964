"""How a bank question is put to the worker: its words, and buttons for quick answers."""

from __future__ import annotations

from actions.bank.prompts import Prompts
from actions.bank.schema import Question, QuestionBank


def question_buttons(question: Question, prompts: Prompts) -> list[dict]:
    if question.type == "yes_no":
        return [dict(b) for b in prompts.yes_no_buttons]
    if question.type in ("choice", "multi_choice"):
        return [
            {"title": c.label, "payload": f'/inform{{"choice": "{c.id}"}}'}
            for c in question.choices
        ]
    if question.type == "scale" and question.scale:
        low, high = question.scale
        return [
            {"title": str(n), "payload": f'/inform{{"choice": "{n}"}}'}
            for n in range(low, high + 1)
        ]
    return []


def question_text(bank: QuestionBank, question: Question, prompts: Prompts) -> str:
    text = question.text
    if question.type == "multi_choice":
        text += " " + prompts.texts["multi_choice_hint"]
    if question.type == "scale" and question.scale:
        low, high = question.scale
        low_label, high_label = question.scale_labels
        hint = prompts.texts["scale_hint"].format(
            low=low, high=high, low_label=low_label, high_label=high_label
        )
        text += " " + hint
    # A set's intro opens its first question so the worker hears why the topic changes
    # (how it felt, what it means for the child ...).
    question_set = bank.sets[question.set_id]
    if question_set.intro and question_set.question_ids[0] == question.id:
        text = f"{question_set.intro}\n\n{text}"
    return text
