"""Increments per second of ``sdk.Counter``, in process and in Redis, against plain baselines.

    .venv/bin/python bench/counters.py [--redis-url redis://127.0.0.1:6379/N] [--increments N]

The baselines do the same work without the platform: a locked ``dict`` addition in process,
and one ``HINCRBY`` (or one pipeline of them) per call with redis-py. The ratio is
platform / baseline throughput. Peak memory: what ``tracemalloc`` saw while one process held
100,000 distinct keys unflushed. Figures go to docs/performance.md ("Counters").
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ent_core import sdk

meta = sdk.PluginMeta(name="bench_counters", version="1.0", label="Counters bench")
FLUSHED: list[int] = []


def add_impressions(counts: dict[str, int]) -> None:
    FLUSHED.append(sum(counts.values()))


impressions = sdk.Counter("impressions", flush=add_impressions)
KEYS = [f"creative:{n}" for n in range(1000)]


def rate(func: Callable[[int], None], increments: int, per_call: int = 1) -> float:
    """Increments per second of ``func(i)`` called ``increments // per_call`` times."""
    calls = increments // per_call
    start = time.perf_counter()
    for i in range(calls):
        func(i)
    return calls * per_call / (time.perf_counter() - start)


def compare(
    ours: Callable[[int], None], base: Callable[[int], None], increments: int, per_call: int = 1
) -> tuple[float, float]:
    """Median rates of ``ours`` and ``base`` over three alternating rounds (a busy machine
    slows both alike)."""
    rounds = [(rate(ours, increments, per_call), rate(base, increments, per_call)) for _ in "abc"]
    return statistics.median(r[0] for r in rounds), statistics.median(r[1] for r in rounds)


def in_process(increments: int) -> list[tuple[str, float, float]]:
    lock, plain = threading.Lock(), defaultdict(int)

    def baseline(i: int) -> None:
        with lock:
            plain[(1, KEYS[i % 1000])] += 1

    ours, base = compare(
        lambda i: impressions.add(KEYS[i % 1000], workspace=1), baseline, increments
    )
    impressions.flush()
    return [("in process, add()", ours, base)]


def in_redis(url: str, increments: int) -> list[tuple[str, float, float]]:
    from ent_core.jobs import redis_connection

    app = _current_app()
    client = redis_connection(app)
    raw_key = f"bench:counters:{secrets.token_hex(4)}"

    def baseline(i: int) -> None:
        client.hincrby(raw_key, f"1:{KEYS[i % 1000]}", 1)

    def baseline_batch(i: int) -> None:
        pipe = client.pipeline(transaction=False)
        for n in range(5):
            pipe.hincrby(raw_key, f"1:{KEYS[(i + n) % 1000]}", 1)
        pipe.execute()

    def ours_batch(i: int) -> None:
        impressions.add_many({KEYS[(i + n) % 1000]: 1 for n in range(5)}, workspace=1)

    single = (
        "Redis, add() (one HINCRBY)",
        *compare(lambda i: impressions.add(KEYS[i % 1000], workspace=1), baseline, increments),
    )
    batch = (
        "Redis, add_many() of 5 keys (one pipeline)",
        *compare(ours_batch, baseline_batch, increments, 5),
    )
    client.delete(raw_key)
    start = time.perf_counter()
    impressions.flush()
    say(f"flush of {len(KEYS)} keys from Redis: {1000 * (time.perf_counter() - start):.0f} ms")
    return [single, batch]


def peak_memory(keys: int) -> float:
    """MiB ``tracemalloc`` saw at the peak while ``keys`` distinct keys waited in process."""
    impressions._local.clear()
    tracemalloc.start()
    for n in range(keys):
        impressions.add(f"creative:{n}", workspace=1)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    impressions._local.clear()
    return peak / 2**20


def _current_app() -> Any:
    from flask import current_app

    return current_app._get_current_object()


def say(text: str) -> None:
    print(f"[counters {time.strftime('%H:%M:%S')}] {text}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis-url", help="a Redis database the bench may write to")
    parser.add_argument("--increments", type=int, default=200_000)
    args = parser.parse_args()

    from ent_core import create_app
    from ent_core.db import db

    folder = Path(tempfile.mkdtemp(prefix="ent-bench-counters-"))
    app = create_app(
        {
            "ENT_ENV": "testing",
            "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
            "ENT_INSTANCE_PATH": str(folder),
            "ENT_QUEUE": f"bench-{secrets.token_hex(4)}",
        },
        plugin_modules=[sys.modules[__name__]],
    )
    rows = []
    with app.app_context():
        db.create_all()
        rows += in_process(args.increments)
        say(f"peak memory, 100,000 keys unflushed in process: {peak_memory(100_000):.1f} MiB")
        if args.redis_url:
            app.config["REDIS_URL"] = args.redis_url
            rows += in_redis(args.redis_url, args.increments // 20)
    print(f"\n{'path':<44} {'increments/s':>13} {'baseline/s':>12} {'ratio':>6}")
    for name, ours, base in rows:
        print(f"{name:<44} {ours:>13,.0f} {base:>12,.0f} {ours / base:>6.2f}")
    print(f"(flushed {sum(FLUSHED):,} increments in all)")


if __name__ == "__main__":
    main()
