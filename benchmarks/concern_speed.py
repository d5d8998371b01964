"""Speed of the free-text concern detector.

    .venv/bin/python -m benchmarks.concern_speed [N]

Prints the pipeline load time (first use, rules compiled) and accounts per second after
load, over N (default 5,000) short generated debrief accounts, in one process, through
detect_many (nlp.pipe with batches).
"""

from __future__ import annotations

import random
import sys
import time

OPENERS = [
    "Visit was fine.",
    "Quick visit today.",
    "Home visit this afternoon.",
    "Joint visit with the HV.",
    "Unannounced visit.",
    "Planned visit.",
    "Went round after school.",
    "Doorstep visit only.",
]
MIDDLES = [
    "Mum kept saying the baby was asleep upstairs.",
    "I saw both children on their own.",
    "Dad did all the talking.",
    "Nobody answered the door.",
    "She was calm and we talked it through.",
    "The house was tidy and there was food in.",
    "Her partner was shouting in the hallway.",
    "I didn't get to see Kyle alone.",
    "They agree with everything but nothing changes.",
    "Most of the visit was about her housing.",
    "Ella told me about school and her friends.",
    "The kids were at nursery.",
    "Mum has cancelled again.",
    "He says he'll post it online.",
    "Mum was frightened of what the school would say.",
    "I felt relieved when she cancelled.",
    "We don't know who the man is.",
    "The school and HV describe the same picture.",
]
CLOSERS = [
    "",
    "Next visit Thursday.",
    "I'm exhausted.",
    "Will discuss in supervision.",
    "All fine.",
    "Honestly I was scared.",
    "TL aware.",
    "Core group next week.",
]


def accounts(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [
        " ".join(
            part
            for part in (
                rng.choice(OPENERS),
                rng.choice(MIDDLES),
                rng.choice(MIDDLES),
                rng.choice(CLOSERS),
            )
            if part
        )
        for _ in range(n)
    ]


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 5000
    texts = accounts(n)
    start = time.perf_counter()
    from actions.concerns.detector import detect, detect_many, get_pipeline

    get_pipeline()
    detect("warm up")
    load = time.perf_counter() - start
    start = time.perf_counter()
    results = detect_many(texts)
    elapsed = time.perf_counter() - start
    raised = sum(len(r) for r in results)
    print(f"pipeline load: {load:.2f} s")
    print(f"accounts: {n}, concerns raised: {raised}")
    print(f"throughput after load: {n / elapsed:.0f} accounts/s ({elapsed:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
