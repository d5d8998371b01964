"""Benchmark: what one call to the action server costs in JSON, as stock Rasa 3.6 sends it
(the whole domain, written by ``json.dumps``) and as this bot sends it (no domain,
written by ``ujson``; README, Performance, fix 10).

Holds one simulated debrief through servers on temporary databases, reads its
conversation back from the tracker store, and at every point where Rasa called the
action server (a form's turn or a custom action) builds the request body both ways,
writes it and reads it back as the action server does (``ujson.loads``, Sanic's reader).

    .venv/bin/python -m benchmarks.action_call
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import rasa
import ujson
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from components.rasa_speedups import dumps_json
from devtools.servers import BotServers
from devtools.worker import SimulatedWorker

REPEATS = 5
# Actions the Rasa server runs itself (the bank's asks are local: README, fix 6).
LOCAL_PREFIXES = ("action_listen", "action_session_start", "action_extract", "action_ask_")


def one_debrief_events() -> tuple[str, list[Event]]:
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        servers = BotServers(Path(tmp)).start()
        sender = f"bench-{uuid.uuid4().hex[:10]}"
        try:
            worker = SimulatedWorker(
                rest_url=servers.rest_url, sender=sender, token_for=servers.token_for
            )
            worker.hold_debrief()
        finally:
            servers.stop()
        with sqlite3.connect(Path(tmp) / "rasa_tracker.db") as db:
            rows = db.execute("SELECT data FROM events ORDER BY id").fetchall()
    return sender, [Event.from_parameters(json.loads(data)) for (data,) in rows]


def calls_action_server(event: Event) -> bool:
    if not isinstance(event, ActionExecuted) or not event.action_name:
        return False
    name = event.action_name
    return name.endswith("_form") or (
        name.startswith(("action_", "validate_")) and not name.startswith(LOCAL_PREFIXES)
    )


def seconds_to_write_and_read(body: dict, write) -> float:
    start = time.perf_counter()
    for _ in range(REPEATS):
        ujson.loads(write(body))
    return (time.perf_counter() - start) / REPEATS


def main() -> int:
    domain = Domain.load("domain")
    domain_dict = domain.as_dict()
    print("holding one debrief on temporary servers ...", flush=True)
    sender, events = one_debrief_events()
    stock_kb, ours_kb, stock_ms, ours_ms = [], [], [], []
    for index, event in enumerate(events):
        if not calls_action_server(event):
            continue
        tracker = DialogueStateTracker.from_events(sender, events[:index], domain.slots)
        ours = {
            "next_action": event.action_name,
            "sender_id": sender,
            "tracker": tracker.current_state(EventVerbosity.ALL),
            "version": rasa.__version__,
        }
        stock = {**ours, "domain": domain_dict}
        stock_kb.append(len(json.dumps(stock)) / 1024)
        ours_kb.append(len(dumps_json(ours)) / 1024)
        stock_ms.append(seconds_to_write_and_read(stock, json.dumps) * 1000)
        ours_ms.append(seconds_to_write_and_read(ours, dumps_json) * 1000)
    rows = [
        ("request body, mean (kB)", statistics.mean(stock_kb), statistics.mean(ours_kb)),
        ("JSON written + read, mean (ms)", statistics.mean(stock_ms), statistics.mean(ours_ms)),
        ("... at the debrief's end (ms)", stock_ms[-1], ours_ms[-1]),
    ]
    print(f"action-server calls in one debrief of {len(events)} events: {len(stock_kb)}")
    print(f"{'':32}{'stock':>9}{'ours':>9}")
    for label, stock_value, ours_value in rows:
        print(f"{label:32}{stock_value:9.2f}{ours_value:9.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
