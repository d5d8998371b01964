"""Benchmark: our bot against Rasa's own starter bot, in the same run on the same machine.

For each bot in turn (never both at once): cold start (spawn -> REST channel answering),
the Rasa server's memory, then for each concurrency level N simulated conversations held
for a fixed time through the REST channel: per-turn latency p50/p95/p99, throughput,
errors, and — for our bot — lost or duplicated answers (rows in the records database
counted against the answers sent). Figures are printed as ratios ours/starter, because
absolute times depend on the machine.

The starter bot is ``rasa init --no-prompt`` trained in a temporary folder (no network
needed); --starter-dir reuses one made earlier. Our bot uses models/current.tar.gz
(or --model), SQLite records and tracker store in a temporary folder, as devtools'
BotServers does. A profile at concurrency 1 splits our turn into NLU (/model/parse),
the action server round trip (timed by a proxy) and the rest (policies, tracker store,
channel). --train also times a full training of each bot from scratch (no cache).

    .venv/bin/python -m benchmarks.vs_starter --levels 1 20 --duration 60
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text

from benchmarks.bench_servers import ActionTimer, OurBot, StarterBot, rss_mib, time_training
from devtools.servers import PROJECT_ROOT
from devtools.worker import SimulatedWorker

STARTER_SCRIPT = ["hello", "I am sad", "yes", "great", "are you a bot?", "bye"]
OPENING = "I need to debrief a visit"


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class LevelResult:
    bot: str
    concurrency: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    conversations: int = 0
    answers_sent: int = 0
    lost: int = 0
    duplicated: int = 0
    rss_peak: float = 0.0

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds

    def line(self) -> str:
        ms = [percentile(self.latencies, p) * 1000 for p in (0.5, 0.95, 0.99)]
        extra = (
            f" answers={self.answers_sent} lost={self.lost} duplicated={self.duplicated}"
            if self.bot == "ours"
            else ""
        )
        return (
            f"{self.bot:<8} N={self.concurrency:<3} turns={len(self.latencies):<5} "
            f"throughput={self.throughput:5.2f}/s p50={ms[0]:6.0f}ms p95={ms[1]:6.0f}ms "
            f"p99={ms[2]:6.0f}ms errors={len(self.errors)} "
            f"conversations={self.conversations}{extra} rss_peak={self.rss_peak:.0f}MiB"
        )


class RssSampler:
    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mib(self.pid) or 0.0)
            self._stop.wait(0.5)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak


def post(url: str, body: dict, headers: dict | None = None, timeout: float = 120) -> list[dict]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read().decode() or "[]")


# --- one simulated user, looping conversations until the deadline -----------------------


def starter_user(bot: StarterBot, deadline: float, result: LevelResult, lock) -> None:
    while time.monotonic() < deadline:
        sender = f"starter-{uuid.uuid4().hex[:10]}"
        for message in STARTER_SCRIPT:
            if time.monotonic() >= deadline:
                return
            start = time.perf_counter()
            try:
                post(bot.rest_url, {"sender": sender, "message": message})
            except Exception as error:  # noqa: BLE001 - a benchmark counts every failure
                with lock:
                    result.errors.append(f"{type(error).__name__}: {error}")
                break
            with lock:
                result.latencies.append(time.perf_counter() - start)
        with lock:
            result.conversations += 1


def our_user(bot: OurBot, deadline: float, result: LevelResult, lock, sent: dict) -> None:
    while time.monotonic() < deadline:
        worker = SimulatedWorker(
            rest_url=bot.rest_url, sender=f"bench-{uuid.uuid4().hex[:10]}", token_for=bot.token_for
        )
        answered: list[str] = []
        message, question = OPENING, None
        while time.monotonic() < deadline:
            try:
                replies = worker.send(message, timeout=120)
            except Exception as error:  # noqa: BLE001
                with lock:
                    result.errors.append(f"{type(error).__name__}: {error}")
                break
            with lock:
                result.latencies.append(worker.turns[-1].seconds)
            if question is not None:
                answered.append(question)
            question = worker.asked_question(replies)
            if question is None:
                break
            message = worker.answer_for(question)
        with lock:
            result.conversations += 1
            sent[worker.sender] = answered


def count_answers(database_url: str, sent: dict[str, list[str]]) -> tuple[int, int]:
    """(lost, duplicated): answers sent without their row; rows beyond one per answer
    sent (a message handled twice lands on the next question, or revises an answer)."""
    engine = create_engine(database_url, future=True)
    lost = duplicated = 0
    try:
        with engine.connect() as connection:
            for sender, answered in sent.items():
                rows = connection.execute(
                    text(
                        "SELECT a.question_id, (SELECT count(*) FROM answer_revisions r"
                        " WHERE r.answer_id = a.id) FROM answers a JOIN debriefs d"
                        " ON d.id = a.debrief_id WHERE d.sender_id = :s"
                    ),
                    {"s": sender},
                ).all()
                stored = {q for q, _ in rows}
                lost += len(set(answered) - stored)
                duplicated += len(stored - set(answered)) + sum(r for _, r in rows)
    finally:
        engine.dispose()
    return lost, duplicated


def run_level(name: str, bot, pid: int, concurrency: int, duration: float) -> LevelResult:
    result = LevelResult(name, concurrency, duration)
    lock, sent = threading.Lock(), {}
    sampler = RssSampler(pid)
    start = time.monotonic()
    deadline = start + duration
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for _ in range(concurrency):
            if name == "starter":
                pool.submit(starter_user, bot, deadline, result, lock)
            else:
                pool.submit(our_user, bot, deadline, result, lock, sent)
    # Turns in flight at the deadline finish and count: time to the last one.
    result.seconds = time.monotonic() - start
    result.rss_peak = sampler.stop()
    if name == "ours":
        result.answers_sent = sum(len(a) for a in sent.values())
        result.lost, result.duplicated = count_answers(bot.database_url, sent)
    return result


# --- profile: where a turn of ours goes (concurrency 1) ---------------------------------


def profile_ours(bot: OurBot, turns: int = 40) -> dict[str, float]:
    worker = SimulatedWorker(
        rest_url=bot.rest_url, sender=f"profile-{uuid.uuid4().hex[:8]}", token_for=bot.token_for
    )
    parse_url = f"{bot.rasa_url}/model/parse?token={urllib.parse.quote(bot.api_token or '')}"
    totals = {"turn": 0.0, "nlu": 0.0, "actions": 0.0, "action_calls": 0.0}
    message, count = OPENING, 0
    while count < turns:
        start = time.perf_counter()
        post(parse_url, {"text": message})
        totals["nlu"] += time.perf_counter() - start
        calls0, seconds0 = bot.timer.snapshot()
        replies = worker.send(message, timeout=120)
        calls1, seconds1 = bot.timer.snapshot()
        totals["turn"] += worker.turns[-1].seconds
        totals["actions"] += seconds1 - seconds0
        totals["action_calls"] += calls1 - calls0
        count += 1
        question = worker.asked_question(replies)
        if question is None:
            worker = SimulatedWorker(
                rest_url=bot.rest_url,
                sender=f"profile-{uuid.uuid4().hex[:8]}",
                token_for=bot.token_for,
            )
            message = OPENING
        else:
            message = worker.answer_for(question)
    return {k: v / count for k, v in totals.items()}


def profile_starter(bot: StarterBot, turns: int = 30) -> dict[str, float]:
    parse_url = f"{bot.base_url}/model/parse?token={bot.api_token}"
    totals = {"turn": 0.0, "nlu": 0.0}
    sender = f"profile-{uuid.uuid4().hex[:8]}"
    for index in range(turns):
        message = STARTER_SCRIPT[index % len(STARTER_SCRIPT)]
        start = time.perf_counter()
        post(parse_url, {"text": message})
        totals["nlu"] += time.perf_counter() - start
        start = time.perf_counter()
        post(bot.rest_url, {"sender": sender, "message": message})
        totals["turn"] += time.perf_counter() - start
    return {k: v / turns for k, v in totals.items()}


# --- the run ----------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 20])
    parser.add_argument("--duration", type=float, default=60, help="seconds per level")
    parser.add_argument("--model", type=Path, default=PROJECT_ROOT / "models" / "current.tar.gz")
    parser.add_argument("--starter-dir", type=Path, help="reuse a `rasa init` folder")
    parser.add_argument("--train", action="store_true", help="also time full training of both")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()

    figures: dict = {"levels": {}, "cold_start": {}, "rss_loaded": {}, "profile": {}}
    temp = Path(tempfile.mkdtemp(prefix="vs-starter-"))
    starter_dir = args.starter_dir or temp / "starter"
    starter = StarterBot(starter_dir)
    if starter.model() is None:
        print(f"rasa init --no-prompt in {starter_dir} ...", flush=True)
        starter.init()
        print(f"  starter created and trained in {starter.train_seconds:.0f} s", flush=True)

    if args.train:
        out = temp / "train"
        figures["train_starter"] = time_training(out, starter_dir, [])
        print(f"full training, starter: {figures['train_starter']:.0f} s", flush=True)
        figures["train_ours"] = time_training(
            out,
            PROJECT_ROOT,
            ["--domain", "domain", "--data", "data", "--config", "config.yml"],
        )
        print(f"full training, ours:    {figures['train_ours']:.0f} s", flush=True)

    results: list[LevelResult] = []
    # --- the starter bot
    print("starting the starter bot ...", flush=True)
    starter.start()
    try:
        figures["cold_start"]["starter"] = starter.cold_start
        figures["rss_loaded"]["starter"] = rss_mib(starter.process.pid)
        run_level("starter", starter, starter.process.pid, 1, 5)  # warm-up
        figures["profile"]["starter"] = profile_starter(starter)
        for level in args.levels:
            results.append(run_level("starter", starter, starter.process.pid, level, args.duration))
            print(results[-1].line(), flush=True)
        figures["rss_after"] = {"starter": rss_mib(starter.process.pid)}
    finally:
        starter.stop()

    # --- ours
    print("starting our bot ...", flush=True)
    bot = OurBot(workdir=temp / "ours", model=args.model, api_token="bench")
    bot.timer = ActionTimer(bot.action_port)
    bot.start(timeout=600)
    try:
        figures["cold_start"]["ours"] = time.monotonic() - bot.spawned_at["rasa"]
        rasa_pid = bot.pid("rasa")
        figures["rss_loaded"]["ours"] = rss_mib(rasa_pid)
        run_level("ours", bot, rasa_pid, 1, 20)  # warm-up: lazily loaded parts (spaCy)
        figures["profile"]["ours"] = profile_ours(bot)
        for level in args.levels:
            results.append(run_level("ours", bot, rasa_pid, level, args.duration))
            print(results[-1].line(), flush=True)
        figures["rss_after"]["ours"] = rss_mib(rasa_pid)
        figures["rss_after"]["ours_action_server"] = rss_mib(bot.pid("actions"))
    finally:
        bot.stop()
        bot.timer.close()

    report(figures, results)
    if args.json:
        figures["levels"] = [
            {
                "bot": r.bot,
                "N": r.concurrency,
                "turns": len(r.latencies),
                "p50": percentile(r.latencies, 0.5),
                "p95": percentile(r.latencies, 0.95),
                "p99": percentile(r.latencies, 0.99),
                "throughput": r.throughput,
                "errors": len(r.errors),
                "lost": r.lost,
                "duplicated": r.duplicated,
                "answers_sent": r.answers_sent,
                "rss_peak": r.rss_peak,
            }
            for r in results
        ]
        args.json.write_text(json.dumps(figures, indent=2))
    shutil.rmtree(temp, ignore_errors=True)  # a --starter-dir lies outside it
    return 0


def report(figures: dict, results: list[LevelResult]) -> None:
    print("\n== results (all from this run)")
    for result in results:
        print(result.line())
        for error in result.errors[:3]:
            print(f"   error: {error}")
    cold, rss, after = figures["cold_start"], figures["rss_loaded"], figures["rss_after"]
    print(
        f"cold start (spawn -> REST answers): ours {cold['ours']:.1f} s, "
        f"starter {cold['starter']:.1f} s"
    )
    print(
        f"Rasa server RSS loaded: ours {rss['ours']:.0f} MiB, starter {rss['starter']:.0f} MiB; "
        f"after the load: ours {after['ours']:.0f} MiB, starter {after['starter']:.0f} MiB; "
        f"our action server {after['ours_action_server']:.0f} MiB (the starter has none)"
    )
    ours_p, starter_p = figures["profile"]["ours"], figures["profile"]["starter"]
    rest = ours_p["turn"] - ours_p["nlu"] - ours_p["actions"]
    print(
        f"profile, ours, mean per turn at N=1: turn {ours_p['turn'] * 1000:.0f} ms = NLU "
        f"{ours_p['nlu'] * 1000:.0f} ms + action server {ours_p['actions'] * 1000:.0f} ms "
        f"({ours_p['action_calls']:.1f} calls) + policies/tracker store/channel "
        f"{rest * 1000:.0f} ms"
    )
    print(
        f"profile, starter, mean per turn at N=1: turn {starter_p['turn'] * 1000:.0f} ms, "
        f"NLU {starter_p['nlu'] * 1000:.0f} ms"
    )
    if "train_ours" in figures:
        print(
            f"full training: ours {figures['train_ours']:.0f} s, "
            f"starter {figures['train_starter']:.0f} s"
        )

    print("\n== goals (ours against the starter bot, this run)")
    by = {(r.bot, r.concurrency): r for r in results}
    for level in sorted({r.concurrency for r in results}):
        ours, starter = by.get(("ours", level)), by.get(("starter", level))
        if not (ours and starter):
            continue
        ratio = percentile(ours.latencies, 0.5) / percentile(starter.latencies, 0.5)
        speed = ours.throughput / starter.throughput
        goal = f" (goal >= 2 at N=20: {'met' if speed >= 2 else 'NOT met'})" if level == 20 else ""
        print(
            f"N={level}: median latency ours/starter = {ratio:.2f} (goal <= 0.5: "
            f"{'met' if ratio <= 0.5 else 'NOT met'}); throughput ours/starter = "
            f"{speed:.2f}{goal}"
        )
    print(
        f"memory ours/starter = {rss['ours'] / rss['starter']:.2f} (goal <= 1: "
        f"{'met' if rss['ours'] <= rss['starter'] else 'NOT met'})"
    )
    print(
        f"cold start ours/starter = {cold['ours'] / cold['starter']:.2f} (goal <= 1: "
        f"{'met' if cold['ours'] <= cold['starter'] else 'NOT met'})"
    )
    if "train_ours" in figures:
        print(
            f"full training of ours {figures['train_ours']:.0f} s (goal < 180 s on 2 cores: "
            f"{'met' if figures['train_ours'] < 180 else 'NOT met'})"
        )


if __name__ == "__main__":
    raise SystemExit(main())
