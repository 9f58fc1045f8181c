"""Delivery statistics per hour, and the months already invoiced.

Counters (``sdk.Counter``) collect events in Redis and the core's flush adds them here, once
each (docs/ads.md, "Counting"). The advertiser's rows and the publisher's rows are separate
tables, each in its own workspace, so neither reads the other's.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ent_core import sdk


class CampaignStat(sdk.TenantMixin, sdk.db.Model):
    """One hour of one creative on one placement, in the advertiser's workspace."""

    __tablename__ = "ads_campaign_stat"
    __table_args__ = (UniqueConstraint("creative_id", "placement_id", "hour"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("ads_campaign.id", ondelete="CASCADE"), index=True
    )
    creative_id: Mapped[int] = mapped_column(ForeignKey("ads_creative.id", ondelete="CASCADE"))
    #: The placement's id (another workspace's row: no foreign key, nothing joined).
    placement_id: Mapped[int] = mapped_column(Integer)
    #: The hour's start, UTC.
    hour: Mapped[datetime] = mapped_column(index=True)
    impressions: Mapped[int] = mapped_column(BigInteger, default=0)
    viewable: Mapped[int] = mapped_column(BigInteger, default=0)
    clicks: Mapped[int] = mapped_column(BigInteger, default=0)
    #: Spend HT in micro-dirhams.
    spend_micros: Mapped[int] = mapped_column(BigInteger, default=0)


class PlacementStat(sdk.TenantMixin, sdk.db.Model):
    """One hour of one placement, in the publisher's workspace: requests (for the fill
    rate), what was served, and the spend it earns a share of."""

    __tablename__ = "ads_placement_stat"
    __table_args__ = (UniqueConstraint("placement_id", "hour"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        ForeignKey("ads_placement.id", ondelete="CASCADE"), index=True
    )
    hour: Mapped[datetime] = mapped_column(index=True)
    requests: Mapped[int] = mapped_column(BigInteger, default=0)
    impressions: Mapped[int] = mapped_column(BigInteger, default=0)
    viewable: Mapped[int] = mapped_column(BigInteger, default=0)
    clicks: Mapped[int] = mapped_column(BigInteger, default=0)
    spend_micros: Mapped[int] = mapped_column(BigInteger, default=0)


class AdBillingPeriod(sdk.TenantMixin, sdk.db.Model):
    """A month of an advertiser's monthly-billed campaigns, invoiced once (the unique key
    makes two invoicing jobs racing issue one invoice)."""

    __tablename__ = "ads_billing_period"
    __table_args__ = (UniqueConstraint("workspace_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "YYYY-MM".
    month: Mapped[str] = mapped_column(String(7))
    invoice_number: Mapped[str | None] = mapped_column(String(16))
    spend_micros: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)
