"""Benchmark: what recording a debrief costs in the records database, per call.

The services the debrief's form validation runs for each answer (open the debrief, save
the answer, read urgent concerns in free text, check patterns across visits), called
directly on a fresh SQLite file (WAL, as ``make run`` has) or on ``--database-url``.
This is the database part of the action server's round trip, without HTTP or Rasa.

    .venv/bin/python -m benchmarks.records_write --debriefs 40

It prints figures; it never fails on a slow machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any

FREE_TEXT = "Mum said the baby was asleep upstairs and I never saw him; I felt uneasy."
ANSWERS_PER_DEBRIEF = 8


def timed(samples: list[float], function: Callable[..., Any], *args: Any) -> Any:
    start = time.perf_counter()
    result = function(*args)
    samples.append((time.perf_counter() - start) * 1e3)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--debriefs", type=int, default=40)
    parser.add_argument("--database-url", help="default: a new SQLite file in a temp folder")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='records-write-')}/r.db"
    os.environ["SUPERVISION_DATABASE_URL"] = url  # read by actions.settings on first use

    from actions.bank.answers import parse_answer
    from actions.debrief_state import bank
    from actions.services import debriefs
    from actions.store.db import upgrade_database

    upgrade_database()
    questions = [bank().question(qid) for qid in bank().debrief_question_ids()]
    questions = [q for q in questions if q.type in ("yes_no", "free_text")][:ANSWERS_PER_DEBRIEF]
    samples: dict[str, list[float]] = {
        "open a debrief": [],
        "save an answer": [],
        "urgent concerns in free text": [],
        "patterns across visits": [],
    }
    for number in range(args.debriefs):
        debrief_id = timed(samples["open a debrief"], debriefs.open_debrief, "rest", f"w{number}")
        for question in questions:
            parsed = parse_answer(question, "yes" if question.type == "yes_no" else FREE_TEXT)
            timed(samples["save an answer"], debriefs.save_answer, debrief_id, question, parsed)
            if parsed.free_text:
                timed(
                    samples["urgent concerns in free text"],
                    debriefs.urgent_in_words,
                    debrief_id,
                    question.id,
                    parsed.free_text,
                )
        timed(samples["patterns across visits"], debriefs.urgent_patterns, debrief_id)
    print(f"database: {url.split(':', 1)[0]}, {args.debriefs} debriefs")
    for name, values in samples.items():
        print(
            f"  {name:30} median {statistics.median(values):6.2f} ms  "
            f"mean {statistics.mean(values):6.2f} ms  n={len(values)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
