"""Caps across processes: three platform processes (as three gunicorn workers) decide at once
on the same placement and share only the database and Redis; the caps hold exactly.

No frozen clock here: the processes read the machine's clock, so the campaigns are dated by it.
"""

from __future__ import annotations

import multiprocessing
import secrets
from collections import Counter
from typing import Any

import pytest
from ent_plugins.ads.tests.conftest import live_campaign, live_placement

pytestmark = pytest.mark.redis


def decide_in_a_process(config: dict[str, Any], placement: str, decisions: int) -> dict:
    """A process of its own: the platform built from ``config``, ``decisions`` decisions."""
    from ent_plugins.ads import caps
    from ent_plugins.ads.decide import AdRequest, decide

    from ent_core import create_app, sdk

    app = create_app(dict(config))
    served: Counter[int | None] = Counter()
    with app.app_context():
        for n in range(decisions):
            reader = caps.reader_key(f"browser-{n % 25}", sdk.utcnow())
            decision = decide(AdRequest(placement, sdk.utcnow(), reader=reader))
            served[decision.campaign_id if decision else None] += 1
    return dict(served)


def test_caps_hold_when_three_processes_decide_at_once(
    app_ctx, ent_config, redis_url, publisher, advertiser, monkeypatch
) -> None:
    queue = f"ent-test-{secrets.token_hex(4)}"
    monkeypatch.setitem(app_ctx.config, "REDIS_URL", redis_url)
    monkeypatch.setitem(app_ctx.config, "ENT_QUEUE", queue)
    app_ctx.extensions.pop("ent.cache", None)
    place = live_placement(publisher).public_id
    total = live_campaign(advertiser, "Total", max_impressions=90, weight=40).id
    daily = live_campaign(advertiser, "Daily", max_daily_impressions=70, weight=30).id
    often = live_campaign(advertiser, "Frequency", frequency_cap=2, weight=30).id
    config = {**ent_config, "REDIS_URL": redis_url, "ENT_QUEUE": queue}
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        answers = pool.starmap(decide_in_a_process, [(config, place, 150)] * 3)
    app_ctx.extensions.pop("ent.cache", None)
    served: Counter[int | None] = Counter()
    for answer in answers:
        served.update(answer)
    assert served[total] == 90
    assert served[daily] == 70
    assert served[often] == 2 * 25
    assert served[None] == 450 - 90 - 70 - 50
