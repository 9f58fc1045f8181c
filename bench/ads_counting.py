"""Counting a million impressions and a million clicks: recorded, flushed, exact.

    .venv/bin/python bench/ads_counting.py                    # fresh PostgreSQL + private Redis
    .venv/bin/python bench/ads_counting.py --events 100000    # quick look

Issue #17's "Measured" (counting): ``--events`` impressions and as many clicks (CPM 40 MAD and
CPC 2.50 MAD) on 200 campaigns and 4 placements are recorded through the module's own calls
(``counting.served``/``counting.clicked``: one ``HINCRBY`` each, as decisions and clicks do)
by ``--threads`` threads, while a flusher runs ``counting.delivery.flush()`` every
``--flush-every`` seconds, as the core's schedule does every minute; a last flush follows.
Then PostgreSQL is summed: impressions, clicks and spend on both sides and ``Campaign.spent``
must equal what was recorded, to the event and the micro-dirham. Reported: recording rate,
each flush's time and the time per million events flushed, the process's peak resident
memory and Redis's peak memory. Figures: docs/performance.md ("Ads"). Not part of the suite.
"""

from __future__ import annotations

import argparse
import resource
import secrets
import sys
import threading
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import _ads  # noqa: E402 - bench/ is on the path now
import _common  # noqa: E402
import run as core_bench  # noqa: E402

CAMPAIGNS = 200
PLACEMENTS = 4
CPM_MICROS = 40_000  # 40 MAD per 1,000 impressions
CPC_MICROS = 2_500_000  # 2.50 MAD per click


def build() -> tuple[Any, list[tuple[int, ...]]]:
    """The platform, a publisher with 4 placements, an advertiser with 200 campaigns; the
    (advertiser, campaign, creative, placement, publisher) tuples events are spread over."""
    from ent_core import create_app, sdk

    app = create_app()
    core_bench.migrate(app)
    now = datetime.now(UTC)
    with app.app_context():
        both = _ads.parties(app, now)
        places = _ads.externals(both.publisher_id, PLACEMENTS)
        budget = {"budget": Decimal("10000000.00")}
        campaigns, creatives = _ads.campaigns(
            both.advertiser_id, CAMPAIGNS, now, campaign=lambda n: budget
        )
        sdk.db.session.commit()
        targets = [
            (both.advertiser_id, cid, crid, pid, both.publisher_id)
            for cid, crid in zip(campaigns, creatives, strict=True)
            for pid in places
        ]
    return app, targets


def record(app: Any, targets: list[tuple[int, ...]], events: int, threads: int) -> float:
    """``events`` impressions and as many clicks, spread over targets and two hours."""
    from ent_plugins.ads import counting

    hour = counting.hour_of(datetime.now(UTC))

    def work(offset: int) -> None:
        with app.app_context():
            for n in range(offset, events, threads):
                ids = (*targets[n % len(targets)], hour + n % 2)
                counting.served(*ids, impression_micros=CPM_MICROS)
                counting.clicked(*ids, click_micros=CPC_MICROS)

    start = time.perf_counter()
    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return time.perf_counter() - start


def flushing(app: Any, every: float, stop: threading.Event, times: list[float]) -> None:
    from ent_plugins.ads import counting

    with app.app_context():
        while not stop.wait(every):
            start = time.perf_counter()
            counting.delivery.flush()
            times.append(time.perf_counter() - start)


def totals(app: Any) -> dict[str, int]:
    from ent_plugins.ads.models import Campaign, CampaignStat, PlacementStat

    from ent_core import sdk

    func = sdk.db.func
    with app.app_context(), sdk.all_workspaces():
        c = sdk.db.session.execute(
            sdk.db.select(
                func.sum(CampaignStat.impressions),
                func.sum(CampaignStat.clicks),
                func.sum(CampaignStat.spend_micros),
            )
        ).one()
        p = sdk.db.session.execute(
            sdk.db.select(
                func.sum(PlacementStat.requests),
                func.sum(PlacementStat.impressions),
                func.sum(PlacementStat.clicks),
                func.sum(PlacementStat.spend_micros),
            )
        ).one()
        spent = sdk.db.session.scalar(sdk.db.select(func.sum(Campaign.spent)))
    names = ("impressions", "clicks", "spend", "p_requests", "p_impressions", "p_clicks",
             "p_spend")  # fmt: skip
    found = dict(zip(names, (int(v or 0) for v in (*c, *p)), strict=True))
    found["spent_micros"] = int(Decimal(spent or 0) * 1_000_000)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="impressions (and clicks)")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--flush-every", type=float, default=5.0, help="seconds between flushes")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    with _common.environment(
        "adscount", keep_db=args.keep_db, ENT_QUEUE=f"bench-{secrets.token_hex(3)}"
    ) as env:
        app, targets = build()
        stop, times = threading.Event(), []
        flusher = threading.Thread(target=flushing, args=(app, args.flush_every, stop, times))
        flusher.start()
        recording_s = record(app, targets, args.events, args.threads)
        stop.set()
        flusher.join()
        from ent_plugins.ads import counting

        with app.app_context():
            start = time.perf_counter()
            counting.delivery.flush()
            times.append(time.perf_counter() - start)
            from ent_core.jobs import redis_connection

            redis_peak = redis_connection(app).info("memory")["used_memory_peak_human"]
        found = totals(app)
        del env
    n = args.events
    spend = n * CPM_MICROS + n * CPC_MICROS
    wanted = {"impressions": n, "clicks": n, "spend": spend, "p_requests": n,
              "p_impressions": n, "p_clicks": n, "p_spend": spend,
              "spent_micros": spend}  # fmt: skip
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    flushed = sum(times)
    rate = 2 * n / recording_s
    print(f"recorded: {n:,} impressions and {n:,} clicks in {recording_s:.1f} s "
          f"({rate:,.0f} events/s, {args.threads} threads, one HINCRBY each)")  # fmt: skip
    per_million = flushed / (2 * n / 1e6)
    print(f"flushes:  {len(times)} ({', '.join(f'{t * 1e3:.0f}' for t in times)} ms); "
          f"{flushed:.2f} s in all, {per_million:.2f} s per million events")  # fmt: skip
    print(f"memory:   process peak {rss_mb:.0f} MB resident; Redis peak {redis_peak}")
    print(f"totals:   {found}")
    exact = found == wanted
    print("exact: every event once" if exact else f"COUNTS DIFFER: wanted {wanted}")
    return 0 if exact else 1


if __name__ == "__main__":
    raise SystemExit(main())
