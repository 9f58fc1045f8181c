"""Caps across processes: three platform processes (``ent worker``s, as three gunicorn
workers would) decide at once on the same placement and share only the database and Redis;
the caps hold exactly.

No frozen clock here: the workers read the machine's clock, so the campaigns are dated by it.
"""

from __future__ import annotations

import json
import time
from collections import Counter

import pytest
from ent_plugins.ads.tests.conftest import live_campaign, live_placement
from flask import current_app

from ent_core import sdk

pytestmark = pytest.mark.redis

JOB = "ent_plugins.ads.tests.test_ads_engine_processes:decide_many"
PROCESSES = 3


def decide_many(placement: str, decisions: int, tag: str) -> None:
    """A job: wait until the three jobs run (each in its own worker), then decide
    ``decisions`` times and leave what was served in Redis under ``tag``."""
    from ent_plugins.ads import caps
    from ent_plugins.ads.decide import AdRequest, decide
    from redis import Redis

    client = Redis.from_url(current_app.config["REDIS_URL"])
    client.incr(f"{tag}:ready")
    deadline = time.monotonic() + 60
    while int(client.get(f"{tag}:ready") or 0) < PROCESSES and time.monotonic() < deadline:
        time.sleep(0.01)
    served: Counter[str] = Counter()
    for n in range(decisions):
        reader = caps.reader_key(f"browser-{n % 25}", sdk.utcnow())
        decision = decide(AdRequest(placement, sdk.utcnow(), reader=reader))
        served[str(decision.campaign_id) if decision else "none"] += 1
    caps.give_back_leases(current_app)  # as a gunicorn worker does when it stops (atexit)
    client.rpush(f"{tag}:served", json.dumps(served))


def test_caps_hold_when_three_processes_decide_at_once(redis_jobs, publisher, advertiser) -> None:
    place = live_placement(publisher).public_id
    total = live_campaign(advertiser, "Total", max_impressions=90, weight=40).id
    daily = live_campaign(advertiser, "Daily", max_daily_impressions=70, weight=30).id
    often = live_campaign(advertiser, "Frequency", frequency_cap=2, weight=30).id
    tag = f"{redis_jobs.queue}:ads-processes"
    for _ in range(PROCESSES):
        sdk.enqueue(JOB, place, 150, tag)
    workers = [redis_jobs.start_worker(burst=True) for _ in range(PROCESSES)]
    for worker in workers:
        worker.wait()
    answers = redis_jobs.connection.lrange(f"{tag}:served", 0, -1)
    assert len(answers) == PROCESSES, [w.output for w in workers]
    served: Counter[str] = Counter()
    for answer in answers:
        served.update(json.loads(answer))
    assert served[str(total)] == 90
    assert served[str(daily)] == 70
    assert served[str(often)] == 2 * 25
    assert served["none"] == PROCESSES * 150 - 90 - 70 - 50
