"""The delivery index: everything that may be served now, as one immutable snapshot per process.

A decision must not wait for the database, so each process keeps a snapshot of the live
campaigns, their creatives and the placements they may fill, with the candidate list of every
placement (and size) worked out in advance: formats and sizes that fit, brand safety, the
campaigns' placement and publication targets, grouped by priority class. A decision then only
checks what changes with the moment and the page (dates, dayparts, context) and the caps.

Campaign and creative moderation, placements joining or leaving, a module switched on or off:
each calls :func:`invalidate` after its change; every process looks at the version at most
once a second and rebuilds when it changed, and rebuilds at least once a minute anyway
(workspaces approved or suspended, campaigns starting). docs/ads.md, "Choosing an ad".
"""

from __future__ import annotations

import functools
import logging
import secrets
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import Any
from zoneinfo import ZoneInfo

from ent_plugins.ads.catalogues import PRIORITY_ORDER
from ent_plugins.ads.models import AdPlacement, Campaign, CampaignStat
from ent_plugins.ads.settings import settings
from flask import current_app
from sqlalchemy import and_, event, func, or_
from sqlalchemy.orm import selectinload

from ent_core import sdk

log = logging.getLogger(__name__)

VERSION_KEY = "delivery-index-version"
#: Seconds between two looks at the version (a cache read), per process.
CHECK_EVERY = 1.0
#: Seconds after which a snapshot is rebuilt even if nobody invalidated it.
REBUILD_EVERY = 60.0
#: Campaigns starting this soon are in the snapshot already (their start is checked per
#: decision), so a campaign starts on time although snapshots are a minute old.
LOOKAHEAD = timedelta(minutes=2)
#: Where a process keeps its snapshot (``app.extensions``).
HOLDER_KEY = "ads.delivery_index"
#: Marks a session whose commit will bump the version again.
_BUMP_ON_COMMIT = "ads.invalidate_on_commit"


# -- what a snapshot holds ---------------------------------------------------------------------
# Slotted frozen classes: a decision reads a dozen attributes of hundreds of them, and slots
# make those reads cheaper and the snapshot smaller than instance dictionaries.
@dataclass(frozen=True, slots=True)
class Seeds:
    """What the database says a campaign delivered (flushed statistics), for the real-time
    counters to start from when they have nothing (a new process, Redis restarted)."""

    impressions: int = 0
    clicks: int = 0
    spend_micros: int = 0
    #: The advertiser's day the ``day_*`` figures are for ("20260615").
    day: str = ""
    day_impressions: int = 0
    day_clicks: int = 0
    day_spend_micros: int = 0


@dataclass(frozen=True, slots=True)
class CampaignRule:
    """A live campaign as a decision reads it: plain numbers and sets, no ORM object."""

    id: int
    advertiser_id: int
    #: Index in ``PRIORITY_ORDER`` (0: sponsorship).
    rank: int
    weight: int
    category: str
    #: Start and end as Unix seconds.
    starts: float
    ends: float
    pricing: str
    impression_micros: int
    click_micros: int
    #: Total and daily budgets in micro-dirhams; None: no budget to watch (flat fee, none set).
    budget_micros: int | None
    daily_budget_micros: int | None
    max_impressions: int | None
    max_daily_impressions: int | None
    max_clicks: int | None
    max_daily_clicks: int | None
    frequency_cap: int | None
    frequency_seconds: int
    #: Hours of the week it runs (weekday * 24 + hour, Monday 0), None: every hour.
    dayparts: frozenset[int] | None
    #: The advertiser's time zone: dayparts and daily caps follow its clock.
    zone: ZoneInfo
    even: bool
    #: Contextual targets; None: everything.
    sectors: frozenset[str] | None
    tags: frozenset[str] | None
    languages: frozenset[str] | None
    #: Where it may run (publishers' slugs; placement codes or public ids); None: anywhere.
    workspaces: frozenset[str] | None
    placements: frozenset[str] | None
    seeds: Seeds
    #: Something to check per decision beyond dates: dayparts or contextual targets.
    contextual: bool
    #: A counter to hold (caps, budget, frequency): each impression is reserved first.
    capped: bool
    #: The campaign's end plus two days, when its counters may go.
    expire_at: int


@dataclass(frozen=True, slots=True)
class CreativeInfo:
    """An approved, active creative: what rendering and counting need."""

    id: int
    format: str
    size: str | None
    headline: str
    body: str
    alt_text: str
    click_url: str
    asset_path: str


@dataclass(frozen=True, slots=True)
class PlacementInfo:
    """An active placement of the network."""

    id: int
    public_id: str
    code: str
    publisher_id: int
    publisher_slug: str
    #: The publisher's sectors: the page's context when the request names none.
    sectors: frozenset[str]
    sizes: tuple[str, ...]
    formats: frozenset[str]
    excluded_categories: frozenset[str]


#: A campaign that may fill a placement, with the creatives of it that fit there.
Entry = tuple[CampaignRule, tuple[CreativeInfo, ...]]


class Candidates:
    """The campaigns of one priority class that may fill one placement at one size, arranged
    for the common decision: those without dayparts or contextual targets (``fixed``) come
    with their cumulative weights, so that drawing among them is a bisection; only the others
    are checked one by one against the page and the clock."""

    __slots__ = ("contextual", "cumulative", "entries", "fixed", "fixed_total", "since", "until")

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries = tuple(entries)
        self.fixed = tuple(e for e in self.entries if not e[0].contextual)
        self.contextual = tuple(e for e in self.entries if e[0].contextual)
        self.cumulative = tuple(accumulate(e[0].weight for e in self.fixed))
        self.fixed_total = self.cumulative[-1] if self.cumulative else 0
        #: Every entry runs between these instants (else dates are checked one by one).
        self.since = max((e[0].starts for e in self.entries), default=0.0)
        self.until = min((e[0].ends for e in self.entries), default=0.0)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)


class Snapshot:
    """The whole index: immutable once built, shared by the process's threads without locks."""

    __slots__ = ("built", "campaigns", "candidates", "expires", "placements", "version")

    def __init__(
        self,
        *,
        version: str | None,
        placements: dict[str, PlacementInfo],
        candidates: dict[tuple[str, str | None], tuple[Candidates, ...]],
        campaigns: dict[int, CampaignRule],
        built: float,
    ) -> None:
        self.version = version
        self.placements = placements
        #: (placement public id, size or None) -> the candidates of each priority class.
        self.candidates = candidates
        self.campaigns = campaigns
        self.built = built
        self.expires = built + REBUILD_EVERY


# -- building --------------------------------------------------------------------------------
def fits(creative: CreativeInfo, placement: PlacementInfo, size: str | None) -> bool:
    """Whether ``creative`` can fill ``placement`` (at ``size``, or any of its sizes)."""
    if creative.format not in placement.formats:
        return False
    if creative.format == "native" and creative.size is None:
        return True  # a native ad takes the shape of the place
    return creative.size in (placement.sizes if size is None else (size,))


def may_run_on(rule: CampaignRule, placement: PlacementInfo) -> bool:
    """Brand safety and the campaign's own choice of publications and placements."""
    if rule.category in placement.excluded_categories:
        return False
    if rule.workspaces is not None and placement.publisher_slug not in rule.workspaces:
        return False
    return rule.placements is None or (
        placement.code in rule.placements or placement.public_id in rule.placements
    )


def build(
    campaigns: Iterable[tuple[CampaignRule, tuple[CreativeInfo, ...]]],
    placements: Iterable[PlacementInfo],
    *,
    version: str | None = None,
) -> Snapshot:
    """A snapshot from plain data: every placement's candidates, per size and priority."""
    live = list(campaigns)
    by_id = {p.public_id: p for p in placements}
    candidates: dict[tuple[str, str | None], tuple[Candidates, ...]] = {}
    for placement in by_id.values():
        allowed = [(rule, creatives) for rule, creatives in live if may_run_on(rule, placement)]
        for size in (None, *placement.sizes):
            classes: list[list[Entry]] = [[] for _ in PRIORITY_ORDER]
            for rule, creatives in allowed:
                fitting = tuple(c for c in creatives if fits(c, placement, size))
                if fitting:
                    classes[rule.rank].append((rule, fitting))
            candidates[(placement.public_id, size)] = tuple(Candidates(c) for c in classes)
    return Snapshot(
        version=version,
        placements=by_id,
        candidates=candidates,
        campaigns={rule.id: rule for rule, _ in live},
        built=time.monotonic(),
    )


def load(now: datetime, version: str | None = None) -> Snapshot:
    """The snapshot of what the database allows to be served around ``now``."""
    with sdk.all_workspaces():
        placements = [placement_info(p) for p in _placements()]
        rows = list(_campaigns(now))
        seeds = _seeds(rows, now)
        live = []
        for campaign in rows:
            creatives = tuple(
                creative_info(c, campaign)
                for c in campaign.creatives
                if c.status == "approved" and c.active
            )
            rule = campaign_rule(campaign, seeds[campaign.id])
            if creatives and not exhausted(rule, rule.seeds):
                live.append((rule, creatives))
    return build(live, placements, version=version)


def _campaigns(now: datetime) -> Iterable[Campaign]:
    """Approved, paid (or invoiced monthly) campaigns of approved advertisers with ads on,
    running now or starting within :data:`LOOKAHEAD`."""
    return sdk.db.session.scalars(
        sdk.db.select(Campaign)
        .options(selectinload(Campaign.creatives), selectinload(Campaign.workspace))
        .where(
            Campaign.status == "approved",
            Campaign.starts_at <= now + LOOKAHEAD,
            Campaign.ends_at > now,
            or_(Campaign.billing == "monthly", Campaign.paid_at.is_not(None)),
            Campaign.workspace_id.in_(sdk.public_workspace_ids("ads")),
        )
        .order_by(Campaign.id)
    )


def _placements() -> Iterable[AdPlacement]:
    """Active placements of approved publishers with ads on, and the régie's own (the
    sector portal's) when the operator named the régie's workspace; only those whose place
    is on in their workspace (docs/ads.md, "A module switched off")."""
    workspace = AdPlacement.workspace.property.mapper.class_
    owners = [AdPlacement.workspace_id.in_(sdk.public_workspace_ids("ads"))]
    regie = settings().regie_workspace
    if regie:
        owners.append(
            AdPlacement.workspace_id.in_(
                sdk.db.select(workspace.id).where(
                    workspace.slug == regie, workspace.status == "approved"
                )
            )
        )
    return sdk.db.session.scalars(
        sdk.db.select(AdPlacement)
        .options(selectinload(AdPlacement.workspace).selectinload(workspace.sectors))
        .where(AdPlacement.active.is_(True), or_(*owners), offered_clause())
        .order_by(AdPlacement.id)
    )


def offered_clause() -> Any:
    """SQL for the delivery index, across workspaces: the placement's place is on in its
    workspace (an external placement; a portal place, the régie's; a place whose declaring
    module is switched on in that approved workspace)."""
    always, by_plugin = [], defaultdict(list)
    for code, slot in sdk.ad_slots().items():
        if slot.platform or slot.plugin is None:
            always.append(code)
        else:
            by_plugin[slot.plugin].append(code)
    return or_(
        AdPlacement.kind == "external",
        AdPlacement.code.in_(always),
        *(
            and_(
                AdPlacement.code.in_(codes),
                AdPlacement.workspace_id.in_(sdk.public_workspace_ids(plugin)),
            )
            for plugin, codes in by_plugin.items()
        ),
    )


def _seeds(campaigns: list[Campaign], now: datetime) -> dict[int, Seeds]:
    """Flushed statistics per campaign: its totals, and its hours since the advertiser's
    midnight (two queries for every campaign)."""
    ids = [c.id for c in campaigns]
    totals: dict[int, tuple[int, int, int]] = {}
    recent: dict[int, list[tuple[datetime, int, int, int]]] = defaultdict(list)
    if ids:
        sums = (
            func.sum(CampaignStat.impressions),
            func.sum(CampaignStat.clicks),
            func.sum(CampaignStat.spend_micros),
        )
        for cid, imps, clicks, spend in sdk.db.session.execute(
            sdk.db.select(CampaignStat.campaign_id, *sums)
            .where(CampaignStat.campaign_id.in_(ids))
            .group_by(CampaignStat.campaign_id)
        ):
            totals[cid] = (int(imps or 0), int(clicks or 0), int(spend or 0))
        for cid, hour, imps, clicks, spend in sdk.db.session.execute(
            sdk.db.select(CampaignStat.campaign_id, CampaignStat.hour, *sums)
            .where(
                CampaignStat.campaign_id.in_(ids),
                CampaignStat.hour >= now - timedelta(hours=27),
            )
            .group_by(CampaignStat.campaign_id, CampaignStat.hour)
        ):
            recent[cid].append((hour, int(imps or 0), int(clicks or 0), int(spend or 0)))
    seeds = {}
    for campaign in campaigns:
        zone = sdk.workspace_zone(campaign.workspace)
        midnight = day_start(now, zone)
        today = [row for row in recent[campaign.id] if row[0] >= midnight]
        imps, clicks, spend = totals.get(campaign.id, (0, 0, 0))
        seeds[campaign.id] = Seeds(
            impressions=imps,
            clicks=clicks,
            spend_micros=max(spend, micros(campaign.spent or 0)),
            day=day_key(now, zone),
            day_impressions=sum(row[1] for row in today),
            day_clicks=sum(row[2] for row in today),
            day_spend_micros=sum(row[3] for row in today),
        )
    return seeds


def campaign_rule(campaign: Campaign, seeds: Seeds) -> CampaignRule:
    """What a decision needs of ``campaign`` (its workspace loaded), as plain values."""
    flat = campaign.pricing == "flat"
    rate = micros(campaign.rate)
    budget = None if flat or campaign.budget is None else micros(campaign.budget)
    daily = None if flat or campaign.daily_budget is None else micros(campaign.daily_budget)
    dayparts = _dayparts(campaign.dayparts)
    sectors = _codes(campaign.target_sectors)
    tags = _codes(campaign.target_tags)
    languages = _codes(campaign.target_languages)
    caps = (
        campaign.max_impressions,
        campaign.max_daily_impressions,
        campaign.max_clicks,
        campaign.max_daily_clicks,
        campaign.frequency_cap,
    )
    ends = _aware(campaign.ends_at)
    return CampaignRule(
        id=campaign.id,
        advertiser_id=campaign.workspace_id,
        rank=PRIORITY_ORDER.index(campaign.priority) if campaign.priority in PRIORITY_ORDER else 1,
        weight=max(1, int(campaign.weight or 1)),
        category=campaign.category,
        starts=_aware(campaign.starts_at).timestamp(),
        ends=ends.timestamp(),
        pricing=campaign.pricing,
        impression_micros=rate // 1000 if campaign.pricing == "cpm" else 0,
        click_micros=rate if campaign.pricing == "cpc" else 0,
        budget_micros=budget,
        daily_budget_micros=daily,
        max_impressions=campaign.max_impressions,
        max_daily_impressions=campaign.max_daily_impressions,
        max_clicks=campaign.max_clicks,
        max_daily_clicks=campaign.max_daily_clicks,
        frequency_cap=campaign.frequency_cap,
        frequency_seconds=max(1, int(campaign.frequency_hours or 24)) * 3600,
        dayparts=dayparts,
        zone=sdk.workspace_zone(campaign.workspace),
        even=campaign.pacing == "even",
        sectors=sectors,
        tags=tags,
        languages=languages,
        workspaces=_codes(campaign.target_workspaces),
        placements=_codes(campaign.target_placements, lower=False),
        seeds=seeds,
        contextual=any(x is not None for x in (dayparts, sectors, tags, languages)),
        capped=budget is not None or daily is not None or any(c is not None for c in caps),
        expire_at=int((ends + timedelta(days=2)).timestamp()),
    )


def creative_info(creative: Any, campaign: Campaign) -> CreativeInfo:
    return CreativeInfo(
        id=creative.id,
        format=creative.format,
        size=creative.size,
        headline=creative.headline,
        body=creative.body,
        alt_text=creative.alt_text,
        click_url=creative.click_url or campaign.landing_url,
        asset_path=f"/ads/creatives/{creative.id}/" if creative.file_token else "",
    )


def placement_info(placement: AdPlacement) -> PlacementInfo:
    publisher = placement.workspace
    return PlacementInfo(
        id=placement.id,
        public_id=placement.public_id,
        code=placement.code,
        publisher_id=placement.workspace_id,
        publisher_slug=publisher.slug,
        sectors=frozenset(s.code for s in publisher.sectors),
        sizes=tuple(placement.sizes or ()),
        formats=frozenset(placement.formats or ()),
        excluded_categories=frozenset(placement.excluded_categories or ()),
    )


def exhausted(rule: CampaignRule, seeds: Seeds) -> bool:
    """Whether totals ``seeds`` leave ``rule`` nothing to deliver: a total cap reached, or
    not enough budget left for one more impression (CPM) or click (CPC)."""
    if rule.max_impressions is not None and seeds.impressions >= rule.max_impressions:
        return True
    if rule.max_clicks is not None and seeds.clicks >= rule.max_clicks:
        return True
    if rule.budget_micros is None:
        return False
    need = max(1, rule.impression_micros + rule.click_micros)
    return seeds.spend_micros + need > rule.budget_micros


# -- time and small conversions --------------------------------------------------------------
def micros(amount: object) -> int:
    """Dirhams (a Decimal) as integer micro-dirhams."""
    return int(Decimal(str(amount)) * 1_000_000)


def day_key(moment: datetime, zone: ZoneInfo) -> str:
    """The advertiser's date at ``moment``: daily caps reset at its midnight."""
    return moment.astimezone(zone).strftime("%Y%m%d")


def day_start(moment: datetime, zone: ZoneInfo) -> datetime:
    """The UTC instant the advertiser's day of ``moment`` began."""
    local = moment.astimezone(zone)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _codes(values: Iterable[str] | None, *, lower: bool = True) -> frozenset[str] | None:
    """A target list as a set (None when empty: it targets everything)."""
    found = frozenset(
        (v.strip().lower() if lower else v.strip()) for v in values or () if v and v.strip()
    )
    return found or None


def _dayparts(values: Iterable[str] | None) -> frozenset[int] | None:
    """ "weekday:hour" strings as hours of the week; a malformed one is left out (an all
    malformed list serves nowhere rather than everywhere), every hour is no restriction."""
    return _parsed_dayparts(tuple(values)) if values else None


@functools.lru_cache(maxsize=1024)
def _parsed_dayparts(values: tuple[str, ...]) -> frozenset[int] | None:
    hours = set()
    for value in values:
        day, _, hour = str(value).partition(":")
        if day.isdigit() and hour.isdigit() and int(day) < 7 and int(hour) < 24:
            hours.add(int(day) * 24 + int(hour))
    return None if len(hours) == 7 * 24 else frozenset(hours)


# -- the process's snapshot ------------------------------------------------------------------
class _Holder:
    """The process's snapshot and when to look at the version next."""

    __slots__ = ("lock", "next_check", "snapshot")

    def __init__(self) -> None:
        self.snapshot: Snapshot | None = None
        self.next_check = 0.0
        self.lock = threading.Lock()


def _holder() -> _Holder:
    extensions = current_app.extensions
    holder = extensions.get(HOLDER_KEY)
    if holder is None:
        holder = extensions.setdefault(HOLDER_KEY, _Holder())
    return holder  # type: ignore[no-any-return]


def current() -> Snapshot:
    """The snapshot to decide with: the last one, unless its version changed (looked at
    once a second) or it is a minute old. One thread rebuilds; the others keep deciding
    with the previous snapshot meanwhile."""
    holder = _holder()
    snapshot = holder.snapshot
    if snapshot is not None and time.monotonic() < holder.next_check:
        return snapshot
    if not holder.lock.acquire(blocking=snapshot is None):
        return snapshot  # type: ignore[return-value] # another thread is refreshing it
    try:
        if holder.snapshot is not snapshot:  # built while this thread waited
            return holder.snapshot  # type: ignore[return-value]
        started = time.monotonic()
        seen = version()
        if snapshot is None or seen != snapshot.version or started >= snapshot.expires:
            try:
                snapshot = holder.snapshot = load(sdk.utcnow(), seen)
            except Exception:
                if snapshot is None:
                    raise
                # The database did not answer: keep serving what was known a moment ago.
                log.exception("ads: the delivery index could not be rebuilt; the last one stays")
        holder.next_check = started + CHECK_EVERY
        return snapshot
    finally:
        holder.lock.release()


def invalidate() -> None:
    """Say that what may be served changed: this process rebuilds at its next decision,
    the others within a second. Bumped again when the caller's transaction commits, so a
    process that rebuilt in between does not keep the state from before the commit."""
    _bump()
    session = sdk.db.session()
    if session.in_transaction() and not session.info.get(_BUMP_ON_COMMIT):
        session.info[_BUMP_ON_COMMIT] = True
        if not event.contains(session, "after_commit", _bumped_after_commit):
            event.listen(session, "after_commit", _bumped_after_commit)


def _bump() -> None:
    sdk.cache.set(VERSION_KEY, secrets.token_hex(8), workspace=None, ttl=7 * 86400)
    holder = current_app.extensions.get(HOLDER_KEY)
    if holder is not None:
        holder.next_check = 0.0


def _bumped_after_commit(session: Any) -> None:
    if session.info.pop(_BUMP_ON_COMMIT, None):
        _bump()


def version() -> str | None:
    return sdk.cache.get(VERSION_KEY, workspace=None)  # type: ignore[no-any-return]


def workspace_switched(workspace: Any) -> None:
    """``ent_workspace_enabled``/``ent_workspace_disabled``: its campaigns and placements
    join or leave the index."""
    invalidate()
