"""Choosing the ad for one request: the contract between delivery and selection.

``decide(AdRequest) -> AdDecision | None`` is all delivery (``serve.py``) calls. This first
version reads the database on every call and applies dates, status, payment, size and
format; the delivery index, priorities, weights, caps, frequency, dayparting, pacing and
contextual targeting replace it (docs/ads.md, "Choosing an ad").
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from ent_plugins.ads.models import AdPlacement, Campaign, Creative
from sqlalchemy import or_

from ent_core import sdk


@dataclass(frozen=True, slots=True)
class AdRequest:
    """What a page asks for: a place, and what the page is about (never who reads it)."""

    #: ``AdPlacement.public_id``.
    placement: str
    now: datetime
    #: One of the placement's sizes, or None for any of them.
    size: str | None = None
    sector: str | None = None
    tags: tuple[str, ...] = ()
    language: str | None = None
    #: The reader's rotating first-party key, already hashed (caps.reader_key), or None.
    reader: str | None = None


@dataclass(frozen=True, slots=True)
class AdDecision:
    """The ad chosen, with what counting and rendering need (no further query)."""

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


def micros(amount: object) -> int:
    """Dirhams (a Decimal) as integer micro-dirhams."""
    from decimal import Decimal

    return int(Decimal(str(amount)) * 1_000_000)


def decide(request: AdRequest) -> AdDecision | None:
    with sdk.all_workspaces():
        placement = sdk.db.session.scalar(
            sdk.db.select(AdPlacement).where(
                AdPlacement.public_id == request.placement, AdPlacement.active.is_(True)
            )
        )
        if placement is None:
            return None
        sizes = [request.size] if request.size else list(placement.sizes)
        candidates = sdk.db.session.execute(
            sdk.db.select(Creative, Campaign)
            .join(Campaign, Creative.campaign_id == Campaign.id)
            .where(
                Campaign.status == "approved",
                Campaign.starts_at <= request.now,
                Campaign.ends_at > request.now,
                or_(Campaign.billing == "monthly", Campaign.paid_at.is_not(None)),
                Creative.status == "approved",
                Creative.active.is_(True),
                Creative.format.in_(placement.formats),
                or_(Creative.size.in_(sizes), Creative.format == "native"),
            )
        ).all()
        if not candidates:
            return None
        creative, campaign = random.choice(candidates)
        return _decision(creative, campaign, placement)


def _decision(creative: Creative, campaign: Campaign, placement: AdPlacement) -> AdDecision:
    impression = micros(campaign.rate) // 1000 if campaign.pricing == "cpm" else 0
    click = micros(campaign.rate) if campaign.pricing == "cpc" else 0
    return AdDecision(
        campaign_id=campaign.id,
        creative_id=creative.id,
        placement_id=placement.id,
        advertiser_id=campaign.workspace_id,
        publisher_id=placement.workspace_id,
        format=creative.format,
        size=creative.size,
        pricing=campaign.pricing,
        impression_micros=impression,
        click_micros=click,
        headline=creative.headline,
        body=creative.body,
        alt_text=creative.alt_text,
        click_url=creative.click_url or campaign.landing_url,
        asset_path=f"/ads/creatives/{creative.id}/" if creative.file_token else "",
    )
