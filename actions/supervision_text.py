"""Reading what a supervisor types during supervision (no Rasa imports): which of their
supervisees a message names, "skip"/"none", a decision on a concern, who owns an agreed
action and by when.

Forgiving on purpose: "Sam to ring the school by Friday", "I'll call the GP next week",
"me to check the chronology by 2026-12-04" and "jo will visit by 4/12" all read. What
cannot be read is asked for in turn (what, who, by when), never guessed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from actions.bank.answers import read_date

WORKER = "worker"
SUPERVISOR = "supervisor"

# Words that may follow "prepare for supervision with ..." without being a name.
_NOT_NAMES_TEXT = """
    a an the my our your their his her this that these those next last today tonight
    tomorrow monday tuesday wednesday thursday friday saturday sunday morning afternoon
    evening week supervision supervisions supervisee supervisees worker workers someone
    somebody one me myself them him team session sessions meeting prep preparation it
    reflective please now later soon again 1:1 121 one-to-one staff member people person
    for with to of up in on at about and or is are be can could would will get ready
    prepare preparing supervise supervising what who how when
"""
NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())
# Where a name is expected: "with Sam", "for Sam", "supervise Sam", "Sam's supervision".
NAME_AFTER = re.compile(
    r"\b(?:with|for|supervise|supervising|seeing|see|meeting|meet|prep|prepare)\s+"
    r"([A-Za-z][\w'.-]*)",
    re.IGNORECASE,
)
NAME_POSSESSIVE = re.compile(
    r"\b([A-Za-z][\w.-]*)['\u2019]s\s+(?:supervision|one[ -]to[ -]one|1:1|session)",
    re.IGNORECASE,
)

SKIP_WORDS = (
    "skip",
    "next",
    "pass",
    "move on",
    "next one",
    "next question",
    "nothing to add",
    "no note",
    "leave it",
    "later",
)
NONE_WORDS = (
    "none",
    "no",
    "nope",
    "nothing",
    "nothing else",
    "no more",
    "no actions",
    "no action",
    "nothing agreed",
    "that's all",
    "thats all",
    "that's it",
    "done",
    "finished",
    "skip",
    "next",
    "move on",
    "no thanks",
)
NO_DATE_WORDS = ("no date", "none", "no deadline", "skip", "not set", "no", "ongoing", "n/a")

SUPERVISOR_WORDS = ("me", "myself", "i", "i will", "i'll", "supervisor", "manager", "mine")
WORKER_WORDS = ("worker", "them", "they", "he", "she", "him", "her", "the worker", "both")

ACTION_PREFIX = re.compile(
    r"^\s*(?:(?:please\s+)?(?:add|record|log|note)\s+(?:an?\s+)?(?:agreed\s+)?actions?"
    r"(?:\s+for\s+(?P<for>me|myself|[a-z][\w.'-]*))?\s*[:,-]?"
    r"|agreed\s+actions?\s*[:,-]?|actions?\s+for\s+(?P<for2>me|myself|[a-z][\w.'-]*)\s*[:,-]"
    r"|actions?\s*:|we\s+agreed(?:\s+that)?|agreed(?:\s+that)?)\s*",
    re.IGNORECASE,
)
# "Sam to ring ...", "Sam will ring ...", "Sam'll ring", "I'll ring", "I will ring".
OWNER_LEAD = re.compile(
    r"^\s*(?P<owner>[A-Za-z][\w.'-]*(?:\s+[A-Za-z][\w.'-]*)?)"
    r"(?:\s+(?:to|will|shall|is\s+going\s+to|needs\s+to|agreed\s+to|'ll)|'ll|\u2019ll)\s+"
    r"(?P<rest>.+)$",
    re.IGNORECASE | re.DOTALL,
)
DUE_TAIL = re.compile(
    r"\s*,?\s*\b(?P<due>(?:by|before|on|for|due|until|no\s+later\s+than|within)\b.*"
    r"|(?:today|tomorrow|next\s+week|this\s+week|end\s+of\s+(?:the\s+)?(?:week|month)"
    r"|no\s+date|no\s+deadline)\b.*)$",
    re.IGNORECASE | re.DOTALL,
)


def fold(text: str | None) -> str:
    return " ".join(str(text or "").casefold().split())


def _phrase_in(phrase: str, text: str) -> bool:
    return bool(phrase) and re.search(rf"(?<![\w'-]){re.escape(phrase)}(?![\w-])", text) is not None


def _first_word(text: str) -> str:
    return text.split()[0] if text.split() else ""


def is_one_of(text: str, words: Iterable[str]) -> bool:
    """The whole message is one of ``words`` (punctuation and "please" aside)."""
    cleaned = re.sub(r"[.!?,;:]+", " ", fold(text))
    cleaned = re.sub(r"\b(please|thanks|thank you|ok|okay)\b", " ", cleaned)
    return " ".join(cleaned.split()) in set(words)


def is_skip(text: str) -> bool:
    return is_one_of(text, SKIP_WORDS)


def is_none(text: str) -> bool:
    return is_one_of(text, NONE_WORDS)


# --- supervisees -------------------------------------------------------------------------


@dataclass(frozen=True)
class Named:
    """Someone the supervisor may mean: an id and the names they answer to."""

    id: str
    username: str | None
    display_name: str | None


def names_of(person: Named) -> tuple[set[str], set[str], set[str]]:
    """Full name; username; first names (of the display name and of the username)."""
    full = fold(person.display_name)
    handle = fold(person.username)
    first = {_first_word(full)} if full else set()
    if handle:
        first.add(re.split(r"[._-]", handle)[0])
    return {full} - {""}, {handle} - {""}, first - {""}


def match_people(text: str, people: Sequence[Named]) -> list[Named]:
    """The people a message names, best level first: a full name, a username, then a
    first name. Several at the best level: all of them (the supervisor picks)."""
    folded = fold(text).lstrip("@")
    for level in range(3):
        found = [p for p in people if any(_phrase_in(n, folded) for n in names_of(p)[level])]
        if found:
            return found
    return []


def pick(value: str, people: Sequence[Named]) -> list[Named]:
    """A button's id, or a typed name."""
    by_id = [p for p in people if p.id == str(value).strip()]
    return by_id or match_people(str(value), people)


def mentions_a_name(text: str) -> bool:
    """Whether the message seems to name someone ("... with Sam", "Jo's supervision"),
    so that no match among the supervisor's own supervisees is a refusal rather than a
    question. Nothing about who else exists is looked up."""
    for pattern in (NAME_AFTER, NAME_POSSESSIVE):
        for match in pattern.finditer(text):
            word = match.group(1).strip(".'-").casefold()
            if word and word not in NOT_NAMES and not word.isdigit():
                return True
    return False


# --- concern decisions ------------------------------------------------------------------


def read_choice(text: str, choices: Sequence[dict]) -> str | None:
    """The choice a reply names: a button's id, or one of its synonyms in the text;
    longer synonyms first, so "next time" wins over "next"."""
    cleaned = fold(text)
    ids = {c["id"] for c in choices}
    if cleaned in ids:
        return cleaned
    pairs = [(fold(s), c["id"]) for c in choices for s in [c["title"], *c.get("synonyms", [])]]
    for synonym, choice in sorted(pairs, key=lambda pair: -len(pair[0])):
        if _phrase_in(synonym, cleaned):
            return choice
    return None


# --- dates ------------------------------------------------------------------------------


def _end_of_week(today: dt.date) -> dt.date:
    """This week's Friday (at the weekend: next week's)."""
    return today + dt.timedelta(days=(4 - today.weekday()) % 7)


def read_due(text: str, today: dt.date) -> dt.date | None:
    """A due date: "Friday" (the next one), "next week" (a week today), "end of the
    week", "end of the month", "in 3 days", "in two weeks", "2026-12-04", "4/12",
    "4 Dec". None when there is no date in the text."""
    lowered = fold(text)
    if re.search(r"\bend of (?:the )?month\b", lowered):
        return today.replace(day=calendar.monthrange(today.year, today.month)[1])
    if re.search(r"\b(?:end of (?:the )?week|this week)\b", lowered):
        return _end_of_week(today)
    if re.search(r"\bnext week\b", lowered) and not re.search(
        r"\b(mon|tue|wed|thu|fri|sat|sun)", lowered
    ):
        return today + dt.timedelta(days=7)
    within = re.search(
        r"\b(?:in|within)\s+(\d+|a|an|one|two|three|four|five|six)\s+(day|week|month)s?\b",
        lowered,
    )
    if within:
        words = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
        number = int(within[1]) if within[1].isdigit() else words[within[1]]
        days = {"day": 1, "week": 7, "month": 30}[within[2]] * number
        return today + dt.timedelta(days=days)
    try:
        return read_date(lowered, today, "future")
    except ValueError:  # 31/02 and the like
        return None


def is_no_date(text: str) -> bool:
    return is_one_of(text, NO_DATE_WORDS) or "no date" in fold(text)


# --- agreed actions ---------------------------------------------------------------------


@dataclass(frozen=True)
class DraftAction:
    """An agreed action as far as it was read; None: still to ask."""

    text: str | None = None
    owner: str | None = None  # WORKER | SUPERVISOR
    due: str | None = None  # ISO date
    due_given: bool = False  # the due date was answered (perhaps "no date")

    @property
    def missing(self) -> str | None:
        if not self.text:
            return "text"
        if self.owner is None:
            return "owner"
        if not self.due_given:
            return "due"
        return None

    def as_slot(self) -> dict:
        return {
            "text": self.text,
            "owner": self.owner,
            "due": self.due,
            "due_given": self.due_given,
        }

    @classmethod
    def from_slot(cls, value: dict | None) -> DraftAction | None:
        if not isinstance(value, dict):
            return None
        return cls(
            text=value.get("text") or None,
            owner=value.get("owner") if value.get("owner") in (WORKER, SUPERVISOR) else None,
            due=value.get("due") or None,
            due_given=bool(value.get("due_given")),
        )


def read_owner(text: str, worker: Named) -> str | None:
    """WORKER or SUPERVISOR from a reply such as "Sam", "me", "I will", "the worker"."""
    folded = fold(text).strip(" .!")
    if folded in ("owner_worker", WORKER):
        return WORKER
    if folded in ("owner_supervisor", SUPERVISOR):
        return SUPERVISOR
    if match_people(folded, [worker]):
        return WORKER
    words = set(re.findall(r"[\w']+", folded))
    if folded in SUPERVISOR_WORDS or words & {"me", "myself", "i", "i'll", "supervisor", "manager"}:
        return SUPERVISOR
    if folded in WORKER_WORDS or words & {"worker", "them", "they", "he", "she"}:
        return WORKER
    return None


def _tidy(text: str) -> str:
    return " ".join(text.strip(" \t\n.,;:-").split())


def parse_action(text: str, worker: Named, today: dt.date) -> DraftAction:
    """Read "Sam to ring the school by Friday" into what, who and by when, as far as the
    message says them."""
    body = text.strip()
    owner: str | None = None
    prefix = ACTION_PREFIX.match(body)
    if prefix:
        named = prefix.group("for") or prefix.group("for2")
        if named:
            owner = read_owner(named, worker)
        body = body[prefix.end() :]
    due: str | None = None
    due_given = False
    tail = DUE_TAIL.search(body)
    if tail:
        date = read_due(tail.group("due"), today)
        if date is not None:
            due, due_given = date.isoformat(), True
            body = body[: tail.start()]
        elif is_no_date(tail.group("due")):
            due_given = True
            body = body[: tail.start()]
    lead = OWNER_LEAD.match(body)
    if lead:
        who = read_owner(lead.group("owner"), worker)
        if who is not None:
            owner, body = who, lead.group("rest")
    elif re.match(r"^\s*(?:i|i'm|i am)\s+", body, re.IGNORECASE):
        owner = SUPERVISOR
        body = re.sub(r"^\s*(?:i|i'm|i am)\s+(?:going\s+to\s+)?", "", body, flags=re.IGNORECASE)
    return DraftAction(text=_tidy(body) or None, owner=owner, due=due, due_given=due_given)


def says_an_action(text: str, worker: Named, today: dt.date) -> bool:
    """The message is plainly an agreed action: an explicit "add an action: ..." or
    someone (the worker, "I", "me") "to"/"will" do something. Used so that a note the
    NLU mistakes for an action ("the school have not shared ...") stays a note."""
    if ACTION_PREFIX.match(text) and ACTION_PREFIX.match(text).end() > 0:
        return True
    return parse_action(text, worker, today).owner is not None


def complete(draft: DraftAction, reply: str, worker: Named, today: dt.date) -> DraftAction | None:
    """The draft with the missing piece read from ``reply``; None if it can't be read."""
    missing = draft.missing
    if missing == "text":
        parsed = parse_action(reply, worker, today)
        if not parsed.text:
            return None
        return DraftAction(
            text=parsed.text,
            owner=draft.owner or parsed.owner,
            due=draft.due or parsed.due,
            due_given=draft.due_given or parsed.due_given,
        )
    if missing == "owner":
        owner = read_owner(reply, worker)
        return None if owner is None else DraftAction(draft.text, owner, draft.due, draft.due_given)
    if missing == "due":
        if is_no_date(reply):
            return DraftAction(draft.text, draft.owner, None, True)
        date = read_due(reply, today)
        if date is None or date < today:
            return None
        return DraftAction(draft.text, draft.owner, date.isoformat(), True)
    return draft
