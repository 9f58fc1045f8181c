"""Caps in real time: they hold when many threads decide at once (in process, and in Redis
against PostgreSQL), clicks and budgets, pacing on the advertiser's clock, frequency caps
with the rotating reader key (no cookie), and the schedule that ends spent campaigns."""

from __future__ import annotations

import re
import secrets
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from ent_plugins.ads import caps, index
from ent_plugins.ads.decide import AdRequest, decide
from ent_plugins.ads.models import Campaign
from ent_plugins.ads.tests.conftest import live_campaign, live_placement

from ent_core import sdk

pytestmark = pytest.mark.frozen_clock


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def counters(request: pytest.FixtureRequest, app_ctx: Any, monkeypatch: Any) -> Any:
    """The counters in process, then in Redis (a namespace of its own: no other test's)."""
    if request.param == "redis":
        monkeypatch.setitem(app_ctx.config, "REDIS_URL", request.getfixturevalue("redis_url"))
        monkeypatch.setitem(app_ctx.config, "ENT_QUEUE", f"ent-test-{secrets.token_hex(4)}")
    app_ctx.extensions.pop("ent.cache", None)
    caps.reset(app_ctx)
    yield request.param
    app_ctx.extensions.pop("ent.cache", None)
    caps.reset(app_ctx)


def in_threads(app: Any, work: Any, threads: int = 8) -> None:
    """Run ``work(thread_number)`` in ``threads`` threads at once, each in its own app
    context (and database session); re-raise the first error."""
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def run(number: int) -> None:
        try:
            with app.app_context():
                start.wait()
                work(number)
        except BaseException as exc:  # reported to the test below
            errors.append(exc)

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    if errors:
        raise errors[0]


def test_caps_hold_when_eight_threads_decide_at_once(
    counters, app_ctx, publisher, advertiser
) -> None:
    place = live_placement(publisher).public_id  # the ORM object stays in this thread
    total = live_campaign(advertiser, "Total", max_impressions=150, weight=40)
    daily = live_campaign(advertiser, "Daily", max_daily_impressions=120, weight=30)
    budget = live_campaign(advertiser, "Budget", budget=Decimal("2.00"), weight=20)  # 50 at 0.04
    often = live_campaign(advertiser, "Frequency", frequency_cap=3, weight=10)
    readers = [caps.reader_key(f"browser-{n}", sdk.utcnow()) for n in range(20)]
    served: Counter[int | None] = Counter()
    lock = threading.Lock()

    def work(number: int) -> None:
        mine: Counter[int | None] = Counter()
        for step in range(100):
            reader = readers[(number * 100 + step) % len(readers)]
            decision = decide(AdRequest(place, sdk.utcnow(), reader=reader))
            mine[decision.campaign_id if decision else None] += 1
        with lock:
            served.update(mine)

    in_threads(app_ctx, work)
    assert served[total.id] == 150
    assert served[daily.id] == 120
    assert served[budget.id] == 50
    assert served[often.id] == 3 * len(readers)
    assert served[None] == 800 - 150 - 120 - 50 - 60
    delivered = caps.totals([total.id, daily.id, budget.id])
    assert delivered[total.id].impressions == 150
    assert delivered[budget.id].spend_micros == 2_000_000


def test_click_caps_hold_when_threads_click_at_once(
    counters, app_ctx, publisher, advertiser
) -> None:
    live_placement(publisher)
    campaign = live_campaign(advertiser, max_clicks=30, pricing="cpc", rate=Decimal("2.50")).id
    allowed: list[bool] = []
    lock = threading.Lock()

    def work(number: int) -> None:
        answers = [caps.allow_click(campaign, 2_500_000, sdk.utcnow()) for _ in range(10)]
        with lock:
            allowed.extend(answers)

    in_threads(app_ctx, work)
    assert allowed.count(True) == 30 and len(allowed) == 80
    assert caps.totals([campaign])[campaign].clicks == 30


def test_a_cpc_budget_counts_clicks_and_stops_serving_when_spent(
    counters, publisher, advertiser
) -> None:
    place = live_placement(publisher)
    campaign = live_campaign(advertiser, pricing="cpc", rate=Decimal("2.50"), budget=Decimal("10"))
    decision = decide(AdRequest(place.public_id, sdk.utcnow()))
    assert decision.pricing == "cpc" and decision.click_micros == 2_500_000
    assert decision.impression_micros == 0
    clicks = [caps.allow_click(campaign.id, decision.click_micros, sdk.utcnow()) for _ in range(6)]
    assert clicks == [True] * 4 + [False] * 2  # 4 at 2.50 = 10 MAD
    assert decide(AdRequest(place.public_id, sdk.utcnow())) is None
    assert caps.totals([campaign.id])[campaign.id].spend_micros == 10_000_000


def test_daily_click_caps_and_a_campaign_no_longer_served(counters, publisher, advertiser) -> None:
    live_placement(publisher)
    capped = live_campaign(advertiser, "Capped", max_daily_clicks=2)
    paused = live_campaign(advertiser, "Paused", status="paused")
    now = sdk.utcnow()
    assert [caps.allow_click(capped.id, 0, now) for _ in range(3)] == [True, True, False]
    assert caps.allow_click(capped.id, 0, now + timedelta(days=1))  # a new day
    assert not caps.allow_click(paused.id, 0, now)


@pytest.mark.frozen_clock(datetime(2026, 6, 15, 5, 0, tzinfo=UTC))  # 06:00 in Casablanca
def test_at_six_an_even_campaign_has_delivered_a_quarter_of_its_day(
    counters, publisher, advertiser
) -> None:
    place = live_placement(publisher)
    even = live_campaign(advertiser, "Even", max_daily_impressions=400, pacing="even")
    asap = live_campaign(advertiser, "Asap", max_daily_impressions=400, pacing="asap")
    budget = live_campaign(
        advertiser, "Even budget", daily_budget=Decimal("20.00"), pacing="even"
    )  # 500 impressions a day at 0.04 MAD
    served: Counter[int | None] = Counter()
    for _ in range(2000):
        decision = decide(AdRequest(place.public_id, sdk.utcnow()))
        served[decision.campaign_id if decision else None] += 1
    assert 100 <= served[even.id] <= 104  # a quarter of 400, and an allowance of 1 %
    assert 125 <= served[budget.id] <= 130  # a quarter of 500, and 1 % of 20 MAD
    assert served[asap.id] == 400


@pytest.mark.frozen_clock(datetime(2026, 6, 15, 17, 0, tzinfo=UTC))  # 18:00 in Casablanca
def test_at_six_in_the_evening_three_quarters(counters, publisher, advertiser) -> None:
    place = live_placement(publisher)
    even = live_campaign(advertiser, "Even", max_daily_impressions=400, pacing="even")
    served = 0
    while decide(AdRequest(place.public_id, sdk.utcnow())) is not None:
        served += 1
    assert served == 304  # 300, and 4 of allowance
    assert index.current().campaigns[even.id].even


@pytest.mark.frozen_clock(datetime(2026, 6, 15, 8, 30, tzinfo=UTC))  # Monday 09:30 there
def test_dayparts_in_the_advertisers_zone(publisher, advertiser, frozen_clock) -> None:
    place = live_placement(publisher)
    mornings = live_campaign(advertiser, dayparts=["0:9", "1:9"])  # Monday, Tuesday 9-10
    assert decide(AdRequest(place.public_id, sdk.utcnow())).campaign_id == mornings.id
    frozen_clock.shift(timedelta(hours=1))  # 10:30
    assert decide(AdRequest(place.public_id, sdk.utcnow())) is None
    frozen_clock.shift(timedelta(hours=23))  # Tuesday 09:30
    assert decide(AdRequest(place.public_id, sdk.utcnow())) is not None


def test_frequency_caps_without_cookies(counters, publisher, advertiser) -> None:
    place = live_placement(publisher)
    live_campaign(advertiser, frequency_cap=2, frequency_hours=24)
    now = sdk.utcnow()
    same = caps.reader_key("a1b2c3d4e5f6", now)

    def shown(reader: str | None) -> bool:
        return decide(AdRequest(place.public_id, now, reader=reader)) is not None

    assert [shown(same) for _ in range(3)] == [True, True, False]
    assert shown(caps.reader_key("a1b2c3d4e5f6", now)) is False  # the same browser
    assert shown(caps.reader_key("ffffeeeedddd", now))  # another reader
    assert not shown(None)  # no id: it could be anyone who saw it already
    next_week = now + timedelta(days=7)
    assert caps.reader_key("a1b2c3d4e5f6", next_week) != same  # the key rotates
    assert decide(
        AdRequest(place.public_id, now, reader=caps.reader_key("a1b2c3d4e5f6", next_week))
    )


def test_the_reader_key_is_a_weekly_keyed_hash(app_ctx, monkeypatch) -> None:
    monday = datetime(2026, 6, 15, 0, 5, tzinfo=UTC)
    key = caps.reader_key("browser-42", monday)
    assert re.fullmatch(r"[0-9a-f]{32}", key) and "browser-42" not in key
    assert caps.reader_key("browser-42", monday + timedelta(days=6, hours=23)) == key
    assert caps.reader_key("browser-42", monday - timedelta(minutes=10)) != key  # last week
    assert caps.reader_key("browser-43", monday) != key
    monkeypatch.setitem(app_ctx.config, "SECRET_KEY", "another platform")
    assert caps.reader_key("browser-42", monday) != key  # nobody without the key can link


def test_counters_start_from_the_flushed_statistics(counters, publisher, advertiser) -> None:
    """A new process (or Redis restarted) finds its counters empty: it starts from what the
    statistics say was delivered, not from zero."""
    from ent_plugins.ads.models import CampaignStat

    place = live_placement(publisher)
    campaign = live_campaign(advertiser, max_impressions=100)
    hour = sdk.utcnow().replace(minute=0, second=0, microsecond=0)
    with sdk.all_workspaces():
        sdk.db.session.add(
            CampaignStat(
                workspace_id=advertiser.id,
                campaign_id=campaign.id,
                creative_id=campaign.creatives[0].id,
                placement_id=place.id,
                hour=hour,
                impressions=97,
                spend_micros=97 * 40_000,
            )
        )
        sdk.db.session.commit()
    index.invalidate()
    served = 0
    while decide(AdRequest(place.public_id, sdk.utcnow())) is not None:
        served += 1
    assert served == 3


def test_the_schedule_ends_campaigns_over_or_spent(counters, publisher, advertiser) -> None:
    place = live_placement(publisher)
    over = live_campaign(advertiser, "Over", ends_at=sdk.utcnow() + timedelta(minutes=5))
    capped = live_campaign(advertiser, "Capped", max_impressions=5)
    spent = live_campaign(advertiser, "Spent", status="paused", spent=Decimal("10000.00"))
    running = live_campaign(advertiser, "Running")
    draft = live_campaign(advertiser, "Draft", status="draft", ends_at=sdk.utcnow())
    for _ in range(40):
        decide(AdRequest(place.public_id, sdk.utcnow()))
    assert caps.end_campaigns() == [capped.id, spent.id]
    assert caps.end_campaigns(sdk.utcnow() + timedelta(minutes=6)) == [over.id]
    with sdk.all_workspaces():
        statuses = dict(sdk.db.session.execute(sdk.db.select(Campaign.id, Campaign.status)).all())
    assert statuses == {
        over.id: "ended",
        capped.id: "ended",
        spent.id: "ended",
        running.id: "approved",
        draft.id: "draft",
    }
    assert set(index.current().campaigns) == {running.id}


def test_redis_down_serves_only_campaigns_without_caps(
    app_ctx, publisher, advertiser, monkeypatch
) -> None:
    """Caps fail closed: without the counters a capped campaign could run over."""
    place = live_placement(publisher)
    capped = live_campaign(advertiser, "Capped", max_impressions=1000)
    flat = live_campaign(advertiser, "Flat fee", pricing="flat", rate=Decimal("300.00"))
    monkeypatch.setitem(app_ctx.config, "REDIS_URL", "redis://127.0.0.1:1/0")  # nothing there
    caps.reset(app_ctx)
    chosen = {decide(AdRequest(place.public_id, sdk.utcnow())).campaign_id for _ in range(30)}
    assert chosen == {flat.id}
    clicks = live_campaign(advertiser, "Click caps", max_clicks=10)
    now = sdk.utcnow()
    assert caps.allow_click(flat.id, 0, now) and caps.allow_click(capped.id, 0, now)
    assert not caps.allow_click(clicks.id, 0, now)  # its click cap cannot be held
    assert not caps.allow_click(capped.id, 2_500_000, now)  # nor a billed click's budget


@pytest.mark.redis
@pytest.mark.frozen_clock(tick=False)  # every decision in the same second: leases' sizes known
def test_a_busy_process_leases_ahead_and_gives_back_what_it_did_not_serve(
    app_ctx, publisher, advertiser, frozen_clock, monkeypatch, redis_url
) -> None:
    """Far from its caps, a campaign decided on again and again is reserved in growing
    leases (one round trip for up to LEASE_MAX impressions); a lease its process did not
    use goes back once its time is over, here because the campaign was paused."""
    monkeypatch.setitem(app_ctx.config, "REDIS_URL", redis_url)
    monkeypatch.setitem(app_ctx.config, "ENT_QUEUE", f"ent-test-{secrets.token_hex(4)}")
    caps.reset(app_ctx)
    place = live_placement(publisher).public_id
    busy = live_campaign(advertiser, "Busy", max_impressions=100_000)
    served = [decide(AdRequest(place, sdk.utcnow())) for _ in range(300)]
    assert {d.campaign_id for d in served if d} == {busy.id} and all(served)
    # Leases of 1, 1, 2, 4 … 64: the one taken at the 257th decision holds 20 more.
    assert caps.totals([busy.id])[busy.id].impressions == 320
    with sdk.in_workspace(advertiser):
        sdk.db.session.execute(
            sdk.db.update(Campaign).where(Campaign.id == busy.id).values(status="paused")
        )
        index.invalidate()
        sdk.db.session.commit()
    other = live_campaign(advertiser, "Other", max_impressions=100_000)
    frozen_clock.shift(timedelta(seconds=caps.LEASE_SECONDS + 1))  # the lease's time is over
    decision = decide(AdRequest(place, sdk.utcnow()))
    assert decision is not None and decision.campaign_id == other.id
    assert caps.totals([busy.id])[busy.id].impressions == 300  # the 20 went back
    caps.give_back_leases(app_ctx)  # a process stopping (atexit) gives back all it holds
    assert caps.totals([other.id])[other.id].impressions == 1
    caps.reset(app_ctx)
