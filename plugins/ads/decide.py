"""Choosing the ad for one request: the contract between delivery and selection.

``decide(AdRequest) -> AdDecision | None`` is all delivery (``serve.py``) calls. It reads the
process's delivery index (``index.py``: no SQL), walks the priority classes in order
(sponsorship, standard, remnant: a lower class serves only when no higher one can), keeps the
campaigns whose dates, dayparts and contextual targets match the page, draws one by weight,
draws one of its creatives, and reserves the impression against the campaign's caps
(``caps.py``), which counts it in the same step; refused, it draws again among the others.
docs/ads.md, "Choosing an ad".
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from itertools import accumulate
from typing import Any
from zoneinfo import ZoneInfo

from ent_plugins.ads import caps, counting, index
from ent_plugins.ads.catalogues import PRIORITY_ORDER
from ent_plugins.ads.index import CampaignRule, Entry, PlacementInfo, Snapshot
from ent_plugins.ads.pacing import Clock, clock_at


@dataclass(frozen=True, slots=True)
class AdRequest:
    """What a page asks for: a place, and what the page is about (never who reads it)."""

    #: ``AdPlacement.public_id``.
    placement: str
    now: datetime
    #: One of the placement's sizes, or None for any of them.
    size: str | None = None
    #: The page's sector; None: the publisher's sectors stand for it.
    sector: str | None = None
    tags: tuple[str, ...] = ()
    language: str | None = None
    #: The reader's rotating first-party key, already hashed (caps.reader_key), or None.
    reader: str | None = None


@dataclass(frozen=True, slots=True)
class AdDecision:
    """The ad chosen, with what counting and rendering need (no further query).

    The impression is already counted against the campaign's caps and budget (reserved)
    when ``decide`` returns it.
    """

    campaign_id: int
    creative_id: int
    placement_id: int
    advertiser_id: int
    publisher_id: int
    format: str
    size: str | None
    pricing: str
    #: What one impression and one click cost the advertiser, in micro-dirhams (HT).
    impression_micros: int
    click_micros: int
    headline: str
    body: str
    alt_text: str
    click_url: str
    #: The file's address (image, or an HTML5 bundle's entry page), "" for a text ad.
    asset_path: str
    #: The campaign's priority class (catalogues.PRIORITY_ORDER).
    priority: str = "standard"
    #: The delivery counter's key for this impression (``counting.served_key``).
    count_key: str = ""
    #: Whether the impression is counted already (a capped campaign's reservation counts
    #: it in the same step); if not, delivery counts it.
    counted: bool = False


#: ``reserve(rule, reader, timestamp, clock, count) -> int``: 0 when the impression is
#: reserved against the caps and counted under ``count`` (the delivery counter's key).
Reserve = Callable[[CampaignRule, "str | None", float, Clock, str], int]

micros = index.micros


def decide(request: AdRequest) -> AdDecision | None:
    """The ad to show for ``request``, its impression reserved; None when nothing may be
    served there now."""
    return choose(index.current(), request, caps.reserve)


class _Page:
    """What the page is about, normalised once per decision."""

    __slots__ = ("language", "sectors", "tags")

    def __init__(self, request: AdRequest, placement: PlacementInfo) -> None:
        self.sectors = frozenset((request.sector,)) if request.sector else placement.sectors
        self.tags = frozenset(t.strip().lower() for t in request.tags if t)
        language = (request.language or "").split("-")[0].split("_")[0].strip().lower()
        self.language = language or None


def choose(
    snapshot: Snapshot,
    request: AdRequest,
    reserve: Reserve,
    rng: Any = random,
) -> AdDecision | None:
    """The selection itself, on a given snapshot and counters (tests and benchmarks call it
    with their own)."""
    classes = snapshot.candidates.get((request.placement, request.size))
    if classes is None:
        return None
    placement = snapshot.placements[request.placement]
    timestamp = request.now.timestamp()
    clocks: dict[ZoneInfo, Clock] = {}
    page: _Page | None = None
    for group in classes:
        if not group.entries:
            continue
        fixed, cumulative, fixed_total = group.fixed, group.cumulative, group.fixed_total
        dated = not group.since <= timestamp < group.until
        if dated:  # some campaign starts or ends about now: dates one by one
            fixed = tuple(e for e in fixed if e[0].starts <= timestamp < e[0].ends)
            cumulative = tuple(accumulate(e[0].weight for e in fixed))
            fixed_total = cumulative[-1] if cumulative else 0
        matched: list[Entry] = []
        if group.contextual:
            if page is None:
                page = _Page(request, placement)
            for entry in group.contextual:
                rule = entry[0]
                if dated and not rule.starts <= timestamp < rule.ends:
                    continue
                if rule.dayparts is not None:
                    clock = clocks.get(rule.zone)
                    if clock is None:
                        clock = clocks[rule.zone] = clock_at(timestamp, rule.zone)
                    if clock.weekhour not in rule.dayparts:
                        continue
                if rule.sectors is not None and rule.sectors.isdisjoint(page.sectors):
                    continue
                if rule.languages is not None and page.language not in rule.languages:
                    continue
                if rule.tags is not None and rule.tags.isdisjoint(page.tags):
                    continue
                matched.append(entry)
        if not fixed and not matched:
            continue
        entry = _draw_first(fixed, cumulative, fixed_total, matched, rng)
        decision = _reserved(entry, placement, request, clocks, reserve, rng)
        if decision is not None:
            return decision
        # Refused (a cap reached since the snapshot): the others of the class, by weight.
        eligible = [e for e in (*fixed, *matched) if e is not entry]
        while eligible:
            entry = _draw(eligible, rng)
            decision = _reserved(entry, placement, request, clocks, reserve, rng)
            if decision is not None:
                return decision
            eligible.remove(entry)
    return None


def _reserved(
    entry: Entry,
    placement: PlacementInfo,
    request: AdRequest,
    clocks: dict[ZoneInfo, Clock],
    reserve: Reserve,
    rng: Any,
) -> AdDecision | None:
    """The decision for ``entry``, its impression reserved within the campaign's caps and
    counted (nothing to reserve: counted by delivery); None when a cap refuses it. The
    creative is drawn first: the count names it."""
    rule = entry[0]
    decision = _decision(entry, placement, request, rng)
    if not rule.capped:
        return decision
    timestamp = request.now.timestamp()
    clock = clocks.get(rule.zone)
    if clock is None:
        clock = clocks[rule.zone] = clock_at(timestamp, rule.zone)
    if reserve(rule, request.reader, timestamp, clock, decision.count_key) != caps.SERVED:
        return None
    return decision


def _draw_first(
    fixed: tuple[Entry, ...],
    cumulative: tuple[int, ...],
    fixed_total: int,
    matched: list[Entry],
    rng: Any,
) -> Entry:
    """One entry by weight: a bisection among the fixed ones, a walk among the matched."""
    point = rng.random() * (fixed_total + sum(e[0].weight for e in matched))
    if point < fixed_total:
        return fixed[bisect_right(cumulative, point)]
    point -= fixed_total
    for entry in matched:
        point -= entry[0].weight
        if point < 0:
            return entry
    return matched[-1] if matched else fixed[-1]


def _draw(eligible: list[Entry], rng: Any) -> Entry:
    """One entry, each with a chance proportional to its campaign's weight."""
    if len(eligible) == 1:
        return eligible[0]
    point = rng.random() * sum(entry[0].weight for entry in eligible)
    for entry in eligible:
        point -= entry[0].weight
        if point < 0:
            return entry
    return eligible[-1]


def _decision(entry: Entry, placement: PlacementInfo, request: AdRequest, rng: Any) -> AdDecision:
    rule, creatives = entry
    creative = creatives[0] if len(creatives) == 1 else rng.choice(creatives)
    count_key = counting.served_key(
        rule.advertiser_id,
        rule.id,
        creative.id,
        placement.id,
        placement.publisher_id,
        counting.hour_of(request.now),
        impression_micros=rule.impression_micros,
    )
    return AdDecision(
        campaign_id=rule.id,
        creative_id=creative.id,
        placement_id=placement.id,
        advertiser_id=rule.advertiser_id,
        publisher_id=placement.publisher_id,
        format=creative.format,
        size=creative.size,
        pricing=rule.pricing,
        impression_micros=rule.impression_micros,
        click_micros=rule.click_micros,
        headline=creative.headline,
        body=creative.body,
        alt_text=creative.alt_text,
        click_url=creative.click_url,
        asset_path=creative.asset_path,
        priority=PRIORITY_ORDER[rule.rank],
        count_key=count_key,
        counted=rule.capped,  # by the reservation, when it succeeds
    )
