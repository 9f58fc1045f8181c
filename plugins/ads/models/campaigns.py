"""Campaigns and their creatives: what an advertiser buys and what readers see."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ent_core import sdk

Amount = Numeric(12, 2)


class Campaign(sdk.TenantMixin, sdk.db.Model):
    """An advertiser's order: when, where, how much, and at what priority.

    Status moves through ``draft`` → (submit) ``pending`` → (approve) ``approved`` or
    (reject) ``rejected``; ``approved`` ↔ ``paused`` (pause, resume); ``ended`` once its end
    date, total cap or budget is reached. It delivers only while ``approved``, inside its
    dates and dayparts, paid for (prepaid and paid, or invoiced monthly), and with at least
    one approved creative.
    """

    __tablename__ = "ads_campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    #: sponsorship (contract: served first), standard, remnant (house ads: only what is left).
    priority: Mapped[str] = mapped_column(String(12), default="standard")
    #: Share of deliveries among campaigns of the same priority (1..100).
    weight: Mapped[int] = mapped_column(Integer, default=10)
    #: Advertiser category (catalogues.CATEGORIES), for publishers' brand safety.
    category: Mapped[str] = mapped_column(String(30), default="other")
    starts_at: Mapped[datetime] = mapped_column()
    ends_at: Mapped[datetime] = mapped_column()
    #: cpm (per 1,000 impressions), cpc (per click) or flat (a fixed price for the dates).
    pricing: Mapped[str] = mapped_column(String(5), default="cpm")
    #: Price per 1,000 impressions, per click, or the flat fee (HT), copied from the rate card
    #: when the campaign is created; the régie may change it until approval.
    rate: Mapped[Decimal] = mapped_column(Amount)
    #: Total budget HT (for flat pricing: the fee); spend never goes beyond it.
    budget: Mapped[Decimal] = mapped_column(Amount)
    daily_budget: Mapped[Decimal | None] = mapped_column(Amount)
    #: Caps (None: no cap). Daily caps reset at midnight in the advertiser's time zone.
    max_impressions: Mapped[int | None] = mapped_column(Integer)
    max_daily_impressions: Mapped[int | None] = mapped_column(Integer)
    max_clicks: Mapped[int | None] = mapped_column(Integer)
    max_daily_clicks: Mapped[int | None] = mapped_column(Integer)
    #: Frequency cap: at most ``frequency_cap`` impressions per reader per
    #: ``frequency_hours`` (readers known only by a rotating first-party hash; none: no cap).
    frequency_cap: Mapped[int | None] = mapped_column(Integer)
    frequency_hours: Mapped[int] = mapped_column(Integer, default=24)
    #: Dayparting: the hours of the week it runs, as "weekday:hour" strings ("0:9" is Monday
    #: 09:00-09:59 in the advertiser's time zone); empty: every hour.
    dayparts: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: even (spread the daily budget over the day) or asap.
    pacing: Mapped[str] = mapped_column(String(5), default="even")
    #: Contextual targeting; empty lists target everything. Sectors and languages are codes,
    #: tags are lower-case words, workspaces are publishers' slugs, placements slot codes.
    target_sectors: Mapped[list[str]] = mapped_column(JSON, default=list)
    target_tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    target_languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    target_workspaces: Mapped[list[str]] = mapped_column(JSON, default=list)
    target_placements: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: prepaid (an invoice paid before it runs) or monthly (invoiced at the end of each month
    #: for what was delivered; allowed by the régie per advertiser).
    billing: Mapped[str] = mapped_column(String(8), default="prepaid")
    #: The prepaid invoice's number, and when it was paid (the campaign may run from then).
    invoice_number: Mapped[str | None] = mapped_column(String(16), index=True)
    paid_at: Mapped[datetime | None] = mapped_column()
    #: What delivery spent so far (HT), kept up to date by the statistics flush.
    spent: Mapped[Decimal] = mapped_column(Amount, default=Decimal("0.00"))
    #: Where a promoted item came from ("publishing:article:42"), for "promote this".
    source: Mapped[str] = mapped_column(String(120), default="")
    landing_url: Mapped[str] = mapped_column(String(1000), default="")
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    submitted_at: Mapped[datetime | None] = mapped_column()
    approved_at: Mapped[datetime | None] = mapped_column()
    approved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    ended_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=sdk.utcnow, onupdate=sdk.utcnow)

    creatives: Mapped[list[Creative]] = relationship(
        back_populates="campaign", order_by="Creative.id", cascade="all, delete-orphan"
    )
    #: The advertiser (its time zone rules dayparting and daily caps), read by the index.
    workspace = relationship("Workspace", viewonly=True)


class Creative(sdk.TenantMixin, sdk.db.Model):
    """What is shown: an image, an HTML5 bundle (sandboxed iframe) or a native text ad.

    A platform moderator approves each creative before it runs; changing its content sends
    it back to ``pending``.
    """

    __tablename__ = "ads_creative"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("ads_campaign.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    #: image, html5 or native.
    format: Mapped[str] = mapped_column(String(6))
    #: An IAB size ("300x250"); native ads adapt to the place (None).
    size: Mapped[str | None] = mapped_column(String(9))
    #: The stored upload (sdk.store_upload token): the picture, or the HTML5 zip bundle.
    file_token: Mapped[str | None] = mapped_column(String(200))
    file_type: Mapped[str] = mapped_column(String(80), default="")
    #: Entry page of an HTML5 bundle ("index.html"), checked at upload.
    entry: Mapped[str] = mapped_column(String(200), default="")
    #: Native ad: headline and text; also the image's alternative text.
    headline: Mapped[str] = mapped_column(String(90), default="")
    body: Mapped[str] = mapped_column(String(300), default="")
    alt_text: Mapped[str] = mapped_column(String(200), default="")
    #: Where a click leads (http or https only); the campaign's landing page by default.
    click_url: Mapped[str] = mapped_column(String(1000))
    #: SHA-256 of the uploaded content: a moderator's approval holds for these bytes only.
    content_sha256: Mapped[str] = mapped_column(String(64), default="")
    #: pending, approved or rejected (by a platform moderator).
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    moderated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    moderated_at: Mapped[datetime | None] = mapped_column()
    #: Paused by the advertiser (kept, not served).
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=sdk.utcnow, onupdate=sdk.utcnow)

    campaign: Mapped[Campaign] = relationship(back_populates="creatives")


class AdvertiserTerms(sdk.TenantMixin, sdk.db.Model):
    """What the régie granted an advertiser: monthly invoicing instead of prepayment."""

    __tablename__ = "ads_advertiser_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    monthly_billing: Mapped[bool] = mapped_column(Boolean, default=False)
    granted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    granted_at: Mapped[datetime | None] = mapped_column()
