"""Reviews after a completed order: double-blind, one per side."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ent_core import sdk


class Review(sdk.TenantMixin, sdk.db.Model):
    """A review of one side by the other, on the seller's workspace like the order.

    ``side`` is the author's (``buyer`` reviews the seller, ``seller`` the buyer). Hidden from
    everyone but its author until ``published_at``: both reviews are in, or the review window
    closed (``settings.review_days`` after completion).
    """

    __tablename__ = "marketplace_review"
    __table_args__ = (UniqueConstraint("order_id", "side", name="uq_marketplace_review_side"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("marketplace_order.id", ondelete="CASCADE"), index=True
    )
    listing_id: Mapped[int | None] = mapped_column(
        ForeignKey("marketplace_listing.id", ondelete="SET NULL"), index=True
    )
    side: Mapped[str] = mapped_column(String(10))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    rating: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    reply: Mapped[str] = mapped_column(Text, default="")
    replied_at: Mapped[datetime | None] = mapped_column()
    #: ``visible`` or ``removed`` (by the operator after a report).
    status: Mapped[str] = mapped_column(String(10), default="visible")
    submitted_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)
    published_at: Mapped[datetime | None] = mapped_column(index=True)


class ReviewReport(sdk.TenantMixin, sdk.db.Model):
    """Someone reported a review; the operator removes it or dismisses the report."""

    __tablename__ = "marketplace_review_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(
        ForeignKey("marketplace_review.id", ondelete="CASCADE"), index=True
    )
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)
