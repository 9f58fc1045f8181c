"""Ad decisions through HTTP: gunicorn, PostgreSQL, Redis, wrk, against a bare Flask baseline.

    .venv/bin/python bench/ads_delivery.py                 # fresh PostgreSQL database
    .venv/bin/python bench/ads_delivery.py --quick         # one round of 3 s

Issue #17's "Measured": a placement of *Le Matin Tech* competing among ``--campaigns`` (200)
live campaigns, each with an approved 300x250 image; wrk (``bench/wrk_ads.lua``) asks
``GET /ads/d`` as browsers do (a browser's user agent, a reader id renewed every 50 requests,
sector, language and tags), through gunicorn with the settings ``ent serve`` uses
(``--workers`` 2, gthread ``--threads`` 4). **Baseline, same run, same server settings:** a bare
Flask app whose ``/ads/d`` answers a fixed ad from Redis (``bench/ads_baseline_app.py``);
rounds alternate between the two, the median round is kept. Also: ``/healthz`` through the
platform's full Flask stack, every decision counted (the counters flushed at the end and
compared with what wrk received), and the workers' resident memory with every module loaded.
Targets: ≥ 3,000 decisions/s with p99 under 10 ms; a worker under 150 MB. Figures:
docs/performance.md ("Ads"). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import secrets
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import _common  # noqa: E402 - bench/ is on the path now
import run as core_bench  # noqa: E402

RATE_TARGET = 3000.0
P99_TARGET_MS = 10.0
PUBLIC_ID = "pl-bench-aside"


def build(campaigns: int) -> Any:
    """The platform (production settings from the environment), a publisher with one
    placement, an advertiser with ``campaigns`` approved campaigns and creatives."""
    from ent_plugins.ads.models import AdPlacement, Campaign, Creative
    from sqlalchemy import insert, select

    from ent_core import create_app, sdk
    from ent_core.billing.testing import entitle
    from ent_core.identity.models import User
    from ent_core.testing import sample_image
    from ent_core.workspaces.service import create_workspace, enable_plugin

    app = create_app()
    method = core_bench.migrate(app)
    now = datetime.now(UTC)
    with app.app_context(), sdk.all_workspaces():
        owner = User(email="owner@example.ma", name="Owner", password_hash="-")  # noqa: S106
        sdk.db.session.add(owner)
        sdk.db.session.commit()
        core_bench.sign_charter([owner.id], now)
        publisher = create_workspace(
            slug="matin-tech", name="Le Matin Tech", kind="media", owner=owner,
            sectors=("it",), status="approved",
        )  # fmt: skip
        advertiser = create_workspace(
            slug="atlas-telecom", name="Atlas Télécom", kind="auto_entrepreneur", owner=owner,
            sectors=("it",), status="approved",
        )  # fmt: skip
        for workspace in (publisher, advertiser):
            entitle(workspace, ["publishing", "ads"])
            enable_plugin(workspace, "ads", actor=None)
        enable_plugin(publisher, "publishing", actor=None)  # the aside is publishing's place
        sdk.db.session.add(
            AdPlacement(
                workspace_id=publisher.id, code="publishing.article.aside", name="Aside",
                public_id=PUBLIC_ID, sizes=["300x250", "300x600"], formats=["image", "native"],
            )
        )  # fmt: skip
        stored = sdk.store_upload(sample_image("PNG", (300, 250)), allowed=("image/png",))
        sdk.db.session.execute(
            insert(Campaign),
            [
                {"workspace_id": advertiser.id, "name": f"Campagne {n}", "status": "approved",
                 "priority": "standard", "weight": 1 + n % 10, "starts_at": now - timedelta(days=1),
                 "ends_at": now + timedelta(days=30), "pricing": "cpm", "rate": Decimal("40.00"),
                 "budget": Decimal("1000000.00"), "billing": "monthly",
                 "landing_url": f"https://atlas-telecom.ma/offre/{n}"}
                for n in range(campaigns)
            ],
        )  # fmt: skip
        ids = list(sdk.db.session.scalars(select(Campaign.id)))
        sdk.db.session.execute(
            insert(Creative),
            [
                {"workspace_id": advertiser.id, "campaign_id": cid, "name": "Pavé",
                 "format": "image", "size": "300x250", "file_token": stored.key,
                 "file_type": "image/png", "alt_text": "Atlas Télécom",
                 "click_url": f"https://atlas-telecom.ma/offre/{cid}",
                 "content_sha256": stored.sha256, "status": "approved"}
                for cid in ids
            ],
        )  # fmt: skip
        sdk.db.session.commit()
    core_bench.say(f"schema: {method}; {campaigns} campaigns")
    return app


def wrk_ads(base: str, seconds: int, connections: int) -> dict[str, Any]:
    cmd = [shutil.which("wrk") or "wrk", "-t1", f"-c{connections}", f"-d{seconds}s",
           "--timeout", "10s", "-s", str(BENCH / "wrk_ads.lua"), base, "--", PUBLIC_ID]  # fmt: skip
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout  # noqa: S603
    line = next(x for x in out.splitlines() if x.startswith("ENT_BENCH_JSON "))
    data: dict[str, Any] = json.loads(line.split(" ", 1)[1])
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    return data


def redis_commands(url: str) -> dict[str, int]:
    """Commands Redis processed so far, by name (the bench's own Redis: read around the
    decision rounds only; the reading itself is one ``INFO``)."""
    from redis import Redis

    client = Redis.from_url(url)
    stats = client.info("commandstats")
    client.close()
    return {name.removeprefix("cmdstat_"): int(row["calls"]) for name, row in stats.items()}


def counted(app: Any) -> dict[str, int]:
    from ent_plugins.ads import counting
    from ent_plugins.ads.models import CampaignStat, PlacementStat

    from ent_core import sdk

    with app.app_context():
        start = time.perf_counter()
        counting.delivery.flush()
        flush_s = time.perf_counter() - start
        with sdk.all_workspaces():
            requests, impressions = sdk.db.session.execute(
                sdk.db.select(
                    sdk.db.func.sum(PlacementStat.requests),
                    sdk.db.func.sum(PlacementStat.impressions),
                )
            ).one()
            advertiser = sdk.db.session.scalar(
                sdk.db.select(sdk.db.func.sum(CampaignStat.impressions))
            )
    return {
        "requests": int(requests or 0),
        "impressions": int(impressions or 0),
        "advertiser_impressions": int(advertiser or 0),
        "flush_ms": round(flush_s * 1e3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 round of 3 s")
    parser.add_argument("--duration", type=int, help="seconds per wrk run (default 10)")
    parser.add_argument("--rounds", type=int, help="alternating rounds, median kept (default 3)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="gthread threads per worker")
    parser.add_argument("--campaigns", type=int, default=200)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    opts = core_bench.options_from(args, workspaces=0, users=0)
    sent = 0
    with _common.environment(
        "ads", keep_db=opts.keep_db, ENT_QUEUE=f"bench-{secrets.token_hex(3)}"
    ) as env:
        app = build(args.campaigns)
        platform = core_bench.start_server(
            "platform", "ent_core:create_app()", opts, env.workdir, []
        )
        env.servers.append(platform)
        baseline = core_bench.start_server(
            "baseline",
            "ads_baseline_app:create_app()",
            opts,
            env.workdir,
            ["--pythonpath", str(BENCH)],
        )
        env.servers.append(baseline)
        for server in (platform, baseline):  # warm-up: caches, connections, the index
            sent += (
                wrk_ads(server.base, opts.warmup, opts.connections)["requests"]
                if server is platform
                else 0
            )
            if server is baseline:
                wrk_ads(server.base, opts.warmup, opts.connections)
        runs: dict[str, list[dict[str, Any]]] = {"platform": [], "baseline": [], "healthz": []}
        redis_used: dict[str, int] = {}
        decided = 0
        for _ in range(opts.rounds):
            before = redis_commands(env.redis_url)
            result = wrk_ads(platform.base, opts.duration, opts.connections)
            after = redis_commands(env.redis_url)
            for name, calls in after.items():
                redis_used[name] = redis_used.get(name, 0) + calls - before.get(name, 0)
            redis_used["info"] -= 1  # the reading's own
            decided += result["requests"]
            sent += result["requests"]
            runs["platform"].append(result)
            runs["baseline"].append(wrk_ads(baseline.base, opts.duration, opts.connections))
            runs["healthz"].append(
                core_bench.wrk(platform.base + "/healthz", {}, opts.duration, opts.connections)
            )
        memory = core_bench.memory_of(platform)
        base_memory = core_bench.memory_of(baseline)
        platform.stop()
        totals = counted(app)
    best = {name: core_bench.median_run(r) for name, r in runs.items()}
    used = sorted(((n, c) for n, c in redis_used.items() if c > 0), key=lambda x: -x[1])
    per = ", ".join(f"{name} {calls / max(1, decided):.3f}" for name, calls in used)
    print(f"Redis commands per decision during the decision rounds: {per}")
    return report(best, totals, sent, memory, base_memory, opts, args)


def report(best: dict[str, Any], totals: dict[str, int], sent: int, memory: list[Any],
           base_memory: list[Any], opts: Any, args: argparse.Namespace) -> int:  # fmt: skip
    ours, base = best["platform"], best["baseline"]
    p99 = ours["latency_us"]["p99"] / 1e3
    print(f"gunicorn {opts.workers} workers x {opts.threads} threads, wrk {opts.connections} "
          f"connections, {opts.rounds} rounds of {opts.duration} s (median), "
          f"{args.campaigns} live campaigns, PostgreSQL + Redis")  # fmt: skip
    for name, row in best.items():
        lat = row["latency_us"]
        print(f"  {name:9} {row['rps']:8.0f}/s  p50 {lat['p50'] / 1e3:5.2f} ms  "
              f"p99 {lat['p99'] / 1e3:6.2f} ms  errors {row['errors']}")  # fmt: skip
    print(f"ratio decisions/baseline {ours['rps'] / base['rps']:.2f}; "
          f"decisions//healthz {ours['rps'] / best['healthz']['rps']:.2f}")  # fmt: skip
    print(f"counted: {totals['impressions']} impressions (advertiser side "
          f"{totals['advertiser_impressions']}), {totals['requests']} requests; wrk received "
          f"{sent} answers; flush {totals['flush_ms']} ms")  # fmt: skip
    peak = max(row["peak_rss_mb"] for row in memory)
    print(f"memory: platform workers peak {peak:.0f} MB ({[r['peak_rss_mb'] for r in memory]}); "
          f"baseline {[r['peak_rss_mb'] for r in base_memory]}")  # fmt: skip
    # wrk stops its clock with answers in flight: the server may count up to one per connection
    exact = sent <= totals["impressions"] <= sent + opts.connections * (opts.rounds + 1)
    exact = exact and totals["impressions"] == totals["advertiser_impressions"]
    fast = ours["rps"] >= RATE_TARGET and p99 < P99_TARGET_MS
    small = peak < core_bench.WORKER_RSS_LIMIT_MB
    print("every decision counted once" if exact else "COUNTS DIFFER")
    print("PASS" if exact and fast and small else "OVER TARGET")
    return 0 if exact and fast and small else 1


if __name__ == "__main__":
    raise SystemExit(main())
