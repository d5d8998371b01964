"""Print everything stored about one person as JSON (a subject-access export).

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

from sqlalchemy.exc import OperationalError, ProgrammingError

from actions.store.db import session_scope
from actions.store.repository import (
    PersonNotFound,
    export_person,
    find_person_by_sender,
)

logger = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_DATABASE_ERROR = 1
EXIT_UNKNOWN_PERSON = 2
DEFAULT_CHANNEL = "rest"


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
        return export_person(s, person_id)


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
