"""Classified ads: what subscribers post on the sector boards."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ent_core import sdk


class ClassifiedAd(sdk.TenantMixin, sdk.db.Model):
    """A classified ad of a subscribing workspace, on its sector's board.

    Status: ``pending`` (awaiting moderation, when the régie pre-moderates), ``published``,
    ``rejected``, ``withdrawn`` (by its author), ``expired`` (its date passed; renewal
    publishes it again), ``removed`` (by a moderator after a report). Free within the plan's
    monthly quota (``classified_ads_per_month``); beyond it, posting is paid (``invoice_number``).
    """

    __tablename__ = "ads_classified"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The board: a sector code of the platform.
    sector: Mapped[str] = mapped_column(String(40), index=True)
    #: job, service, event, equipment, property, other (catalogues.CLASSIFIED_KINDS).
    kind: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(150))
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2), default="fr")
    #: ``text`` (shown as typed) or ``markdown`` (rendered with ``sdk.render_markdown``).
    body_format: Mapped[str] = mapped_column(String(8), default="text")
    price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    #: Town or region, free text.
    location: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    expires_at: Mapped[datetime | None] = mapped_column(index=True)
    renewals: Mapped[int] = mapped_column(Integer, default=0)
    #: Shown above the others on its board until then (a paid boost).
    boosted_until: Mapped[datetime | None] = mapped_column()
    #: Paid: the invoice that paid for posting beyond the quota or for a boost, and whether
    #: the posting itself used the free quota.
    free: Mapped[bool] = mapped_column(Boolean, default=True)
    invoice_number: Mapped[str | None] = mapped_column(String(16), index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    moderated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=sdk.utcnow, onupdate=sdk.utcnow)

    workspace = relationship("Workspace", viewonly=True)
    created_by = relationship("User", foreign_keys=[created_by_id], viewonly=True)
    images: Mapped[list[ClassifiedImage]] = relationship(
        back_populates="classified",
        order_by="ClassifiedImage.position",
        cascade="all, delete-orphan",
    )


class ClassifiedImage(sdk.TenantMixin, sdk.db.Model):
    """A picture of a classified ad (checked and re-encoded at upload)."""

    __tablename__ = "ads_classified_image"

    id: Mapped[int] = mapped_column(primary_key=True)
    classified_id: Mapped[int] = mapped_column(
        ForeignKey("ads_classified.id", ondelete="CASCADE"), index=True
    )
    file_token: Mapped[str] = mapped_column(String(200))
    alt_text: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    classified: Mapped[ClassifiedAd] = relationship(back_populates="images")


class ClassifiedReport(sdk.db.Model):
    """A reader's report of a classified ad: kept apart from the poster's workspace (the
    reporter may be anyone), read by platform moderators only."""

    __tablename__ = "ads_classified_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    classified_id: Mapped[int] = mapped_column(
        ForeignKey("ads_classified.id", ondelete="CASCADE"), index=True
    )
    #: scam, offensive, wrong_board, other (catalogues.REPORT_REASONS).
    reason: Mapped[str] = mapped_column(String(20))
    details: Mapped[str] = mapped_column(Text, default="")
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    #: Who reported, for the rate limit and duplicates: ``user:<id>`` or a keyed hash of the
    #: address and the day (never the address itself).
    reporter_key: Mapped[str] = mapped_column(String(80), default="", index=True)
    #: open, upheld (the ad was removed) or dismissed.
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    resolved_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)


class ClassifiedPayment(sdk.TenantMixin, sdk.db.Model):
    """An invoice issued for a classified ad: posting beyond the quota (``post``), a renewal
    beyond it (``renew``) or a boost (``boost``); ``invoice.paid`` applies it once."""

    __tablename__ = "ads_classified_payment"

    id: Mapped[int] = mapped_column(primary_key=True)
    classified_id: Mapped[int] = mapped_column(
        ForeignKey("ads_classified.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(8))
    invoice_number: Mapped[str] = mapped_column(String(16), unique=True)
    #: issued, then applied once the invoice is paid.
    status: Mapped[str] = mapped_column(String(10), default="issued")
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)
    applied_at: Mapped[datetime | None] = mapped_column()

    classified: Mapped[ClassifiedAd] = relationship()
