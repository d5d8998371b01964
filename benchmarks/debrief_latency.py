"""Benchmark: N simulated debriefs at once through the REST channel.

Starts its own servers (temporary databases) unless --url is given, holds N complete
debriefs concurrently, and prints per-turn latency (p50/p95/p99), throughput and errors.
A script that prints figures, not a test: slow machines give slower figures, not failures.

    .venv/bin/python -m benchmarks.debrief_latency --concurrency 1 20
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from devtools.servers import BotServers, local_token_for
from devtools.worker import SimulatedWorker


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def one_debrief(rest_url: str, token_for=local_token_for) -> tuple[list[float], int, str | None]:
    worker = SimulatedWorker(
        rest_url=rest_url, sender=f"bench-{uuid.uuid4().hex[:10]}", token_for=token_for
    )
    try:
        asked = worker.hold_debrief()
    except Exception as error:  # noqa: BLE001 - a benchmark counts every failure kind
        return [t.seconds for t in worker.turns], 0, f"{type(error).__name__}: {error}"
    return [t.seconds for t in worker.turns], len(asked), None


def run_level(rest_url: str, concurrency: int, token_for=local_token_for) -> None:
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(lambda _: one_debrief(rest_url, token_for), range(concurrency)))
    elapsed = time.perf_counter() - start
    latencies = [s for turns, _, _ in results for s in turns]
    errors = [e for _, _, e in results if e]
    questions = sum(n for _, n, _ in results)
    print(
        f"N={concurrency:<3} debriefs={concurrency} turns={len(latencies)} "
        f"questions={questions} errors={len(errors)} wall={elapsed:.1f}s "
        f"throughput={len(latencies) / elapsed:.1f} turns/s "
        f"p50={percentile(latencies, 0.5) * 1000:.0f}ms "
        f"p95={percentile(latencies, 0.95) * 1000:.0f}ms "
        f"p99={percentile(latencies, 0.99) * 1000:.0f}ms "
        f"mean={statistics.mean(latencies) * 1000:.0f}ms",
        flush=True,
    )
    for error in errors[:3]:
        print(f"  error: {error}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 20])
    parser.add_argument("--url", help="REST webhook of running servers (default: start our own)")
    args = parser.parse_args()
    servers = None
    rest_url = args.url
    token_for = local_token_for  # the servers of `make run` trust var/secrets/
    if rest_url is None:
        print("Starting servers with temporary databases ...", flush=True)
        servers = BotServers(workdir=Path(tempfile.mkdtemp(prefix="bench-"))).start()
        rest_url = servers.rest_url
        token_for = servers.token_for
    try:
        run_level(rest_url, 1, token_for)  # warm-up: first requests load lazily built parts
        for level in args.concurrency:
            run_level(rest_url, level, token_for)
    finally:
        if servers:
            servers.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
