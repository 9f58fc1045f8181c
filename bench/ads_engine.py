"""Ad decisions in process: one placement where 200 live campaigns compete, against a baseline.

    .venv/bin/python bench/ads_engine.py [--redis-url redis://127.0.0.1:6379/N]
                                         [--decisions 50000] [--campaigns 200]

The platform path is ``decide()`` as delivery calls it: the delivery index of the process, the
priority classes (the sponsorship campaigns target another sector, so every decision filters
them out and draws among the standard ones), weights, contextual targets and dayparts on a
third of the campaigns, and caps, budgets and frequency caps on every one: each decision
reserves its impression in the counters (in process, then in Redis with ``--redis-url``), with
1,000 readers. The caps are high enough that nothing runs out during the run. The baseline
answers the same request with a dict lookup returning a fixed ``AdDecision`` (with Redis: one
``GET`` of a fixed decision, the round trip every decision pays for its counters). The ratio is
platform / baseline throughput; p50 and p99 are per decision, in microseconds. Memory: what
``tracemalloc`` saw at the peak while the index was built, and while the run's counters grew.
Figures go to docs/performance.md ("Ads").
"""

from __future__ import annotations

import argparse
import random
import secrets
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import _ads  # noqa: E402 - bench/ is on the path now
import _common  # noqa: E402

core_bench = _common.core_bench
READERS = 1000
TAGS = ("fibre", "5g", "cloud", "cybersécurité", "startups", "data")


def seed(app: Any, campaigns: int) -> str:
    """A publisher with one placement, an advertiser with ``campaigns`` live campaigns; returns
    the placement's public id."""
    from ent_core.db import db, utcnow

    rng = random.Random(2026)  # the same campaigns on every run
    public_id = secrets.token_hex(8)

    def campaign(n: int) -> dict[str, Any]:
        priority = "sponsorship" if n < campaigns // 10 else "standard"
        if n >= campaigns - campaigns // 20:
            priority = "remnant"
        contextual = n % 3 == 0
        return dict(
            name=f"Campaign {n}", priority=priority, weight=rng.randint(1, 100),
            category="technology", daily_budget=Decimal("100000.00"), max_impressions=10**9,
            max_daily_impressions=10**8, max_clicks=10**6, frequency_cap=10**6,
            pacing="asap", billing="prepaid", paid_at=now,
            target_sectors=["green"] if priority == "sponsorship" else (
                ["it"] if contextual else []
            ),
            target_tags=list(rng.sample(TAGS, 3)) if contextual else [],
            target_languages=["fr", "ar"] if contextual else [],
            dayparts=[f"{d}:{h}" for d in range(7) for h in range(24)] if contextual else [],
            landing_url="https://atlas-telecom.example/",
        )  # fmt: skip

    def creatives(n: int, cid: int) -> list[dict[str, Any]]:
        return [
            dict(name=f"Creative {n}.{m}", format=fmt, size=size, headline="Fibre 1 Gb",
                 alt_text="Fibre", click_url="",
                 file_token=None if fmt == "native" else "token")
            for m, (fmt, size) in enumerate((("image", "300x250"), ("native", None)))
        ]  # fmt: skip

    with app.app_context():
        now = utcnow()
        both = _ads.parties(app, now, plugins=("publishing", "ads"))  # its place's module
        _ads.placements(
            both.publisher_id,
            [{"code": "publishing.article.aside", "name": "Aside", "public_id": public_id,
              "sizes": ["300x250", "300x600"], "formats": ["image", "native"]}],
        )  # fmt: skip
        _ads.campaigns(both.advertiser_id, campaigns, now, campaign=campaign, creatives=creatives)
        db.session.commit()
    return public_id


def timings(call: Callable[[int], Any], count: int) -> tuple[float, list[int]]:
    """Decisions per second and each call's nanoseconds."""
    clock = time.perf_counter_ns
    spans = []
    started = clock()
    for i in range(count):
        before = clock()
        call(i)
        spans.append(clock() - before)
    return count / ((clock() - started) / 1e9), spans


def quantile(spans: list[int], q: float) -> float:
    ordered = sorted(spans)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] / 1000


def compare(
    name: str, ours: Callable[[int], Any], base: Callable[[int], Any], count: int
) -> dict[str, Any]:
    """Three alternating rounds of each (a busy machine slows both alike); medians."""
    rounds = [(timings(ours, count), timings(base, count)) for _ in "abc"]
    row = {
        "path": name,
        "rate": statistics.median(r[0][0] for r in rounds),
        "base": statistics.median(r[1][0] for r in rounds),
        "p50": statistics.median(quantile(r[0][1], 0.50) for r in rounds),
        "p99": statistics.median(quantile(r[0][1], 0.99) for r in rounds),
        "base_p50": statistics.median(quantile(r[1][1], 0.50) for r in rounds),
        "base_p99": statistics.median(quantile(r[1][1], 0.99) for r in rounds),
    }
    say(f"{name}: {row['rate']:,.0f} decisions/s (baseline {row['base']:,.0f}/s)")
    return row


def run_paths(app: Any, place: str, decisions: int, redis_url: str | None) -> list[dict]:
    from ent_plugins.ads import caps, index
    from ent_plugins.ads.decide import AdRequest, decide

    from ent_core.db import utcnow

    rows = []
    with app.app_context():
        now = utcnow()
        readers = [caps.reader_key(f"browser-{n}", now) for n in range(READERS)]
        page = {"size": "300x250", "sector": "it", "tags": ("fibre", "data"), "language": "fr"}
        requests = [AdRequest(place, now, reader=readers[n], **page) for n in range(READERS)]
        first = decide(requests[0])
        if first is None:
            raise RuntimeError("nothing served: the seeding is wrong")
        fixed = {(place, "300x250"): first}

        def baseline(i: int) -> Any:
            request = requests[i % READERS]
            return fixed.get((request.placement, request.size))

        def platform(i: int) -> Any:
            return decide(requests[i % READERS])

        rows.append(compare("in process, counters in process", platform, baseline, decisions))
        served = sum(1 for i in range(1000) if platform(i) is not None)
        if served != 1000:
            raise RuntimeError(f"only {served} of 1,000 decisions served: caps ran out")
        snapshot = index.current()
        candidates = sum(len(c) for c in snapshot.candidates[(place, "300x250")])
        say(f"{candidates} campaigns compete on the placement at 300x250")
        if redis_url:
            from redis import Redis

            app.config["REDIS_URL"] = redis_url
            caps.reset(app)
            client = Redis.from_url(redis_url)
            key = f"bench:ads:fixed:{secrets.token_hex(4)}"
            client.set(key, repr(first), ex=3600)

            def redis_baseline(i: int) -> Any:
                """One GET of a fixed decision: a round trip and nothing else."""
                request = requests[i % READERS]
                return client.get(key) if request.placement else None

            rows.append(
                compare("in process, counters in Redis", platform, redis_baseline, decisions // 5)
            )
            client.delete(key)
    return rows


def memory(app: Any, decisions: int) -> tuple[float, float, float]:
    """Build time (ms) and tracemalloc peaks (MiB): building the index, and ``decisions``
    decisions with fresh counters (1,000 readers' frequency keys on 200 campaigns)."""
    from ent_plugins.ads import caps, index
    from ent_plugins.ads.decide import AdRequest, decide

    from ent_core.db import utcnow

    with app.app_context():
        app.config["REDIS_URL"] = None
        caps.reset(app)
        now = utcnow()
        started = time.perf_counter()
        tracemalloc.start()
        snapshot = index.load(now)
        build_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        build_ms = (time.perf_counter() - started) * 1000
        place = next(iter(snapshot.placements))
        readers = [caps.reader_key(f"browser-{n}", now) for n in range(READERS)]
        index.current()
        tracemalloc.start()
        for n in range(decisions):
            decide(AdRequest(place, now, sector="it", reader=readers[n % READERS]))
        run_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return build_ms, build_peak / 2**20, run_peak / 2**20


def say(text: str) -> None:
    print(f"[ads engine {time.strftime('%H:%M:%S')}] {text}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis-url", help="a Redis database the bench may write to")
    parser.add_argument("--decisions", type=int, default=50_000)
    parser.add_argument("--campaigns", type=int, default=200)
    args = parser.parse_args()

    from ent_core import create_app
    from ent_core.db import db
    from ent_core.reference_data import ensure_reference_data

    folder = Path(tempfile.mkdtemp(prefix="ent-bench-ads-"))
    app = create_app(
        {
            "ENT_ENV": "testing",
            "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
            "ENT_INSTANCE_PATH": str(folder),
            "ENT_QUEUE": f"bench-{secrets.token_hex(4)}",
            "REDIS_URL": None,
        }
    )
    with app.app_context():
        db.create_all()
        ensure_reference_data()
    place = seed(app, args.campaigns)
    say(f"{args.campaigns} live campaigns seeded")
    rows = run_paths(app, place, args.decisions, args.redis_url)
    build_ms, build_mib, run_mib = memory(app, 10_000)
    print(
        f"\n{'path':<34} {'decisions/s':>12} {'p50 µs':>8} {'p99 µs':>8}"
        f" {'baseline/s':>12} {'p50 µs':>7} {'p99 µs':>7} {'ratio':>7}"
    )
    for r in rows:
        print(
            f"{r['path']:<34} {r['rate']:>12,.0f} {r['p50']:>8.1f} {r['p99']:>8.1f}"
            f" {r['base']:>12,.0f} {r['base_p50']:>7.2f} {r['base_p99']:>7.2f}"
            f" {r['rate'] / r['base']:>7.4f}"
        )
    print(
        f"index of {args.campaigns} campaigns built in {build_ms:.0f} ms, peak {build_mib:.1f} MiB;"
        f" 10,000 decisions with fresh counters (1,000 readers): peak {run_mib:.1f} MiB"
    )


if __name__ == "__main__":
    main()
