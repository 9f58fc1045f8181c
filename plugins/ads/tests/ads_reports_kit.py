"""Arranging statistics for the reports' tests: the hourly rows the counters' flush writes.

``traffic(publisher, advertiser)`` makes one campaign of the advertiser with two creatives,
served on two placements of the publisher, around Casablanca's midnight of 13-14 June 2026
(UTC+1 then): the hour 23:00 UTC on the 13th is already the 14th there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from ent_plugins.ads.models import AdPlacement, Campaign, CampaignStat, Creative, PlacementStat

from ent_core import sdk


@dataclass
class Traffic:
    campaign: Campaign
    creatives: tuple[Creative, Creative]
    placements: tuple[AdPlacement, AdPlacement]


def hour(day: int, at: int) -> datetime:
    return datetime(2026, 6, day, at, tzinfo=UTC)


def make_campaign(advertiser: Any, name: str = "Fibre 2026", **values: Any) -> Campaign:
    with sdk.in_workspace(advertiser):
        campaign = Campaign(
            name=name,
            status=values.pop("status", "approved"),
            starts_at=values.pop("starts_at", hour(1, 0)),
            ends_at=values.pop("ends_at", hour(30, 0)),
            rate=Decimal("40.00"),
            budget=Decimal("1000.00"),
            **values,
        )
        sdk.db.session.add(campaign)
        sdk.db.session.flush()
    return campaign


def make_creative(campaign: Campaign, name: str, size: str = "300x250") -> Creative:
    with sdk.in_workspace(campaign.workspace_id):
        creative = Creative(
            campaign_id=campaign.id,
            name=name,
            format="image",
            size=size,
            click_url="https://atlas-telecom.ma/fibre",
            status="approved",
        )
        sdk.db.session.add(creative)
        sdk.db.session.flush()
    return creative


def make_placement(publisher: Any, code: str, name: str, kind: str = "slot") -> AdPlacement:
    with sdk.in_workspace(publisher):
        row = AdPlacement(
            code=code,
            kind=kind,
            name=name,
            public_id=f"pub-{code}",
            sizes=["300x250"],
            formats=["image"],
        )
        sdk.db.session.add(row)
        sdk.db.session.flush()
    return row


def served(creative: Creative, placement: AdPlacement, at: datetime, **figures: int) -> None:
    """An advertiser's hour: ``impressions``, ``viewable``, ``clicks``, ``spend_micros``."""
    with sdk.in_workspace(creative.workspace_id):
        sdk.db.session.add(
            CampaignStat(
                campaign_id=creative.campaign_id,
                creative_id=creative.id,
                placement_id=placement.id,
                hour=at,
                **figures,
            )
        )


def sold(placement: AdPlacement, at: datetime, **figures: int) -> None:
    """A publisher's hour: ``requests`` too."""
    with sdk.in_workspace(placement.workspace_id):
        sdk.db.session.add(PlacementStat(placement_id=placement.id, hour=at, **figures))


def traffic(publisher: Any, advertiser: Any) -> Traffic:
    """The figures of the module's docstring; totals for the 14th (Casablanca): 700
    impressions, 440 viewable, 8 clicks, 28 MAD; for the 13th: 100, 60, 2, 4 MAD."""
    campaign = make_campaign(advertiser)
    banner = make_creative(campaign, "Bannière fibre")
    pave = make_creative(campaign, "Pavé été")
    aside = make_placement(publisher, "publishing.article.aside", "Article: à côté du texte")
    blog = make_placement(publisher, "external.1", "Blog partenaire", kind="external")
    served(
        banner, aside, hour(13, 22), impressions=100, viewable=60, clicks=2, spend_micros=4_000_000
    )
    served(
        banner,
        aside,
        hour(13, 23),
        impressions=300,
        viewable=150,
        clicks=3,
        spend_micros=12_000_000,
    )
    served(
        pave, blog, hour(14, 10), impressions=400, viewable=290, clicks=5, spend_micros=16_000_000
    )
    sold(
        aside,
        hour(13, 22),
        requests=125,
        impressions=100,
        viewable=60,
        clicks=2,
        spend_micros=4_000_000,
    )
    sold(
        aside,
        hour(13, 23),
        requests=400,
        impressions=300,
        viewable=150,
        clicks=3,
        spend_micros=12_000_000,
    )
    sold(
        aside,
        hour(14, 10),
        requests=200,
        impressions=100,
        viewable=50,
        clicks=0,
        spend_micros=3_333_333,
    )
    sold(
        blog,
        hour(14, 10),
        requests=500,
        impressions=400,
        viewable=290,
        clicks=5,
        spend_micros=16_000_000,
    )
    sdk.db.session.commit()
    return Traffic(campaign, (banner, pave), (aside, blog))
