"""Real-time caps: the counters that keep every cap, budget and frequency cap under
concurrency, the reader's rotating key, and the schedule that ends spent campaigns.

A decision *reserves* the impression it is about to serve: one step that checks every cap of
the campaign (total and daily impressions, clicks and budget, the pace of the day, the
reader's frequency) and, when all pass, counts the impression and its cost. With Redis the
step is one Lua script, atomic across every process and thread of the platform; without
Redis it is the same logic under a lock in the process (one process: development). Refused,
the decision tries its next candidate. Counters start from the flushed statistics when they
have nothing (a new process, Redis restarted): see ``index.Seeds``. A process busy with a
campaign far from its caps reserves several impressions in one step (a lease) and serves
the next decisions from memory. docs/ads.md, "Choosing an ad" and "Leases".
"""

from __future__ import annotations

import atexit
import hashlib
import hmac
import logging
import threading
import time
import weakref
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from ent_plugins.ads import counting, index
from ent_plugins.ads.index import CampaignRule, Seeds
from ent_plugins.ads.models import Campaign, CampaignStat
from ent_plugins.ads.pacing import Clock, clock_at, paced
from flask import Flask, current_app
from sqlalchemy import func
from sqlalchemy.orm import selectinload

from ent_core import sdk

log = logging.getLogger(__name__)

#: What :func:`reserve` answers.
SERVED, EXHAUSTED, DAILY, FREQUENCY, UNAVAILABLE = 0, 1, 2, 3, 4
#: Daily counters outlive their day by a day (a late click still finds its day).
DAY_TTL = 2 * 86400
#: Seconds a process leaves a refused campaign alone: a total cap or the budget is reached
#: (the schedule ends it meanwhile), or its daily cap or pace (which frees up over time).
QUIET = {EXHAUSTED: 30.0, DAILY: 1.0}
#: Redis waits this long at most while a reader waits; after an error it is left alone this
#: many seconds (decisions serve only what needs no counter meanwhile: caps fail closed).
REDIS_TIMEOUT = 0.5
REDIS_PAUSE = 5.0
#: First-party ids longer than this are cut (a random id needs far less).
RAW_ID_LIMIT = 128
STATE_KEY = "ads.caps"
#: Leases: a process busy with a campaign far from its caps reserves several impressions in
#: one round trip and serves them from memory (counted by ``counting``'s buffered counter).
#: A lease lasts five seconds at most; what it did not serve goes back to the counters then,
#: or when the process stops. Its size doubles while the process comes back for more within
#: that time, up to ``LEASE_MAX``, and shrinks to what was used when one expires unused.
LEASE_SECONDS = 5.0
LEASE_MAX = 64
#: How often a process looks for leases past their time (at its next round trip).
SWEEP_SECONDS = 1.0
#: Leases only while every cap keeps this many leases' worth of room (see the script).
LEASE_HEADROOM = 20

#: Reserve ``want`` impressions (``n[19]``; 1 but for a lease) within every cap and count the
#: first one in the delivery counter's live hash (``KEYS[8]``, field ``ARGV[2]``, when named):
#: one round trip. The numbers come packed in ``ARGV[1]`` (cost, need, TTLs, six limits, six
#: seeds, frequency cap and seconds, want): one argument to encode instead of nineteen.
#: Counters are written from the strings received or ``%d``: a Lua number prints as ``1e+12``.
#: Answers ``{0, granted}`` or ``{why, 0}``. Several are granted only while every cap keeps
#: ``HEADROOM`` leases' worth of room: near a cap, one at a time, so caps are met exactly.
_IMPRESSION = """
local raw, n = {}, {}
for v in string.gmatch(ARGV[1], '%S+') do
  raw[#raw + 1] = v
  n[#n + 1] = tonumber(v)
end
local count = {}
for i = 1, 6 do
  local found = redis.call('GET', KEYS[i])
  if found then
    count[i] = tonumber(found)
  else
    local ttl = raw[3]
    if i > 3 then ttl = raw[4] end
    redis.call('SET', KEYS[i], raw[10 + i], 'EX', ttl)
    count[i] = n[10 + i]
  end
end
local cost, need, want, plenty = n[1], n[2], n[19], 1e15
local function room(i)
  local limit = n[4 + i]
  if limit < 0 then return plenty end
  if i == 1 or i == 4 then return limit - count[i] end
  if i == 2 or i == 5 then
    if count[i] + 1 > limit then return 0 end
    return plenty
  end
  if count[i] + need > limit then return 0 end
  if cost > 0 then return math.floor((limit - count[i] - need) / cost) + 1 end
  return math.floor((limit - count[i]) / math.max(need, 1))
end
local total = math.min(room(1), room(2), room(3))
if total < 1 then return {1, 0} end
local daily = math.min(room(4), room(5), room(6))
if daily < 1 then return {2, 0} end
if n[17] > 0 then
  local seen = tonumber(redis.call('GET', KEYS[7]) or '0')
  if seen >= n[17] then return {3, 0} end
end
local granted = 1
if want > 1 and math.min(total, daily) >= want * HEADROOM then granted = want end
redis.call('INCRBY', KEYS[1], granted)
redis.call('INCRBY', KEYS[4], granted)
if cost > 0 then
  local spent = string.format('%d', granted * cost)
  redis.call('INCRBY', KEYS[3], spent)
  redis.call('INCRBY', KEYS[6], spent)
end
if n[17] > 0 and redis.call('INCR', KEYS[7]) == 1 then redis.call('EXPIRE', KEYS[7], raw[18]) end
if ARGV[2] ~= '' then redis.call('HINCRBY', KEYS[8], ARGV[2], 1) end
return {0, granted}
""".replace("HEADROOM", str(LEASE_HEADROOM))

#: What leases did not serve, given back, any number in one call: each key with its amount
#: (counters that expired meanwhile are left alone).
_GIVE_BACK = """
for i = 1, #KEYS do
  if ARGV[i] ~= '0' and redis.call('EXISTS', KEYS[i]) == 1 then
    redis.call('DECRBY', KEYS[i], ARGV[i])
  end
end
return 1
"""

_CLICK = """
local function value(key, seed, ttl)
  local found = redis.call('GET', key)
  if found then return tonumber(found) end
  redis.call('SET', key, seed, 'EX', ttl)
  return tonumber(seed)
end
local function over(count, add, limit) return limit >= 0 and count + add > limit end
local cost = tonumber(ARGV[1])
local count = {}
for i = 1, 4 do
  local ttl = ARGV[2]
  if i > 2 then ttl = ARGV[3] end
  count[i] = value(KEYS[i], ARGV[7 + i], ttl)
end
if over(count[1], 1, tonumber(ARGV[4])) or over(count[2], cost, tonumber(ARGV[5]))
   or over(count[3], 1, tonumber(ARGV[6])) or over(count[4], cost, tonumber(ARGV[7])) then
  return 0
end
redis.call('INCR', KEYS[1])
redis.call('INCR', KEYS[3])
if cost > 0 then
  redis.call('INCRBY', KEYS[2], cost)
  redis.call('INCRBY', KEYS[4], cost)
end
return 1
"""


# -- reserving an impression -----------------------------------------------------------------
def reserve(
    rule: CampaignRule, reader: str | None, timestamp: float, clock: Clock, count: str | None
) -> int:
    """Check every cap of ``rule`` and count one impression, atomically; :data:`SERVED`, or
    why not (``EXHAUSTED``, ``DAILY``, ``FREQUENCY``, ``UNAVAILABLE``). Served, the
    impression is also added to the delivery counter under ``count`` (``counting``'s key):
    in the caps' script (one round trip), or, served from a lease, by ``counting``."""
    if rule.frequency_cap is not None and not reader:
        return FREQUENCY  # a reader we cannot count could be the one who saw it already
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    state = _state(app)
    quiet_until = state.quiet.get(rule.id)
    if quiet_until is not None and quiet_until > timestamp:
        return EXHAUSTED if quiet_until - timestamp > QUIET[DAILY] else DAILY
    client = _redis(app, state)
    if client is None:
        if app.config.get("REDIS_URL"):
            return UNAVAILABLE
        answer = _reserve_in_process(state, rule, reader, timestamp, clock)
        if answer == SERVED and count is not None:
            counting.delivery.add(count, workspace=None)
    else:
        leasing = rule.frequency_cap is None  # a reader's count cannot be leased
        if leasing and _from_lease(state, rule.id, clock.day, timestamp):
            if count is not None:
                counting.delivery.add(count, workspace=None)
            return SERVED
        if timestamp >= state.sweep_at:
            _sweep(state, client, timestamp)
        answer = _reserve_in_redis(state, client, rule, reader, timestamp, clock, count, leasing)
    if answer in QUIET:
        state.quiet[rule.id] = timestamp + QUIET[answer]
    return answer


def _arguments(
    rule: CampaignRule, timestamp: float, clock: Clock, want: int = 1
) -> tuple[int, ...]:
    need = rule.impression_micros + rule.click_micros
    return (
        rule.impression_micros,
        need,
        _total_ttl(rule, timestamp),
        DAY_TTL,
        *_limits(rule, clock, need),
        *_seeds(rule.seeds, clock.day),
        rule.frequency_cap or 0,
        rule.frequency_seconds,
        want,
    )


def _frequency_key(state: _State, rule: CampaignRule, reader: str | None) -> str:
    return f"{state.namespace}:f{rule.id}:{reader}" if rule.frequency_cap else ""


def _reserve_in_process(
    state: _State, rule: CampaignRule, reader: str | None, timestamp: float, clock: Clock
) -> int:
    keys = _keys(state.namespace, rule.id, clock.day)
    frequency_key = _frequency_key(state, rule, reader) or None
    args = _arguments(rule, timestamp, clock)
    return state.memory.reserve(keys, frequency_key, args, timestamp)


def _reserve_in_redis(
    state: _State,
    client: Any,
    rule: CampaignRule,
    reader: str | None,
    timestamp: float,
    clock: Clock,
    count: str | None,
    leasing: bool,
) -> int:
    """One script: the impression served now (counted in it) and, when leasing and far
    from every cap, more for this process's next decisions."""
    want = state.lease_size.get(rule.id, 1) if leasing else 1
    target = counting.delivery.redis_target(count, workspace=None) if count else None
    hash_name, field = target or ("", "")
    keys = _keys(state.namespace, rule.id, clock.day)
    answer = _run(
        state,
        client,
        "impression",
        [*keys, _frequency_key(state, rule, reader), hash_name],
        (" ".join(map(str, _arguments(rule, timestamp, clock, want))), field),
    )
    if answer is None:
        return UNAVAILABLE
    why, granted = (int(x) for x in answer)
    if why == SERVED and leasing:
        # Back within a lease's time: this process is busy with the campaign, lease more.
        last = state.last_trip.get(rule.id)
        state.last_trip[rule.id] = timestamp
        if last is not None and timestamp - last < LEASE_SECONDS:
            state.lease_size[rule.id] = min(LEASE_MAX, want * 2)
        if granted > 1:
            _keep_lease(state, client, rule, clock.day, timestamp, granted - 1, want)
    return why


# -- leases ----------------------------------------------------------------------------------
class _Lease:
    """Impressions of one campaign reserved in Redis and not served yet, for one day."""

    __slots__ = ("campaign_id", "cost", "day", "expires", "left", "size")

    def __init__(
        self, campaign_id: int, cost: int, day: str, expires: float, left: int, size: int
    ) -> None:
        self.campaign_id, self.cost, self.day = campaign_id, cost, day
        self.expires, self.left, self.size = expires, left, size


def _from_lease(state: _State, campaign_id: int, day: str, timestamp: float) -> bool:
    """Serve one impression from this process's lease, if it has one that is good."""
    lease = state.leases.get(campaign_id)
    if lease is None:
        return False
    with state.lock:
        if lease.left > 0 and lease.day == day and lease.expires > timestamp:
            lease.left -= 1
            return True
    return False


def _keep_lease(
    state: _State,
    client: Any,
    rule: CampaignRule,
    day: str,
    timestamp: float,
    left: int,
    size: int,
) -> None:
    fresh = _Lease(rule.id, rule.impression_micros, day, timestamp + LEASE_SECONDS, left, size)
    with state.lock:
        old = state.leases.get(rule.id)
        if old is not None and old.day == day and old.expires > timestamp:
            old.left += left  # another thread leased too: one lease, nothing stranded
            return
        state.leases[rule.id] = fresh
    if old is not None and old.left > 0:
        _give_back(state, client, [old])


def _sweep(state: _State, client: Any, timestamp: float) -> None:
    """Once a second: leases past their time go back (their campaigns may have left the
    index: paused, ended), and their sizes shrink to what they served."""
    state.sweep_at = timestamp + SWEEP_SECONDS
    with state.lock:
        expired = [lease for lease in state.leases.values() if lease.expires <= timestamp]
        for lease in expired:
            del state.leases[lease.campaign_id]
            used = lease.size - lease.left
            state.lease_size[lease.campaign_id] = max(1, min(lease.size, used))
    _give_back(state, client, expired)


def _give_back(state: _State, client: Any, leases: Iterable[_Lease]) -> bool:
    """One round trip for all of ``leases`` (a sweep may find hundreds: one call each
    would hold the decision that sweeps for as many round trips)."""
    names: list[str] = []
    amounts: list[int] = []
    for lease in leases:
        if lease.left <= 0:
            continue
        keys = _keys(state.namespace, lease.campaign_id, lease.day)
        spent = lease.left * lease.cost
        names += (keys[0], keys[2], keys[3], keys[5])
        amounts += (lease.left, spent, lease.left, spent)
    if not names:
        return True
    return _run(state, client, "give_back", names, tuple(amounts)) is not None


def give_back_leases(app: Flask) -> None:
    """Every lease of this process back to the counters (a process stopping; tests)."""
    state = app.extensions.get(STATE_KEY)
    if state is None or not state.leases:
        return
    with state.lock:
        leases, state.leases = list(state.leases.values()), {}
    client = _redis(app, state)
    if client is not None:  # Redis gone: they stay reserved (a lease less delivered, at most)
        _give_back(state, client, leases)


def _total_ttl(rule: CampaignRule, timestamp: float) -> int:
    """Seconds the total counters are kept: until two days after the campaign's end
    (relative, so that the decision's clock, not Redis's, says when)."""
    return max(DAY_TTL, int(rule.expire_at - timestamp))


def _limits(rule: CampaignRule, clock: Clock, need: int) -> tuple[int, ...]:
    """Total and daily limits (-1: none), the daily ones paced for an even campaign."""
    daily_impressions = rule.max_daily_impressions
    daily_budget = rule.daily_budget_micros
    if rule.even:
        if daily_impressions is not None:
            daily_impressions = paced(daily_impressions, clock.fraction)
        if daily_budget is not None:
            daily_budget = paced(daily_budget, clock.fraction, max(1, need))
    return tuple(
        -1 if limit is None else limit
        for limit in (
            rule.max_impressions,
            rule.max_clicks,
            rule.budget_micros,
            daily_impressions,
            rule.max_daily_clicks,
            daily_budget,
        )
    )


def _seeds(seeds: Seeds, day: str) -> tuple[int, ...]:
    today = seeds.day == day
    return (
        seeds.impressions,
        seeds.clicks,
        seeds.spend_micros,
        seeds.day_impressions if today else 0,
        seeds.day_clicks if today else 0,
        seeds.day_spend_micros if today else 0,
    )


def _keys(namespace: str, campaign_id: int, day: str) -> tuple[str, ...]:
    """Total and daily counters: impressions, clicks, spend (µMAD)."""
    base = f"{namespace}:c{campaign_id}"
    return (
        f"{base}:imp",
        f"{base}:clk",
        f"{base}:spend",
        f"{base}:{day}:imp",
        f"{base}:{day}:clk",
        f"{base}:{day}:spend",
    )


# -- clicks ----------------------------------------------------------------------------------
def allow_click(campaign_id: int, click_micros: int, now: datetime) -> bool:
    """Whether a click on ``campaign_id``'s ad counts and is billed ``click_micros``: within
    its click caps and its budget (counted when it is). A refused click still leads to the
    advertiser's page; it is neither billed nor counted. A campaign no longer served (ended,
    paused) counts no more clicks."""
    rule = index.current().campaigns.get(campaign_id)
    if rule is None:
        return False
    if rule.max_clicks is None and rule.max_daily_clicks is None and click_micros <= 0:
        return True  # nothing about clicks to hold: every click counts
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    state = _state(app)
    clock = clock_at(now.timestamp(), rule.zone)
    _, clicks, spend, _, day_clicks, day_spend = _keys(state.namespace, rule.id, clock.day)
    seeds = _seeds(rule.seeds, clock.day)
    args = (
        max(0, click_micros),
        _total_ttl(rule, now.timestamp()),
        DAY_TTL,
        *(
            -1 if limit is None else limit
            for limit in (
                rule.max_clicks,
                rule.budget_micros,
                rule.max_daily_clicks,
                rule.daily_budget_micros,
            )
        ),
        seeds[1],
        seeds[2],
        seeds[4],
        seeds[5],
    )
    keys = [clicks, spend, day_clicks, day_spend]
    client = _redis(app, state)
    if client is None:
        if app.config.get("REDIS_URL"):
            return False
        return state.memory.click(keys, args, now.timestamp())
    return _run(state, client, "click", keys, args) == 1


# -- the reader's key ------------------------------------------------------------------------
def reader_key(raw_id: str, now: datetime) -> str:
    """The key frequency caps count a reader by: an HMAC-SHA256 of the random id the page
    keeps in its own storage and of the ISO week. It changes every week, cannot be turned
    back into the id, and is no cookie: nothing follows the reader from site to site."""
    year, week, _ = now.astimezone(UTC).isocalendar()
    message = f"{year}-W{week:02d}|{raw_id[:RAW_ID_LIMIT]}".encode()
    return hmac.new(_reader_secret(), message, hashlib.sha256).hexdigest()[:32]


def _reader_secret() -> bytes:
    """A key of its own, derived from the application's SECRET_KEY (never the key itself)."""
    secret = current_app.config["SECRET_KEY"]
    raw = secret if isinstance(secret, bytes) else str(secret).encode()
    kept = current_app.extensions.get("ads.reader_secret")
    if kept is None or kept[0] != raw:
        derived = hmac.new(raw, b"ent.ads.reader-key", hashlib.sha256).digest()
        kept = current_app.extensions["ads.reader_secret"] = (raw, derived)
    return kept[1]  # type: ignore[no-any-return]


# -- ending campaigns ------------------------------------------------------------------------
def end_campaigns(now: datetime | None = None) -> list[int]:
    """The schedule: campaigns whose end passed, or whose total caps or budget are reached,
    become ``ended`` (a guarded UPDATE: a campaign paused or ended meanwhile is left as it
    is), and the index forgets them. Returns the ids ended."""
    now = now or sdk.utcnow()
    ended = []
    with sdk.all_workspaces():
        campaigns = sdk.db.session.scalars(
            sdk.db.select(Campaign)
            .options(selectinload(Campaign.workspace))
            .where(Campaign.status.in_(("approved", "paused")))
            .order_by(Campaign.id)
        ).all()
        delivered = totals([c.id for c in campaigns])
        for campaign in campaigns:
            rule = index.campaign_rule(campaign, delivered.get(campaign.id, Seeds()))
            if campaign.ends_at <= now:
                reason = "ended"
            elif index.exhausted(rule, rule.seeds):
                reason = "spent"
            else:
                continue
            moved = sdk.db.session.execute(
                sdk.db.update(Campaign)
                .where(Campaign.id == campaign.id, Campaign.status == campaign.status)
                .values(status="ended", ended_at=now, updated_at=now)
                .execution_options(synchronize_session=False)
            )
            if moved.rowcount:
                ended.append(campaign.id)
                sdk.audit(
                    "ads.campaign_ended",
                    subject=f"campaign:{campaign.id}",
                    workspace=campaign.workspace,
                    details={"reason": reason},
                )
        sdk.db.session.commit()
    if ended:
        index.invalidate()
    return ended


def totals(campaign_ids: Iterable[int]) -> dict[int, Seeds]:
    """What each campaign delivered in all: the larger of the flushed statistics and the
    real-time counters (which hold what is not flushed yet)."""
    ids = list(campaign_ids)
    if not ids:
        return {}
    found = {cid: [0, 0, 0] for cid in ids}
    with sdk.all_workspaces():
        for cid, imps, clicks, spend in sdk.db.session.execute(
            sdk.db.select(
                CampaignStat.campaign_id,
                func.sum(CampaignStat.impressions),
                func.sum(CampaignStat.clicks),
                func.sum(CampaignStat.spend_micros),
            )
            .where(CampaignStat.campaign_id.in_(ids))
            .group_by(CampaignStat.campaign_id)
        ):
            found[cid] = [int(imps or 0), int(clicks or 0), int(spend or 0)]
        spent = dict(
            sdk.db.session.execute(
                sdk.db.select(Campaign.id, Campaign.spent).where(Campaign.id.in_(ids))
            ).all()
        )
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    state = _state(app)
    names = [key for cid in ids for key in _keys(state.namespace, cid, "")[:3]]
    client = _redis(app, state)
    if client is not None:
        from redis.exceptions import RedisError

        try:
            values = client.mget(names)
        except RedisError as exc:  # counters unreadable: the statistics stand
            log.warning("ads caps: Redis unavailable, totals from statistics only: %s", exc)
            values = [None] * len(names)
    else:
        values = state.memory.read(names, time.time())
    for n, cid in enumerate(ids):
        live = [int(v) if v is not None else 0 for v in values[3 * n : 3 * n + 3]]
        found[cid] = [max(a, b) for a, b in zip(found[cid], live, strict=True)]
        found[cid][2] = max(found[cid][2], index.micros(spent.get(cid) or 0))
    return {cid: Seeds(*values) for cid, values in found.items()}


# -- backends --------------------------------------------------------------------------------
class MemoryCounters:
    """The counters of one process, under one lock: the same checks as the Lua scripts."""

    __slots__ = ("expiry", "lock", "operations", "values")

    def __init__(self) -> None:
        self.values: dict[str, int] = {}
        self.expiry: dict[str, float] = {}
        self.lock = threading.Lock()
        self.operations = 0

    def _value(self, key: str, seed: int, ttl: float, now: float) -> int:
        if key in self.values and self.expiry.get(key, now + 1) > now:
            return self.values[key]
        self.values[key] = seed
        self.expiry[key] = now + ttl
        return seed

    def reserve(
        self, keys: tuple[str, ...], frequency_key: str | None, args: tuple[int, ...], now: float
    ) -> int:
        cost, need, total_ttl, day_ttl = args[:4]
        limits, seeds = args[4:10], args[10:16]
        frequency_cap, frequency_seconds = args[16], args[17]
        with self.lock:
            self._tidy(now)
            counts = [
                self._value(key, seeds[i], total_ttl if i < 3 else day_ttl, now)
                for i, key in enumerate(keys)
            ]
            adds = (1, 1, need, 1, 1, need)
            for first, answer in ((0, EXHAUSTED), (3, DAILY)):
                for i in range(first, first + 3):
                    if limits[i] >= 0 and counts[i] + adds[i] > limits[i]:
                        return answer
            if frequency_key is not None:
                seen = self._value(frequency_key, 0, frequency_seconds, now)
                if seen >= frequency_cap:
                    return FREQUENCY
                self.values[frequency_key] = seen + 1
            for i, add in ((0, 1), (3, 1), (2, cost), (5, cost)):
                self.values[keys[i]] += add
            return SERVED

    def click(self, keys: list[str], args: tuple[int, ...], now: float) -> bool:
        cost, total_ttl, day_ttl = args[:3]
        limits, seeds = args[3:7], args[7:11]
        with self.lock:
            counts = [
                self._value(key, seeds[i], total_ttl if i < 2 else day_ttl, now)
                for i, key in enumerate(keys)
            ]
            adds = (1, cost, 1, cost)
            if any(limits[i] >= 0 and counts[i] + adds[i] > limits[i] for i in range(4)):
                return False
            for i in range(4):
                self.values[keys[i]] += adds[i]
            return True

    def read(self, keys: list[str], now: float) -> list[int | None]:
        with self.lock:
            return [
                self.values[k] if k in self.values and self.expiry.get(k, now) >= now else None
                for k in keys
            ]

    def _tidy(self, now: float) -> None:
        """Every 10,000 reservations, forget expired counters (frequency keys pile up)."""
        self.operations += 1
        if self.operations % 10_000:
            return
        for key in [k for k, at in self.expiry.items() if at <= now]:
            self.values.pop(key, None)
            self.expiry.pop(key, None)


class _State:
    """What caps keep per application: counters without Redis, campaigns left alone for a
    moment, the Redis client and its scripts."""

    __slots__ = (
        "client",
        "last_trip",
        "lease_size",
        "leases",
        "lock",
        "memory",
        "namespace",
        "paused_until",
        "quiet",
        "scripts",
        "sweep_at",
        "url",
    )

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace
        self.memory = MemoryCounters()
        self.quiet: dict[int, float] = {}
        self.url: str | None = None
        self.client: Any = None
        self.scripts: dict[str, Any] = {}
        self.paused_until = 0.0
        self.leases: dict[int, _Lease] = {}
        self.lease_size: dict[int, int] = {}
        self.last_trip: dict[int, float] = {}
        self.lock = threading.Lock()
        self.sweep_at = 0.0


def _state(app: Flask) -> _State:
    state = app.extensions.get(STATE_KEY)
    if state is None:
        queue = app.config.get("ENT_QUEUE") or "ent"
        state = app.extensions.setdefault(STATE_KEY, _State(f"ent:ads:{queue}"))
        _apps.add(app)
    return state  # type: ignore[no-any-return]


#: The applications of this process whose leases go back at exit.
_apps: weakref.WeakSet[Flask] = weakref.WeakSet()


@atexit.register
def _give_back_at_exit() -> None:
    """A process stopping normally gives back what its leases did not serve; one killed
    leaves them reserved: its campaigns deliver up to a lease less, never more."""
    for app in list(_apps):
        try:
            give_back_leases(app)
        except Exception:  # exiting: log, never raise
            log.exception("ads caps: leases not given back")


def _redis(app: Flask, state: _State) -> Any:
    """The Redis client for ``REDIS_URL`` (None without Redis, or while it is left alone)."""
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    if state.paused_until > time.monotonic():
        return None
    if state.url != url:
        from redis import Redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        client = Redis.from_url(
            url,
            socket_connect_timeout=REDIS_TIMEOUT,
            socket_timeout=REDIS_TIMEOUT,
            retry=Retry(NoBackoff(), 0),
        )
        state.scripts = {
            "impression": client.register_script(_IMPRESSION),
            "click": client.register_script(_CLICK),
            "give_back": client.register_script(_GIVE_BACK),
        }
        state.client, state.url = client, url
    return state.client


def _run(state: _State, client: Any, script: str, keys: list[str], args: tuple[Any, ...]) -> Any:
    from redis.exceptions import RedisError

    try:
        return state.scripts[script](keys=keys, args=list(args), client=client)
    except RedisError as exc:
        state.paused_until = time.monotonic() + REDIS_PAUSE
        log.warning("ads caps: Redis unavailable, capped campaigns wait %ss: %s", REDIS_PAUSE, exc)
        return None


def reset(app: Flask) -> None:
    """Forget this process's counters, quiet campaigns and snapshot (tests: each starts from
    an empty database whose ids are used again)."""
    app.extensions.pop(STATE_KEY, None)
    app.extensions.pop(index.HOLDER_KEY, None)
