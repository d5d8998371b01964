"""Write ``domain/debrief.yml`` from the question bank.

The bank is the one source of truth for the debrief's questions. Rasa needs each
question as a slot with mappings, a form entry and an ``utter_ask_<slot>`` response;
writing those by hand would let the two drift apart. ``--check`` (used by the tests and
by ``make``) fails when the committed domain file is out of date.

    python -m actions.bank.gen_domain            # write domain/debrief.yml
    python -m actions.bank.gen_domain --check    # exit 1 if it is stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from actions.bank.schema import Question, QuestionBank, load_bank
from actions.settings import PROJECT_ROOT

FORM = "debrief_form"
DOMAIN_FILE = PROJECT_ROOT / "domain" / "debrief.yml"

# Intents that steer the conversation rather than answer a question. A message with one
# of these never becomes an answer; the rules for it take over instead.
CONTROL_INTENTS = [
    "ask_why",
    "skip_question",
    "go_back",
    "pause_debrief",
    "stop_debrief",
    "help",
    "bot_challenge",
    "greet",
    "thank",
    "goodbye",
    "out_of_scope",
    "start_debrief",
    "resume_debrief",
]
HEADER = (
    "# GENERATED from actions/bank/questions/*.yml by `python -m actions.bank.gen_domain`.\n"
    "# Do not edit by hand: change the question bank and run `make domain`.\n"
)


def _conditions(question_id: str) -> list[dict]:
    return [{"active_loop": FORM, "requested_slot": question_id}]


def slot_mappings(question: Question) -> list[dict]:
    conditions = _conditions(question.id)
    mappings = []
    if question.type == "yes_no":
        for intent, value in (("affirm", "yes"), ("deny", "no"), ("unsure", "not_sure")):
            mappings.append(
                {"type": "from_intent", "intent": intent, "value": value, "conditions": conditions}
            )
        not_intent = ["affirm", "deny", "unsure", *CONTROL_INTENTS]
    elif question.type == "case_reference":
        # A case reference can't be "not sure": "dunno" reaches the validator, which
        # asks again for a reference.
        not_intent = list(CONTROL_INTENTS)
    else:
        mappings.append(
            {
                "type": "from_intent",
                "intent": "unsure",
                "value": "not_sure",
                "conditions": conditions,
            }
        )
        not_intent = ["unsure", *CONTROL_INTENTS]
    if question.type in ("choice", "multi_choice", "scale"):
        mappings.append({"type": "from_entity", "entity": "choice", "conditions": conditions})
    mappings.append({"type": "from_text", "not_intent": not_intent, "conditions": conditions})
    return mappings


def build_domain(bank: QuestionBank) -> dict:
    questions = [bank.questions[q] for q in bank.debrief_question_ids()]
    slots = {
        q.id: {"type": "any", "influence_conversation": False, "mappings": slot_mappings(q)}
        for q in questions
    }
    # Each question is asked by a custom action (actions/debrief_ask.py) that reads its
    # wording and buttons from the bank, so the wording has one home.
    return {
        "version": "3.1",
        "actions": [ask_action_name(q.id) for q in questions],
        "slots": slots,
        "forms": {FORM: {"required_slots": [q.id for q in questions]}},
    }


def ask_action_name(question_id: str) -> str:
    return f"action_ask_{question_id}"


def render(bank: QuestionBank) -> str:
    body = yaml.safe_dump(build_domain(bank), sort_keys=False, allow_unicode=True, width=100)
    return HEADER + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is stale")
    parser.add_argument("--output", type=Path, default=DOMAIN_FILE)
    args = parser.parse_args(argv)
    text = render(load_bank())
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date: run `make domain`.", file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
