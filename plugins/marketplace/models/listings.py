"""Sellers and what they sell: listings, their pictures, variants, translations and slots."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ent_core import sdk


class MarketplaceCategory(sdk.db.Model):
    """A category of the marketplace, in one sector, with the platform's commission on it.

    Platform-wide (not a tenant row): the operator edits the list and the rates on
    ``/admin/marketplace/categories``; ``catalogues.DEFAULT_CATEGORIES`` seeds it.
    """

    __tablename__ = "marketplace_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    #: A sector code of the platform (``it``, ``green``...).
    sector: Mapped[str] = mapped_column(String(40), index=True)
    #: Names in French, English and Arabic: ``{"fr": ..., "en": ..., "ar": ...}``.
    names: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: The platform's commission on sales in this category, a fraction (0.10 = 10 %), HT.
    commission_rate: Mapped[Decimal] = mapped_column(Numeric(5, 4), default=Decimal("0.10"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class SellerProfile(sdk.TenantMixin, sdk.db.Model):
    """A workspace's storefront and what the platform needs to pay it.

    ``trusted`` becomes true once the operator approved the seller's first listings
    (``settings.first_listings_reviewed`` of them): later listings publish without review,
    but changes of price or category still wait for the operator.
    """

    __tablename__ = "marketplace_seller"
    __table_args__ = (UniqueConstraint("workspace_id", name="uq_marketplace_seller_workspace"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tagline: Mapped[str] = mapped_column(String(200), default="")
    about: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(String(120), default="")
    #: Where payouts go: the seller's RIB (24 digits) and the account holder.
    payout_rib: Mapped[str] = mapped_column(String(34), default="")
    payout_holder: Mapped[str] = mapped_column(String(150), default="")
    trusted: Mapped[bool] = mapped_column(Boolean, default=False)
    approved_listings: Mapped[int] = mapped_column(Integer, default=0)
    #: Trust figures kept up to date by transactions (median minutes to a first answer).
    completed_orders: Mapped[int] = mapped_column(Integer, default=0)
    response_minutes: Mapped[int | None] = mapped_column(Integer)
    #: Reviews buyers gave the seller (published ones only).
    rating_sum: Mapped[int] = mapped_column(Integer, default=0)
    rating_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)

    workspace = relationship("Workspace", viewonly=True)


class Listing(sdk.TenantMixin, sdk.db.Model):
    """A product, a service or a booking a seller offers.

    ``kind``: ``product`` (``delivery`` ``physical`` or ``digital``), ``service`` (``unit``
    ``hour``, ``day`` or ``package``) or ``booking`` (sold by ``ListingSlot``).
    ``price`` is HT in MAD; ``None`` means "on quote" (bought through an inquiry).
    ``status``: ``draft``, ``pending`` (awaiting the operator), ``published``, ``rejected``,
    ``withdrawn`` (by the seller), ``removed`` (by the operator after a report).
    A published listing whose price or category changes keeps selling at the approved values
    while ``pending_changes`` waits for the operator.
    """

    __tablename__ = "marketplace_listing"
    __table_args__ = (
        # Serves the rating sort (``search.ordered``: average, count, newest) in its order
        # and ``min_rating`` as a range. PostgreSQL only: unrated listings come last, which
        # SQLite's indexes cannot say (``NULLS LAST``); SQLite is for development.
        Index(
            "ix_marketplace_listing_rating",
            text("rating_average DESC NULLS LAST"),
            text("rating_count DESC"),
            text("published_at DESC"),
            text("id DESC"),
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    delivery: Mapped[str] = mapped_column(String(10), default="")
    unit: Mapped[str] = mapped_column(String(10), default="")
    title: Mapped[str] = mapped_column(String(150))
    #: Markdown source; shown through ``sdk.render_markdown`` (sanitised).
    description: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(2), default="fr")
    category_id: Mapped[int] = mapped_column(
        ForeignKey("marketplace_category.id", ondelete="RESTRICT"), index=True
    )
    sector: Mapped[str] = mapped_column(String(40), index=True)
    price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    vat_rate: Mapped[Decimal] = mapped_column(Numeric(5, 4), default=Decimal("0.20"))
    #: Units left (``None``: not counted, e.g. a service or a digital good).
    stock: Mapped[int | None] = mapped_column(Integer)
    location: Mapped[str] = mapped_column(String(120), default="")
    #: Minutes a booking's slot is held while the buyer pays (0: the platform's default).
    hold_minutes: Mapped[int] = mapped_column(Integer, default=0)
    #: The digital good (``sdk.store_upload`` token) and its file name.
    file_token: Mapped[str | None] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    #: Changes of price or category waiting for the operator: ``{"price": "120.00",
    #: "category_id": 3}`` (JSON strings for money).
    pending_changes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    sales_count: Mapped[int] = mapped_column(Integer, default=0)
    rating_sum: Mapped[int] = mapped_column(Integer, default=0)
    rating_count: Mapped[int] = mapped_column(Integer, default=0)
    #: ``round(rating_sum / rating_count, 2)`` (NULL without ratings), kept by
    #: ``listing_rating.set_rating`` so that "best rated" is an index read, not a sort.
    rating_average: Mapped[Decimal | None] = mapped_column(Numeric(3, 2))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=sdk.utcnow, onupdate=sdk.utcnow)

    workspace = relationship("Workspace", viewonly=True)
    category: Mapped[MarketplaceCategory] = relationship(viewonly=True)
    images: Mapped[list[ListingImage]] = relationship(
        back_populates="listing", order_by="ListingImage.position", cascade="all, delete-orphan"
    )
    variants: Mapped[list[ListingVariant]] = relationship(
        back_populates="listing", order_by="ListingVariant.position", cascade="all, delete-orphan"
    )
    translations: Mapped[list[ListingTranslation]] = relationship(
        back_populates="listing", cascade="all, delete-orphan"
    )


class ListingTranslation(sdk.TenantMixin, sdk.db.Model):
    """The listing's title and description in another of the platform's languages."""

    __tablename__ = "marketplace_listing_translation"
    __table_args__ = (
        UniqueConstraint("listing_id", "language", name="uq_marketplace_translation_language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("marketplace_listing.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(2))
    title: Mapped[str] = mapped_column(String(150))
    description: Mapped[str] = mapped_column(Text, default="")

    listing: Mapped[Listing] = relationship(back_populates="translations")


class ListingImage(sdk.TenantMixin, sdk.db.Model):
    """A picture of a listing (checked and resized at upload)."""

    __tablename__ = "marketplace_listing_image"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("marketplace_listing.id", ondelete="CASCADE"), index=True
    )
    file_token: Mapped[str] = mapped_column(String(200))
    #: The smaller copy for cards and lists.
    thumb_token: Mapped[str | None] = mapped_column(String(200))
    alt_text: Mapped[str] = mapped_column(String(200), default="")
    width: Mapped[int] = mapped_column(Integer, default=0)
    height: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[int] = mapped_column(Integer, default=0)

    listing: Mapped[Listing] = relationship(back_populates="images")


class ListingVariant(sdk.TenantMixin, sdk.db.Model):
    """An option of a listing with its own price and stock ("A4 print", "Team licence")."""

    __tablename__ = "marketplace_listing_variant"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("marketplace_listing.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    #: HT in MAD; ``None``: the listing's price.
    price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    stock: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    listing: Mapped[Listing] = relationship(back_populates="variants")


class ListingSlot(sdk.TenantMixin, sdk.db.Model):
    """A bookable time of a ``booking`` listing; ``taken`` counts held and sold places.

    Taking a place is ``UPDATE ... SET taken = taken + 1 WHERE id = :id AND taken < capacity``:
    of buyers racing for the last place, exactly one passes.
    """

    __tablename__ = "marketplace_listing_slot"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("marketplace_listing.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime] = mapped_column()
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    taken: Mapped[int] = mapped_column(Integer, default=0)


class ListingReport(sdk.TenantMixin, sdk.db.Model):
    """Someone reported a listing; the operator upholds (removes it) or dismisses."""

    __tablename__ = "marketplace_listing_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("marketplace_listing.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    #: A hash of who reported without an account (one report per person and listing).
    reporter_key: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)
