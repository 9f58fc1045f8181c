"""The ads' reports over a year of hourly rows, against a page of the module without figures.

    .venv/bin/python bench/ads_reports.py                 # fresh PostgreSQL + private Redis
    .venv/bin/python bench/ads_reports.py --days 60 --repeat 3    # quick look

One campaign of *Atlas Télécom*, 3 creatives on 5 placements of *Le Matin Tech*, every hour
of the ``--days`` (366) days up to now: 15 advertiser rows and 5 publisher rows an hour
(131,760 and 43,920 over a year), written as the counters' flush writes them. Each page is
asked through the platform's full Flask stack in process (the owner signed in through
``/auth/sign-in``, production settings), once to warm up and ``--repeat`` times measured.
**Baseline, same run, same client:** the module's members' home page
(``/w/atlas-telecom/ads/``): the same session, charter gate, tenancy and layout, no figures.
The ratio is a report's median over the baseline's. Memory: ``tracemalloc``'s peak during one
request of each page, and the process's peak resident memory. Figures: docs/performance.md
("Ads"). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import _ads  # noqa: E402 - bench/ is on the path now
import _common  # noqa: E402
import run as core_bench  # noqa: E402

CREATIVES = 3
PLACEMENTS = 5


def build(days: int) -> tuple[Any, int, datetime]:
    """The platform and a year (``days``) of statistics; the campaign's id and the hour the
    rows start at."""
    from ent_plugins.ads.models import CampaignStat, PlacementStat

    from ent_core import create_app, sdk

    app = create_app()
    method = core_bench.migrate(app)
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    start = now - timedelta(days=days - 1, hours=now.hour)
    with app.app_context():
        both = _ads.parties(app, now)
        places = _ads.externals(both.publisher_id, PLACEMENTS)
        (campaign,), creatives = _ads.campaigns(
            both.advertiser_id, 1, now,
            campaign=lambda n: {"starts_at": start, "ends_at": now + timedelta(days=1)},
            creatives=lambda n, cid: [{"name": f"Pavé {m}"} for m in range(CREATIVES)],
        )  # fmt: skip
        hours = [start + timedelta(hours=h) for h in range(days * 24)]
        with sdk.all_workspaces():
            for chunk in range(0, len(hours), 24 * 30):
                month = hours[chunk : chunk + 24 * 30]
                sdk.db.session.execute(
                    sdk.db.insert(CampaignStat),
                    [
                        {"workspace_id": both.advertiser_id, "campaign_id": campaign,
                         "creative_id": cr, "placement_id": p, "hour": at, "impressions": 10,
                         "viewable": 6, "clicks": 1, "spend_micros": 400_000}
                        for at in month for cr in creatives for p in places
                    ],
                )  # fmt: skip
                sdk.db.session.execute(
                    sdk.db.insert(PlacementStat),
                    [
                        {"workspace_id": both.publisher_id, "placement_id": p, "hour": at,
                         "requests": 40, "impressions": 30, "viewable": 18, "clicks": 3,
                         "spend_micros": 1_200_000}
                        for at in month for p in places
                    ],
                )  # fmt: skip
        sdk.db.session.commit()
        cookie, how = core_bench.session_cookie(app, both.seeded())
    rows = len(hours) * CREATIVES * PLACEMENTS, len(hours) * PLACEMENTS
    core_bench.say(f"schema: {method}; rows: campaign {rows[0]:,}, placement {rows[1]:,}; {how}")
    app.config["BENCH_COOKIE"] = cookie
    return app, campaign, start


def pages(campaign: int, start: datetime, days: int) -> list[tuple[str, str]]:
    a, p = f"/w/{_ads.ADVERTISER}/ads", f"/w/{_ads.PUBLISHER}/ads"
    span = f"from={start:%Y-%m-%d}&to={start + timedelta(days=days - 1):%Y-%m-%d}"
    csv = f"by=day&{span}"
    return [
        ("baseline: the module's home page", f"{a}/"),
        ("campaign report page, 30 days", f"{a}/reports/campaigns/{campaign}"),
        (f"campaign report page, {days} days", f"{a}/reports/campaigns/{campaign}?{span}"),
        (f"campaigns overview, {days} days", f"{a}/reports/?{span}"),
        (f"placements report page, {days} days", f"{p}/reports/placements/?{span}"),
        (f"campaign CSV by day, {days} days", f"{a}/reports/campaigns/{campaign}.csv?{csv}"),
    ]


def measure(app: Any, path: str, repeat: int) -> dict[str, float]:
    """Median and slowest of ``repeat`` requests (after one to warm up), and tracemalloc's
    peak during one more."""
    client = app.test_client(use_cookies=False)
    headers = {"Cookie": app.config["BENCH_COOKIE"], "User-Agent": core_bench.USER_AGENT}

    def get() -> None:
        response = client.get(path, headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"})
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")

    get()
    spans = []
    for _ in range(repeat):
        started = time.perf_counter()
        get()
        spans.append(time.perf_counter() - started)
    tracemalloc.start()
    get()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"median": statistics.median(spans), "max": max(spans), "peak": peak / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=366, help="days of hourly rows")
    parser.add_argument("--repeat", type=int, default=5, help="measured requests per page")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    with _common.environment("adsreports", keep_db=args.keep_db):
        app, campaign, start = build(args.days)
        results = [
            (label, measure(app, path, args.repeat))
            for label, path in pages(campaign, start, args.days)
        ]
    base = results[0][1]["median"]
    print(f"\n{'page':<36} {'median ms':>10} {'max ms':>8} {'ratio':>7} {'peak MiB':>9}")
    for label, r in results:
        print(
            f"{label:<36} {r['median'] * 1000:>10.1f} {r['max'] * 1000:>8.1f}"
            f" {r['median'] / base:>7.2f} {r['peak']:>9.1f}"
        )
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak resident memory: {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
