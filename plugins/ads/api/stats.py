"""Statistics through the API: a campaign's (advertisers) and a placement's (publishers).

``GET .../ads/campaigns/<id>/stats?from=&to=&by=day|creative|placement`` and
``GET .../ads/placements/<id>/stats?from=&to=``; dates are days in the workspace's time zone
(both included, the last 30 days by default), rates are ratios to four decimals (``null`` when
nothing was served), money is ``{"amount", "currency"}`` HT. Each side reads its own
workspace's rows only: another workspace's campaign or placement answers 404.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from ent_plugins.ads import reports
from ent_plugins.ads.models import AdPlacement, Campaign
from ent_plugins.ads.permissions import SEE_REPORTS
from ent_plugins.ads.settings import settings
from pydantic import ConfigDict, Field

from ent_core import sdk

TAGS = ("ads",)


class StatsQuery(sdk.ApiModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    from_: date | None = Field(
        default=None, alias="from", description="First day (workspace's time zone), included."
    )
    to: date | None = Field(default=None, description="Last day, included (default: today).")


class CampaignStatsQuery(StatsQuery):
    by: Literal["day", "creative", "placement"] = Field(default="day")


class PlacementStatsQuery(StatsQuery):
    by: Literal["day"] = Field(default="day")


class FiguresOut(sdk.ApiModel):
    impressions: int
    viewable: int
    viewable_rate: float | None = Field(description="viewable / impressions, 4 decimals.")
    clicks: int
    ctr: float | None = Field(description="clicks / impressions, 4 decimals.")
    spend: sdk.Money = Field(description="What the advertiser spent, HT.")


class CampaignLineOut(FiguresOut):
    day: date | None = Field(default=None, description="`by=day`: the day.")
    creative_id: int | None = Field(default=None, description="`by=creative`.")
    placement_id: int | None = Field(default=None, description="`by=placement`.")
    name: str | None = Field(default=None, description="The creative's or placement's name.")
    publisher: str | None = Field(default=None, description="`by=placement`: the publication.")


class CampaignStatsOut(sdk.ApiModel):
    """A campaign's figures over the dates, by day, creative or placement."""

    campaign_id: int
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)
    from_: date = Field(alias="from")
    to: date
    timezone: str
    by: str
    totals: FiguresOut
    items: list[CampaignLineOut]


class PlacementFiguresOut(sdk.ApiModel):
    requests: int
    impressions: int
    fill_rate: float | None = Field(description="impressions / requests, 4 decimals.")
    viewable: int
    viewable_rate: float | None
    clicks: int
    ctr: float | None
    earnings: sdk.Money = Field(description="The publisher's share of the spend.")


class PlacementLineOut(PlacementFiguresOut):
    day: date


class PlacementStatsOut(sdk.ApiModel):
    """A placement's figures per day, with the publisher's earnings."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)
    placement_id: int
    from_: date = Field(alias="from")
    to: date
    timezone: str
    publisher_share: str = Field(description="The publishers' share of spend, e.g. `0.60`.")
    totals: PlacementFiguresOut
    items: list[PlacementLineOut]


def _rate(value: Any) -> float | None:
    return None if value is None else float(value)


def _served_json(f: reports.Figures) -> dict[str, Any]:
    """What both sides see of ads served: impressions, viewability, clicks."""
    return {
        "impressions": f.impressions,
        "viewable": f.viewable,
        "viewable_rate": _rate(f.viewable_rate),
        "clicks": f.clicks,
        "ctr": _rate(f.ctr),
    }


def figures_json(f: reports.Figures) -> dict[str, Any]:
    """An advertiser's figures: what was served, and spent."""
    return _served_json(f) | {"spend": f.spend}


def publisher_json(f: reports.Figures) -> dict[str, Any]:
    """A publisher's figures: requests and fill rate, what was served, and earned."""
    return (
        {"requests": f.requests, "fill_rate": _rate(f.fill_rate)}
        | _served_json(f)
        | {"earnings": f.earnings}
    )


def _period_json(when: reports.Period) -> dict[str, Any]:
    """The days a report covers, in the workspace's time zone."""
    return {"from": when.first, "to": when.last, "timezone": sdk.current_workspace().timezone}


def _line(report: reports.Report, line: reports.Line) -> dict[str, Any]:
    item = figures_json(line.figures)
    if report.by == "day":
        item["day"] = line.key
    elif report.by == "creative":
        item |= {"creative_id": line.key, "name": line.label}
    else:
        item |= {"placement_id": line.key, "name": line.label, "publisher": line.detail}
    return item


@sdk.require_permission(SEE_REPORTS)
@sdk.api_operation(
    summary="A campaign's statistics",
    description="Impressions, viewable rate, clicks, CTR and spend per day, creative or "
    "placement, for days in the workspace's time zone (the last 30 by default, 366 at most).",
    query=CampaignStatsQuery,
    response=CampaignStatsOut,
    tags=TAGS,
    errors=(403, 404),
)
def campaign_stats(campaign_id: int, query: CampaignStatsQuery) -> dict[str, Any]:
    campaign = sdk.get_or_404(Campaign, campaign_id)
    when = reports.period(query.from_, query.to)
    report = reports.campaign_report(when, query.by, campaign)
    return {
        "campaign_id": campaign.id,
        **_period_json(when),
        "by": query.by,
        "totals": figures_json(report.totals),
        "items": [_line(report, line) for line in report.lines],
    }


@sdk.require_permission(SEE_REPORTS)
@sdk.api_operation(
    summary="A placement's statistics",
    description="Ad requests, impressions, fill rate, viewable rate, clicks and the "
    "publisher's earnings (spend x the operator's `publisher_share`) per day.",
    query=PlacementStatsQuery,
    response=PlacementStatsOut,
    tags=TAGS,
    errors=(403, 404),
)
def placement_stats(placement_id: int, query: PlacementStatsQuery) -> dict[str, Any]:
    placement = sdk.get_or_404(AdPlacement, placement_id)
    when = reports.period(query.from_, query.to)
    report = reports.placement_report(when, "day", placement)
    return {
        "placement_id": placement.id,
        **_period_json(when),
        "publisher_share": str(settings().publisher_share),
        "totals": publisher_json(report.totals),
        "items": [publisher_json(line.figures) | {"day": line.key} for line in report.lines],
    }
