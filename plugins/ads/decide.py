"""Choosing the ad for one request: the contract between delivery and selection.

``decide(AdRequest) -> AdDecision | None`` is all delivery (``serve.py``) calls. It reads the
process's delivery index (``index.py``: no SQL), walks the priority classes in order
(sponsorship, standard, remnant: a lower class serves only when no higher one can), keeps the
campaigns whose dates, dayparts and contextual targets match the page, draws one by weight,
and reserves the impression against its caps (``caps.py``); refused, it draws again among
the others. docs/ads.md, "Choosing an ad".
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from ent_plugins.ads import caps, index
from ent_plugins.ads.catalogues import PRIORITY_ORDER
from ent_plugins.ads.index import CampaignRule, CreativeInfo, Entry, PlacementInfo, Snapshot
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


#: ``reserve(rule, reader, timestamp, clock) -> int``: 0 when the impression is counted.
Reserve = Callable[[CampaignRule, "str | None", float, Clock], int]

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
    for entries in classes:
        eligible: list[Entry] = []
        for entry in entries:
            rule = entry[0]
            if timestamp < rule.starts or timestamp >= rule.ends:
                continue
            if rule.contextual:
                if page is None:
                    page = _Page(request, placement)
                clock = clocks.get(rule.zone)
                if clock is None:
                    clock = clocks[rule.zone] = clock_at(timestamp, rule.zone)
                if not _matches(rule, page, clock):
                    continue
            eligible.append(entry)
        while eligible:
            entry = _draw(eligible, rng)
            rule, creatives = entry
            if rule.capped:
                clock = clocks.get(rule.zone)
                if clock is None:
                    clock = clocks[rule.zone] = clock_at(timestamp, rule.zone)
                if reserve(rule, request.reader, timestamp, clock) != caps.SERVED:
                    eligible.remove(entry)
                    continue
            creative = creatives[0] if len(creatives) == 1 else rng.choice(creatives)
            return _decision(rule, creative, placement)
    return None


def _matches(rule: CampaignRule, page: _Page, clock: Clock) -> bool:
    """Dayparts and contextual targets (an empty target list matches every page)."""
    if rule.dayparts is not None and clock.weekhour not in rule.dayparts:
        return False
    if rule.sectors is not None and rule.sectors.isdisjoint(page.sectors):
        return False
    if rule.languages is not None and page.language not in rule.languages:
        return False
    return rule.tags is None or not rule.tags.isdisjoint(page.tags)


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


def _decision(rule: CampaignRule, creative: CreativeInfo, placement: PlacementInfo) -> AdDecision:
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
    )
