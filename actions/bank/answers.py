"""Turn what a worker typed into a stored answer for a bank question.

Yes / no / not sure mostly arrive already normalised (the NLU maps "aye", "nope",
"dunno" to intents, and the form maps those intents to values). Everything else arrives
as the worker's own text and is read here. Nothing here knows about Rasa.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from actions.bank.schema import Question

MAX_ANSWER_CHARS = 10_000
# The stored value of an open answer; the words themselves are kept as its free text.
FREE_TEXT_VALUE = "text"
MAX_REFERENCE_CHARS = 40

YES_WORDS = {"yes", "y", "yeah", "yep", "yup", "aye", "ya", "yea", "definitely", "correct"}
NO_WORDS = {"no", "n", "nope", "nah", "naw", "never", "nae"}
UNSURE_PHRASES = ("not sure", "dunno", "don't know", "dont know", "no idea", "unsure")
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {
    name: index
    for index, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


class AnswerNotUnderstood(ValueError):
    """The text could not be read as an answer. ``reason`` names the message in
    ``prompts.yml`` (``answer_problems``) that tells the worker what is expected."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ParsedAnswer:
    value: str
    free_text: str | None = None


def clean_text(text: str) -> str:
    """Drop control characters (keep newlines and tabs) and trim; keep everything else,
    markup included, as plain text: it is stored and shown, never executed."""
    kept = (
        ch
        for ch in unicodedata.normalize("NFC", text)
        if ch in "\n\t" or unicodedata.category(ch)[0] != "C"
    )
    return "".join(kept).strip()


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def _is_only_unsure(text: str) -> bool:
    """A short reply that only says "not sure" / "dunno" (not a sentence about it)."""
    lowered = text.lower().strip(" .!?")
    return len(_words(lowered)) <= 4 and any(p in lowered for p in UNSURE_PHRASES)


def parse_yes_no(text: str) -> ParsedAnswer:
    lowered = text.lower().strip(" .!?")
    if lowered in ("yes", "no", "not_sure"):
        return ParsedAnswer(lowered)
    if any(phrase in lowered for phrase in UNSURE_PHRASES):
        return ParsedAnswer("not_sure", text)
    words = _words(text)
    if not words:
        raise AnswerNotUnderstood("yes_no")
    if len(words) == 1:
        if words[0] in YES_WORDS:
            return ParsedAnswer("yes")
        if words[0] in NO_WORDS:
            return ParsedAnswer("no")
        raise AnswerNotUnderstood("yes_no")
    # A sentence in the worker's own words is kept as it is; reading its meaning is the
    # concern detector's job, not a guess here.
    return ParsedAnswer("own_words", text)


def _choice_mentions(question: Question, text: str) -> list[str]:
    lowered = " ".join(_words(text.replace("_", " ")))
    found = []
    for choice in question.choices:
        names = {choice.id.replace("_", " "), choice.label.lower(), *choice.synonyms}
        if any(re.search(rf"\b{re.escape(' '.join(_words(n)))}\b", lowered) for n in names):
            found.append(choice.id)
    return found


def parse_choice(question: Question, text: str) -> ParsedAnswer:
    ids = {c.id for c in question.choices}
    given = [part.strip() for part in text.split(",")]
    if given and all(part in ids for part in given):
        found = given
    else:
        found = _choice_mentions(question, text)
    if not found:
        if "other" in ids:
            return ParsedAnswer("other", text)
        raise AnswerNotUnderstood("choice")
    if question.type == "choice" and len(found) > 1:
        raise AnswerNotUnderstood("choice_one")
    free_text = None if text.strip() in ids or text.strip() == ",".join(found) else text
    return ParsedAnswer(",".join(dict.fromkeys(found)), free_text)


def parse_scale(question: Question, text: str) -> ParsedAnswer:
    low, high = question.scale or (1, 5)
    # At most nine digits: a longer run is no scale point, and int() refuses numbers of
    # more than 4,300 digits with a ValueError that is not AnswerNotUnderstood.
    numbers = [int(n) for n in re.findall(r"\b\d{1,9}\b", text)]
    numbers += [NUMBER_WORDS[w] for w in _words(text) if w in NUMBER_WORDS]
    in_range = [n for n in numbers if low <= n <= high]
    if len(in_range) != 1:
        raise AnswerNotUnderstood("scale")
    free_text = None if text.strip() == str(in_range[0]) else text
    return ParsedAnswer(str(in_range[0]), free_text)


def _relative_weekday(name: str, today: dt.date, direction: str) -> dt.date:
    target = WEEKDAYS.index(name)
    if direction == "future":
        return today + dt.timedelta(days=(target - today.weekday()) % 7 or 7)
    return today - dt.timedelta(days=(today.weekday() - target) % 7 or 7)


def _year_for(day: int, month: int, year: int | None, today: dt.date, direction: str):
    if year is not None:
        return year + 2000 if year < 100 else year
    guess = dt.date(today.year, month, min(day, 28))
    if direction == "past" and guess > today:
        return today.year - 1
    if direction == "future" and guess < today:
        return today.year + 1
    return today.year


def read_date(text: str, today: dt.date, direction: str = "any") -> dt.date | None:
    """Read UK-style dates: today, yesterday, (last/next) monday, 12/11(/26), 12 Nov, ISO."""
    lowered = text.lower()
    if "today" in lowered or "this morning" in lowered or "this afternoon" in lowered:
        return today
    if "yesterday" in lowered or "last night" in lowered:
        return today - dt.timedelta(days=1)
    if "tomorrow" in lowered:
        return today + dt.timedelta(days=1)
    iso = re.search(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", lowered)
    if iso:
        return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
    numeric = re.search(r"\b(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?\b", lowered)
    if numeric:
        day, month = int(numeric[1]), int(numeric[2])
        year = _year_for(day, month, int(numeric[3]) if numeric[3] else None, today, direction)
        return dt.date(year, month, day)
    named = re.search(
        r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\.?(?:\s+(\d{2,4}))?", lowered
    )
    if named and named[2] in MONTHS:
        day, month = int(named[1]), MONTHS[named[2]]
        year = _year_for(day, month, int(named[3]) if named[3] else None, today, direction)
        return dt.date(year, month, day)
    for name in WEEKDAYS:
        if re.search(rf"\b{name[:3]}(?:{name[3:]})?\b", lowered):
            wanted = "future" if "next" in lowered else direction
            return _relative_weekday(name, today, "future" if wanted == "future" else "past")
    return None


def parse_date(question: Question, text: str, today: dt.date) -> ParsedAnswer:
    try:
        date = read_date(text, today, question.date_direction)
    except ValueError as error:  # e.g. 31/02
        raise AnswerNotUnderstood("date") from error
    if date is None:
        raise AnswerNotUnderstood("date")
    if question.date_direction == "past" and date > today:
        raise AnswerNotUnderstood("date_future")
    if question.date_direction == "future" and date < today:
        raise AnswerNotUnderstood("date_past")
    return ParsedAnswer(date.isoformat(), None if text.strip() == date.isoformat() else text)


def looks_like_a_name(text: str) -> bool:
    """Only letters, one to three words: it could be a person's name ("Jordan Smith",
    "jordan"), so it is refused. Case references carry a number or a symbol."""
    words = text.split()
    return 1 <= len(words) <= 3 and all(w.replace("'", "").isalpha() for w in words)


def parse_case_reference(text: str) -> ParsedAnswer:
    reference = re.sub(
        r"^(case\s*(ref(erence)?|number|no\.?)?\s*(is)?[:#]?\s*)", "", text, flags=re.I
    )
    reference = reference.strip(" .")
    if not reference or reference.lower() in ("not_sure", "skipped") or _is_only_unsure(text):
        raise AnswerNotUnderstood("case_reference")
    if len(reference) > MAX_REFERENCE_CHARS or "\n" in reference:
        raise AnswerNotUnderstood("case_reference")
    if looks_like_a_name(reference):
        raise AnswerNotUnderstood("case_reference_name")
    return ParsedAnswer(reference)


def parse_answer(question: Question, raw: str, today: dt.date | None = None) -> ParsedAnswer:
    """Read ``raw`` as an answer to ``question``. Raises AnswerNotUnderstood."""
    text = clean_text(str(raw))
    if not text:
        raise AnswerNotUnderstood("empty")
    if len(text) > MAX_ANSWER_CHARS:
        raise AnswerNotUnderstood("too_long")
    if question.type != "case_reference":
        if text in ("not_sure", "skipped"):
            return ParsedAnswer(text)
        if _is_only_unsure(text):
            return ParsedAnswer("not_sure", text)
    if question.type == "yes_no":
        return parse_yes_no(text)
    if question.type in ("choice", "multi_choice"):
        return parse_choice(question, text)
    if question.type == "scale":
        return parse_scale(question, text)
    if question.type == "date":
        return parse_date(question, text, today or dt.date.today())
    if question.type == "case_reference":
        return parse_case_reference(text)
    return ParsedAnswer(FREE_TEXT_VALUE, text)
