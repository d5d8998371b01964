"""Everything held about one person, as JSON (a subject-access export).

``subject_access`` builds it: the person, their cases, debriefs (answers with earlier
versions, concerns), teams, who supervised them, their own supervision sessions (notes,
concern outcomes, agreed actions), actions they own in others' supervision, every audit
row about them (who read their records, and when) and their chat transcripts from the
tracker store. Other people appear only by name where they acted on this person's
records; nothing from another person's records is included.

The command line prints it (the administrator's tool is ``python -m actions.people
export``, which checks who asks):

    python -m actions.store.export --person PERSON_ID
    python -m actions.store.export --sender SENDER_ID [--channel rest]

Exit codes: 0 printed, 1 database not usable, 2 unknown person or bad arguments.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from actions.settings import get_settings
from actions.store import audit, people, tracker
from actions.store.db import session_scope
from actions.store.models import AgreedAction, Case, Person, SupervisionSession
from actions.store.repository import (
    PersonNotFound,
    export_person,
    find_person_by_sender,
    get_person,
)
from actions.store.retention import sender_ids

logger = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_DATABASE_ERROR = 1
EXIT_UNKNOWN_PERSON = 2
DEFAULT_CHANNEL = "rest"
SUBJECT_ACCESS_FORMAT_VERSION = 2
COMMAND_LINE = "command line"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m actions.store.export",
        description="Print one person's stored records (debriefs, answers, concerns) as JSON.",
    )
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--person", metavar="PERSON_ID", help="the person's id")
    who.add_argument("--sender", metavar="SENDER_ID", help="a chat sender id of the person")
    parser.add_argument(
        "--channel",
        default=DEFAULT_CHANNEL,
        help=f"the channel of --sender (default: {DEFAULT_CHANNEL})",
    )
    parser.add_argument(
        "--database-url", help="database to read (default: the configured database)"
    )
    return parser


def export_json(data: dict[str, Any]) -> str:
    """Pretty, human-readable JSON; non-ASCII text stays as written."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _write_utf8(text: str, stream: TextIO) -> None:
    # Encode ourselves: the console's locale might not be UTF-8.
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(text)
    else:
        stream.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()


# --- the subject-access export ------------------------------------------------------


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _name(person: Person | None) -> str | None:
    if person is None:
        return None
    if person.erased_at is not None:
        return "an erased person"
    return person.display_name or person.username or f"person {person.id[:8]}"


def _reference(case) -> str | None:
    return case.reference if case is not None else None


def _action_dict(action: AgreedAction, subject_id: str) -> dict[str, Any]:
    return {
        "id": action.id,
        "text": action.text,
        "due_on": _iso(action.due_on),
        "status": action.status,
        "owner": "you" if action.owner_id == subject_id else _name(action.owner),
        "created_at": _iso(action.created_at),
        "updated_at": _iso(action.updated_at),
    }


def _session_dict(session: SupervisionSession, subject_id: str, s: Session) -> dict[str, Any]:
    actions = s.execute(
        select(AgreedAction)
        .where(AgreedAction.session_id == session.id)
        .order_by(AgreedAction.created_at)
    ).scalars()
    return {
        "id": session.id,
        "supervisor": _name(session.supervisor),
        "status": session.status,
        "started_at": _iso(session.started_at),
        "completed_at": _iso(session.completed_at),
        "notes": [
            {
                "question_id": note.question_id,
                "case_reference": _reference(s.get(Case, note.case_id) if note.case_id else None),
                "note": note.note,
                "created_at": _iso(note.created_at),
                "updated_at": _iso(note.updated_at),
            }
            for note in sorted(session.notes, key=lambda each: each.created_at)
        ],
        "concern_outcomes": [
            {"concern_id": row.concern_id, "outcome": row.outcome, "at": _iso(row.updated_at)}
            for row in sorted(session.concern_outcomes, key=lambda each: each.updated_at)
        ],
        "agreed_actions": [
            {**_action_dict(action, subject_id), "case_reference": _reference(action.case)}
            for action in actions
        ],
    }


def _supervision(s: Session, person: Person) -> dict[str, Any]:
    sessions = s.execute(
        select(SupervisionSession)
        .where(SupervisionSession.worker_id == person.id)
        .order_by(SupervisionSession.started_at)
    ).scalars()
    # Actions the person owns in someone else's supervision: the task, not that record.
    owned = s.execute(
        select(AgreedAction)
        .where(AgreedAction.owner_id == person.id, AgreedAction.worker_id != person.id)
        .order_by(AgreedAction.created_at)
    ).scalars()
    return {
        "supervised_by": [
            {
                "supervisor": _name(row.supervisor),
                "started_at": _iso(row.started_at),
                "ended_at": _iso(row.ended_at),
            }
            for row in people.assignment_history(s, person.id)
        ],
        "sessions": [_session_dict(session, person.id, s) for session in sessions],
        "actions_owned_in_others_supervision": [_action_dict(a, person.id) for a in owned],
    }


def _audit_rows(s: Session, person: Person) -> list[dict[str, Any]]:
    rows = []
    for entry in reversed(audit.entries(s, subject_id=person.id)):
        if entry.actor_id is None:
            actor = COMMAND_LINE
        elif entry.actor_id == person.id:
            actor = "you"
        else:
            actor = _name(s.get(Person, entry.actor_id))
        rows.append(
            {"at": _iso(entry.at), "by": actor, "action": entry.action, "detail": entry.detail}
        )
    return rows


def subject_access(s: Session, person_id: str) -> dict[str, Any]:
    """Everything the store holds about one person (chat events: ``chat_events``)."""
    person = get_person(s, person_id)
    data = export_person(s, person_id)
    data["format_version"] = SUBJECT_ACCESS_FORMAT_VERSION
    data["person"]["erased_at"] = _iso(person.erased_at)
    data["teams"] = people.team_names(s, [person.id])[person.id]
    data["supervision"] = _supervision(s, person)
    data["audit_log_about_you"] = _audit_rows(s, person)
    data["chat_events"] = []
    return data


def chat_events(conversations: set[str], url: str | None = None) -> list[dict[str, Any]]:
    """The tracker store's events of these conversations ([] without a tracker store)."""
    with tracker.open_tracker(url or get_settings().tracker_database_url) as engine:
        if engine is None or not conversations:
            return []
        with engine.connect() as connection:
            return tracker.events_for(connection, conversations)


def _export(args: argparse.Namespace) -> dict[str, Any]:
    with session_scope(args.database_url) as s:
        person_id = args.person
        if args.sender is not None:
            person = find_person_by_sender(s, args.channel, args.sender)
            if person is None:
                raise PersonNotFound(
                    f"no person for sender {args.sender!r} on channel {args.channel!r}"
                )
            person_id = person.id
        data = subject_access(s, person_id)
        conversations = sender_ids(s, get_person(s, person_id))
        audit.record(s, None, person_id, "data:export")
    data["chat_events"] = chat_events(conversations)
    return data


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        data = _export(args)
    except PersonNotFound as error:
        print(f"export: {error}", file=sys.stderr)
        return EXIT_UNKNOWN_PERSON
    except (OperationalError, ProgrammingError) as error:
        logger.debug("Export failed", exc_info=True)
        print(
            f"export: cannot read the database ({error.orig}); "
            "has `python -m actions.store migrate` been run?",
            file=sys.stderr,
        )
        return EXIT_DATABASE_ERROR
    _write_utf8(export_json(data), sys.stdout)
    return EXIT_OK


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    sys.exit(main())
