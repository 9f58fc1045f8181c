"""Selection as properties: weights, priorities, caps, dayparts and targeting over many
decisions, on snapshots built from plain data (``index.build``) and the in-process counters.

The database-backed paths (what enters the index, Redis, threads) are in the other
``test_ads_engine_*`` files; here hypothesis explores the input space fast.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from ent_plugins.ads import caps, index
from ent_plugins.ads.decide import AdRequest, choose
from ent_plugins.ads.index import CampaignRule, CreativeInfo, PlacementInfo, Seeds
from ent_plugins.ads.pacing import paced
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ZONE = ZoneInfo("Africa/Casablanca")
#: A Monday, 09:00 in Casablanca (UTC+1 in June).
MONDAY = datetime(2026, 6, 15, 8, 0, tzinfo=UTC)
PLACE = PlacementInfo(
    id=1,
    public_id="place",
    code="publishing.article.aside",
    publisher_id=1,
    publisher_slug="matin-tech",
    sectors=frozenset({"it"}),
    sizes=("300x250",),
    formats=frozenset({"image", "native"}),
    excluded_categories=frozenset(),
)
BASE = CampaignRule(
    id=0,
    advertiser_id=2,
    rank=1,
    weight=10,
    category="technology",
    starts=(MONDAY - timedelta(days=30)).timestamp(),
    ends=(MONDAY + timedelta(days=30)).timestamp(),
    pricing="cpm",
    impression_micros=40_000,
    click_micros=0,
    budget_micros=None,
    daily_budget_micros=None,
    max_impressions=None,
    max_daily_impressions=None,
    max_clicks=None,
    max_daily_clicks=None,
    frequency_cap=None,
    frequency_seconds=86400,
    dayparts=None,
    zone=ZONE,
    even=False,
    sectors=None,
    tags=None,
    languages=None,
    workspaces=None,
    placements=None,
    seeds=Seeds(),
    contextual=False,
    capped=False,
    expire_at=int((MONDAY + timedelta(days=32)).timestamp()),
)
CAPS = (
    "budget_micros",
    "daily_budget_micros",
    "max_impressions",
    "max_daily_impressions",
    "max_clicks",
    "max_daily_clicks",
    "frequency_cap",
)
SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def rule(campaign_id: int, **changes: Any) -> CampaignRule:
    """A campaign rule as the index makes them (its two flags follow from its fields)."""
    made = replace(BASE, id=campaign_id, **changes)
    return replace(
        made,
        contextual=any(
            getattr(made, f) is not None for f in ("dayparts", "sectors", "tags", "languages")
        ),
        capped=any(getattr(made, f) is not None for f in CAPS),
    )


def snapshot(*rules: CampaignRule) -> index.Snapshot:
    creative = CreativeInfo(1, "image", "300x250", "", "", "ad", "https://example.ma", "/x")
    return index.build([(r, (replace(creative, id=r.id),)) for r in rules], [PLACE])


def decide_on(snap: index.Snapshot, now: datetime, rng: Any = random, **request: Any) -> Any:
    return choose(snap, AdRequest("place", now, **request), caps.reserve, rng)


@pytest.fixture
def fresh(app_ctx: Any) -> Any:
    """Counters forgotten at each hypothesis example (the ids come back)."""

    def reset() -> None:
        caps.reset(app_ctx)

    return reset


@SETTINGS
@given(
    weights=st.lists(st.integers(1, 100), min_size=2, max_size=5),
    seed=st.integers(0, 2**32),
)
def test_shares_follow_the_weights_within_a_class(fresh, weights, seed) -> None:
    fresh()
    snap = snapshot(*(rule(n + 1, weight=w) for n, w in enumerate(weights)))
    rng = random.Random(seed)
    draws = 4000
    shares = Counter(decide_on(snap, MONDAY, rng).campaign_id for _ in range(draws))
    total = sum(weights)
    for n, weight in enumerate(weights):
        expected = weight / total
        tolerance = 5 * math.sqrt(expected * (1 - expected) / draws) + 0.002
        assert abs(shares[n + 1] / draws - expected) <= tolerance, (weights, shares)


targeted = st.fixed_dictionaries(
    {
        "rank": st.integers(0, 2),
        "weight": st.integers(1, 100),
        "sectors": st.none()
        | st.frozensets(st.sampled_from(["it", "green", "health"]), min_size=1),
        "dayparts": st.none() | st.frozensets(st.integers(0, 167), min_size=1, max_size=40),
    }
)


@SETTINGS
@given(
    campaigns=st.lists(targeted, min_size=1, max_size=8),
    sector=st.none() | st.sampled_from(["it", "green", "health"]),
    hours=st.integers(0, 24 * 7 - 1),
    seed=st.integers(0, 2**32),
)
def test_the_highest_class_that_can_serve_always_wins(
    fresh, campaigns, sector, hours, seed
) -> None:
    fresh()
    rules = [rule(n + 1, **fields) for n, fields in enumerate(campaigns)]
    now = MONDAY - timedelta(hours=9) + timedelta(hours=hours, minutes=30)  # Monday 00:30 + h
    page_sectors = {sector} if sector else {"it"}  # no sector: the publisher's

    def can_serve(r: CampaignRule) -> bool:
        return (r.sectors is None or bool(r.sectors & page_sectors)) and (
            r.dayparts is None or hours in r.dayparts
        )

    servable = [r for r in rules if can_serve(r)]
    snap, rng = snapshot(*rules), random.Random(seed)
    for _ in range(20):
        decision = decide_on(snap, now, rng, sector=sector)
        if not servable:
            assert decision is None
            continue
        best = min(r.rank for r in servable)
        chosen = next(r for r in rules if r.id == decision.campaign_id)
        assert chosen.rank == best and can_serve(chosen)
        assert decision.priority == ("sponsorship", "standard", "remnant")[best]


@SETTINGS
@given(sponsored=st.integers(1, 40), daily=st.booleans())
def test_a_lower_class_serves_only_what_the_higher_one_cannot(fresh, sponsored, daily) -> None:
    fresh()
    cap = {"max_daily_impressions" if daily else "max_impressions": sponsored}
    snap = snapshot(rule(1, rank=0, **cap), rule(2, rank=1), rule(3, rank=2))
    chosen = [decide_on(snap, MONDAY).campaign_id for _ in range(sponsored + 30)]
    assert chosen == [1] * sponsored + [2] * 30


capped = st.fixed_dictionaries(
    {
        "rank": st.integers(0, 2),
        "weight": st.integers(1, 100),
        "max_impressions": st.none() | st.integers(0, 60),
        "max_daily_impressions": st.none() | st.integers(0, 25),
        "budget_micros": st.none() | st.integers(0, 3_000_000),
        "daily_budget_micros": st.none() | st.integers(0, 1_000_000),
        "frequency_cap": st.none() | st.integers(1, 4),
        "even": st.booleans(),
    }
)


@SETTINGS
@given(
    campaigns=st.lists(capped, min_size=1, max_size=6),
    readers=st.integers(1, 5),
    seed=st.integers(0, 2**32),
)
def test_caps_are_never_exceeded(fresh, campaigns, readers, seed) -> None:
    """Over three days of decisions: totals, days (the advertiser's), budgets and each
    reader's frequency stay within their caps; and nothing is refused while an asap campaign
    without a frequency cap still has room."""
    fresh()
    rules = {n + 1: rule(n + 1, **fields) for n, fields in enumerate(campaigns)}
    snap, rng = snapshot(*rules.values()), random.Random(seed)
    total: Counter[int] = Counter()
    per_day: Counter[tuple[int, str]] = Counter()
    windows: dict[tuple[int, str], list[Any]] = {}  # (campaign, reader): [start, seen]
    start, steps = MONDAY - timedelta(hours=8, minutes=30), 600
    for step in range(steps):
        now = start + timedelta(days=3) * step / steps
        day = now.astimezone(ZONE).strftime("%Y%m%d")
        reader = f"reader-{rng.randrange(readers)}"
        decision = decide_on(snap, now, rng, reader=reader)
        if decision is None:
            for r in rules.values():
                if not r.even and r.frequency_cap is None:
                    assert _full(r, total[r.id], per_day[(r.id, day)]), (r, total, per_day)
            continue
        cid = decision.campaign_id
        total[cid] += 1
        per_day[(cid, day)] += 1
        r = rules[cid]
        if r.frequency_cap is not None:  # the window opens at the reader's first impression
            window = windows.get((cid, reader))
            if window is None or now >= window[0] + timedelta(seconds=r.frequency_seconds):
                window = windows[(cid, reader)] = [now, 0]
            window[1] += 1
            assert window[1] <= r.frequency_cap, (r, reader, window)
    for cid, r in rules.items():
        spent = total[cid] * r.impression_micros
        assert r.max_impressions is None or total[cid] <= r.max_impressions
        assert r.budget_micros is None or spent <= r.budget_micros
        for (campaign, _), count in per_day.items():
            if campaign == cid:
                assert r.max_daily_impressions is None or count <= r.max_daily_impressions
                assert r.daily_budget_micros is None or (
                    count * r.impression_micros <= r.daily_budget_micros
                )


def _full(r: CampaignRule, total: int, today: int) -> bool:
    """Whether an asap campaign without frequency cap has reached one of its caps."""
    cost = r.impression_micros
    return (
        (r.max_impressions is not None and total >= r.max_impressions)
        or (r.max_daily_impressions is not None and today >= r.max_daily_impressions)
        or (r.budget_micros is not None and (total + 1) * cost > r.budget_micros)
        or (r.daily_budget_micros is not None and (today + 1) * cost > r.daily_budget_micros)
    )


@SETTINGS
@given(hour=st.integers(1, 23), cap=st.integers(24, 5000))
def test_even_pacing_spreads_the_daily_cap_over_the_day(fresh, hour, cap) -> None:
    fresh()
    snap = snapshot(rule(1, max_daily_impressions=cap, even=True))
    local_midnight = MONDAY - timedelta(hours=9)
    now = local_midnight + timedelta(hours=hour)
    served = 0
    while decide_on(snap, now) is not None:
        served += 1
    assert served == paced(cap, hour / 24)
    assert cap * hour / 24 - 1 <= served <= cap * hour / 24 + max(1, cap * 0.01)


@SETTINGS
@given(dayparts=st.frozensets(st.integers(0, 167), max_size=30), hours=st.integers(0, 167))
def test_dayparts_follow_the_advertisers_clock(fresh, dayparts, hours) -> None:
    fresh()
    snap = snapshot(rule(1, dayparts=dayparts))
    # Monday 00:00 in Casablanca (UTC+1) plus ``hours`` and a quarter.
    now = MONDAY - timedelta(hours=9) + timedelta(hours=hours, minutes=15)
    assert (decide_on(snap, now) is not None) == (hours in dayparts)


def test_dayparts_in_another_zone(fresh) -> None:
    fresh()
    tokyo = ZoneInfo("Asia/Tokyo")
    snap = snapshot(rule(1, dayparts=frozenset({0 * 24 + 17}), zone=tokyo))  # Monday 17:00
    assert decide_on(snap, MONDAY) is not None  # 08:00 UTC is 17:00 in Tokyo
    assert decide_on(snap, MONDAY + timedelta(hours=1)) is None


def test_contextual_targeting_by_sector_tags_and_language(fresh) -> None:
    fresh()
    snap = snapshot(
        rule(1, sectors=frozenset({"green"})),
        rule(2, tags=frozenset({"5g", "fibre"})),
        rule(3, languages=frozenset({"ar"})),
    )

    def chosen(**page: Any) -> set[int | None]:
        found = set()
        for _ in range(60):
            decision = decide_on(snap, MONDAY, **page)
            found.add(decision.campaign_id if decision else None)
        return found

    assert chosen() == {None}  # the publisher is in IT, no tags, no language
    assert chosen(sector="green") == {1}
    assert chosen(tags=("Fibre", "cloud")) == {2}
    assert chosen(language="ar-MA") == {3}
    assert chosen(sector="green", tags=("5G",), language="ar") == {1, 2, 3}


def test_frequency_caps_count_each_reader_for_its_window(fresh) -> None:
    fresh()
    snap = snapshot(rule(1, frequency_cap=2, frequency_seconds=6 * 3600))
    assert [bool(decide_on(snap, MONDAY, reader="a")) for _ in range(3)] == [True, True, False]
    assert decide_on(snap, MONDAY, reader="b") is not None
    assert decide_on(snap, MONDAY) is None  # a reader we cannot count could be "a"
    assert decide_on(snap, MONDAY + timedelta(hours=6, seconds=1), reader="a") is not None


def test_a_creative_is_drawn_among_those_that_fit(fresh) -> None:
    fresh()
    r = rule(1)
    creatives = tuple(
        CreativeInfo(n, "image", "300x250", "", "", "ad", "https://example.ma", "/x")
        for n in (1, 2, 3)
    )
    snap = index.build([(r, creatives)], [PLACE])
    seen = defaultdict(int)
    for _ in range(300):
        seen[decide_on(snap, MONDAY).creative_id] += 1
    assert set(seen) == {1, 2, 3} and min(seen.values()) > 50
