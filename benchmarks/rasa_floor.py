"""Benchmark: what Rasa 3.6 itself costs per REST turn, against the starter bot.

The "floor" bot is the starter bot (``rasa init --no-prompt``) with the lightest pipeline
Rasa has: a whitespace tokenizer and the keyword intent classifier, RulePolicy alone (a
rule per intent replaces the stories), the in-memory tracker store and no action server.
Its turn is Rasa's own channel, processor, lock and prediction loop with almost no model
work, so the gap between it and a bot is what that bot's NLU, policies, actions and
stores cost. Both bots are held one at a time for the same scripted conversations, N=1.

    .venv/bin/python -m benchmarks.rasa_floor --turns 300 --rounds 2

It prints figures; it never fails on a slow machine.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import yaml

from benchmarks.bench_servers import StarterBot, bench_env
from benchmarks.vs_starter import STARTER_SCRIPT, percentile, post
from devtools.servers import VENV_BIN

FLOOR_CONFIG = {
    "recipe": "default.v1",
    "assistant_id": "rasa-floor",
    "language": "en",
    "pipeline": [{"name": "WhitespaceTokenizer"}, {"name": "KeywordIntentClassifier"}],
    "policies": [{"name": "RulePolicy"}],
}
# The starter's intents and the response its stories give each (one rule per intent).
FLOOR_RULES = {
    "greet": "utter_greet",
    "mood_unhappy": "utter_cheer_up",
    "affirm": "utter_happy",
    "mood_great": "utter_happy",
    "deny": "utter_goodbye",
    "goodbye": "utter_goodbye",
    "bot_challenge": "utter_iamabot",
}


def make_floor_bot(starter_dir: Path, folder: Path) -> Path:
    """The floor bot in ``folder``, from the starter's domain and NLU data, trained."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("domain.yml", "credentials.yml", "endpoints.yml"):
        shutil.copy(starter_dir / name, folder / name)
    (folder / "data").mkdir(exist_ok=True)
    shutil.copy(starter_dir / "data" / "nlu.yml", folder / "data" / "nlu.yml")
    rules = [
        {"rule": intent, "steps": [{"intent": intent}, {"action": action}]}
        for intent, action in FLOOR_RULES.items()
    ]
    (folder / "data" / "rules.yml").write_text(yaml.safe_dump({"version": "3.1", "rules": rules}))
    (folder / "config.yml").write_text(yaml.safe_dump(FLOOR_CONFIG, sort_keys=False))
    done = subprocess.run(
        [str(VENV_BIN / "rasa"), "train", "--fixed-model-name", "floor"],
        cwd=folder,
        env=bench_env(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    if done.returncode != 0:
        raise RuntimeError(f"training the floor bot failed:\n{done.stdout[-2000:]}")
    return folder


def turn_times(folder: Path, turns: int) -> list[float]:
    """Seconds per REST turn, ``turns`` of them, after a warm-up conversation."""
    bot = StarterBot(folder).start()
    try:
        sender = f"warm-{uuid.uuid4().hex[:8]}"
        for message in STARTER_SCRIPT * 3:
            post(bot.rest_url, {"sender": sender, "message": message})
        times = []
        for index in range(turns):
            if index % len(STARTER_SCRIPT) == 0:
                sender = f"floor-{uuid.uuid4().hex[:8]}"
            message = STARTER_SCRIPT[index % len(STARTER_SCRIPT)]
            start = time.perf_counter()
            replies = post(bot.rest_url, {"sender": sender, "message": message})
            times.append(time.perf_counter() - start)
            if not replies:
                raise RuntimeError(f"{folder.name} gave no reply to {message!r}")
        return times
    finally:
        bot.stop()


def line(name: str, times: list[float]) -> str:
    mean = sum(times) / len(times)
    return (
        f"{name:8} p50 {percentile(times, 0.5) * 1e3:6.1f} ms  "
        f"p95 {percentile(times, 0.95) * 1e3:6.1f} ms  mean {mean * 1e3:6.1f} ms  n={len(times)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--starter-dir", type=Path, help="reuse a `rasa init` folder")
    args = parser.parse_args()

    temp = Path(tempfile.mkdtemp(prefix="rasa-floor-"))
    try:
        starter = StarterBot(args.starter_dir or temp / "starter")
        if starter.model() is None:
            print(f"rasa init --no-prompt in {starter.folder} ...", flush=True)
            starter.init()
        print("training the floor bot ...", flush=True)
        floor = make_floor_bot(starter.folder, temp / "floor")
        for round_number in range(1, args.rounds + 1):
            floor_times = turn_times(floor, args.turns)
            starter_times = turn_times(starter.folder, args.turns)
            ratio = percentile(floor_times, 0.5) / percentile(starter_times, 0.5)
            print(f"round {round_number}", flush=True)
            print("  " + line("floor", floor_times))
            print("  " + line("starter", starter_times))
            print(f"  floor / starter (p50): {ratio:.2f}", flush=True)
    finally:
        # A --starter-dir folder is the caller's; everything made here goes.
        shutil.rmtree(temp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
