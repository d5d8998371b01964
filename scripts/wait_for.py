"""Wait until every URL answers 200, printing progress; fail early if a server died.

python scripts/wait_for.py URL [URL ...] [--timeout S] [--pids PID ...] [--logs F ...]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import urllib.error
import urllib.request


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def tail(path: str, lines: int = 20) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return "".join(handle.readlines()[-lines:])
    except OSError:
        return ""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--pids", nargs="*", type=int, default=[])
    parser.add_argument("--logs", nargs="*", default=[])
    args = parser.parse_args()
    start = time.monotonic()
    waiting = list(args.urls)
    print("Starting servers", end="", flush=True)
    while waiting:
        waiting = [url for url in waiting if not answers(url)]
        if not waiting:
            break
        dead = [pid for pid in args.pids if not alive(pid)]
        if dead or time.monotonic() - start > args.timeout:
            reason = "a server exited" if dead else f"no answer after {args.timeout:.0f}s"
            print(
                f"\nCould not start: {reason} (waiting for {', '.join(waiting)}).", file=sys.stderr
            )
            for log in args.logs:
                print(f"--- last lines of {log} ---\n{tail(log)}", file=sys.stderr)
            return 1
        print(".", end="", flush=True)
        time.sleep(1)
    print(f" ready in {time.monotonic() - start:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
