"""``python -m actions.concerns``: JSONL in, JSONL out.

Reads one JSON object a line on stdin, ``{"id": ..., "text": ...}``, and writes one line
per input on stdout, in the same order::

    {"id": "p01", "codes": ["unseen_child"],
     "evidence": [{"code": "unseen_child", "text": "...", "start": 40, "end": 75,
                   "rule": "unseen.not_seen"}]}

A malformed line (not JSON, not an object, text not a string) gets
``{"id": <its id or null>, "codes": [], "evidence": [], "error": "..."}`` and processing
continues. Blank lines are skipped. Nothing else is printed on stdout (diagnostics go
to stderr).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator

BATCH = 512


def _parse(line: str) -> tuple[object, str | None, str | None]:
    """(id, text, error) for one input line."""
    try:
        row = json.loads(line)
    except ValueError as error:
        return None, None, f"not valid JSON: {error}"
    if not isinstance(row, dict):
        return None, None, "expected a JSON object with 'id' and 'text'"
    row_id = row.get("id")
    if row_id is not None and not isinstance(row_id, (str, int, float)):
        row_id = None
    text = row.get("text")
    if text is None:
        return row_id, None, "missing 'text'"
    if not isinstance(text, str):
        return row_id, None, f"'text' must be a string, got {type(text).__name__}"
    return row_id, text, None


def _outputs(lines: Iterable[str]) -> Iterator[dict]:
    from actions.concerns.detector import detect_many

    batch: list[tuple[object, str | None, str | None]] = []

    def flush() -> Iterator[dict]:
        texts = [text for _, text, error in batch if error is None]
        results = iter(detect_many(texts)) if texts else iter(())
        for row_id, _, error in batch:
            if error is not None:
                yield {"id": row_id, "codes": [], "evidence": [], "error": error}
                continue
            concerns = next(results)
            yield {
                "id": row_id,
                "codes": [c.code for c in concerns],
                "evidence": [
                    {
                        "code": c.code,
                        "text": c.evidence,
                        "start": c.evidence_start,
                        "end": c.evidence_end,
                        "rule": c.rule_id,
                    }
                    for c in concerns
                ],
            }
        batch.clear()

    for line in lines:
        if not line.strip():
            continue
        batch.append(_parse(line))
        if len(batch) >= BATCH:
            yield from flush()
    yield from flush()


def main() -> int:
    stdin = sys.stdin
    if hasattr(stdin, "reconfigure"):
        stdin.reconfigure(encoding="utf-8", errors="replace")
    out = sys.stdout
    if hasattr(out, "reconfigure"):
        out.reconfigure(encoding="utf-8")
    for result in _outputs(stdin):
        out.write(json.dumps(result) + "\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
