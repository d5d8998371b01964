"""``python -m actions.concerns``: JSONL in, one JSON line out per input line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_cli(stdin: str) -> list[dict]:
    proc = subprocess.run(
        [sys.executable, "-m", "actions.concerns"],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.splitlines()
    return [json.loads(line) for line in lines]  # every stdout line is JSON


def test_good_empty_huge_and_broken_lines():
    huge = ("The visit went well and the children were happy. " * 2100)[:100_000]
    text = "I didn't get to see Kyle alone."
    lines = [
        json.dumps({"id": "good", "text": text}),
        json.dumps({"id": "empty", "text": ""}),
        json.dumps({"id": "huge", "text": huge}),
        '{"id": "broken", "text": "unterminated',
        json.dumps({"id": "notext"}),
        json.dumps({"id": 7, "text": 12}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "after", "text": "Mum was frightened."}),
    ]
    out = run_cli("\n".join(lines) + "\n")
    assert [row["id"] for row in out] == ["good", "empty", "huge", None, "notext", 7, None, "after"]
    good = out[0]
    assert good["codes"] == ["unseen_child"]
    (evidence,) = good["evidence"]
    assert set(evidence) == {"code", "text", "start", "end", "rule"}
    assert text[evidence["start"] : evidence["end"]] == evidence["text"]
    assert out[1] == {"id": "empty", "codes": [], "evidence": []}
    assert out[2]["codes"] == [] and "error" not in out[2]
    for row in (out[3], out[4], out[5], out[6]):
        assert row["codes"] == [] and row["evidence"] == [] and row["error"]
    assert out[7] == {"id": "after", "codes": [], "evidence": []}


def test_no_input_gives_no_output():
    assert run_cli("") == []
