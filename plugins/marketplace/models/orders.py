"""Transactions: orders (purchases, inquiries, bookings), their lines, history and messages.

An order is a row of the **seller's** workspace (``workspace_id``); the buyer is a person
(``buyer_id``), buying for one of their workspaces or not (``buyer_workspace_id``). Buyers
read their orders through ``orders.buyer_orders``: the one place that crosses workspaces.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ent_core import sdk


class Order(sdk.TenantMixin, sdk.db.Model):
    """One transaction between a buyer and a seller, moved by ``process.move`` only.

    ``process``: ``purchase``, ``inquiry`` or ``booking`` (``catalogues.PROCESSES``);
    ``status`` is a state of ``process.TRANSITIONS``. Amounts are Decimal MAD: ``subtotal``
    HT, ``vat``, ``total`` TTC (what the buyer pays), ``commission`` the platform's HT share
    at ``commission_rate`` (the category's when the order was placed).
    """

    __tablename__ = "marketplace_order"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Shown to people and used as the payment's reference: ``MP-2026-000042``.
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    process: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), index=True)
    buyer_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    buyer_workspace_id: Mapped[int | None] = mapped_column(
        ForeignKey("workspace.id", ondelete="SET NULL"), index=True
    )
    #: The inquiry's question, then the seller's quote and its note.
    request: Mapped[str] = mapped_column(Text, default="")
    quote_note: Mapped[str] = mapped_column(Text, default="")
    currency: Mapped[str] = mapped_column(String(3), default="MAD")
    subtotal: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0.00"))
    vat: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0.00"))
    total: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0.00"))
    commission_rate: Mapped[Decimal] = mapped_column(Numeric(5, 4), default=Decimal("0"))
    commission: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0.00"))
    refunded: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0.00"))
    #: When the current state times out (an inquiry unanswered, a hold, an unpaid order).
    expires_at: Mapped[datetime | None] = mapped_column(index=True)
    payment_provider: Mapped[str] = mapped_column(String(40), default="")
    payment_reference: Mapped[str] = mapped_column(String(120), default="")
    paid_at: Mapped[datetime | None] = mapped_column()
    delivered_at: Mapped[datetime | None] = mapped_column()
    completed_at: Mapped[datetime | None] = mapped_column(index=True)
    closed_reason: Mapped[str] = mapped_column(Text, default="")
    #: The seller's first answer (inquiry: the quote; others: first message or delivery).
    first_answer_at: Mapped[datetime | None] = mapped_column()
    payout_id: Mapped[int | None] = mapped_column(
        ForeignKey("marketplace_payout.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=sdk.utcnow, onupdate=sdk.utcnow)

    workspace = relationship("Workspace", foreign_keys="Order.workspace_id", viewonly=True)
    buyer = relationship("User", foreign_keys=[buyer_id], viewonly=True)
    buyer_workspace = relationship("Workspace", foreign_keys=[buyer_workspace_id], viewonly=True)
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", order_by="OrderLine.id", cascade="all, delete-orphan"
    )
    events: Mapped[list[OrderEvent]] = relationship(
        back_populates="order", order_by="OrderEvent.id", cascade="all, delete-orphan"
    )


class OrderLine(sdk.TenantMixin, sdk.db.Model):
    """What an order buys: a listing (a variant, a slot), a quantity, its price then."""

    __tablename__ = "marketplace_order_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("marketplace_order.id", ondelete="CASCADE"), index=True
    )
    listing_id: Mapped[int | None] = mapped_column(
        ForeignKey("marketplace_listing.id", ondelete="SET NULL"), index=True
    )
    variant_id: Mapped[int | None] = mapped_column(
        ForeignKey("marketplace_listing_variant.id", ondelete="SET NULL")
    )
    slot_id: Mapped[int | None] = mapped_column(
        ForeignKey("marketplace_listing_slot.id", ondelete="SET NULL")
    )
    label: Mapped[str] = mapped_column(String(250))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    vat_rate: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    net: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    vat: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    total: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    #: Digital goods: how many times the buyer downloaded the file.
    downloads: Mapped[int] = mapped_column(Integer, default=0)

    order: Mapped[Order] = relationship(back_populates="lines")


class OrderEvent(sdk.TenantMixin, sdk.db.Model):
    """A transition that happened: the order's history, shown to both sides."""

    __tablename__ = "marketplace_order_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("marketplace_order.id", ondelete="CASCADE"), index=True
    )
    transition: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    #: ``buyer``, ``seller``, ``operator`` or ``system`` (a timeout, a gateway).
    side: Mapped[str] = mapped_column(String(10))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=sdk.utcnow)

    order: Mapped[Order] = relationship(back_populates="events")
    actor = relationship("User", viewonly=True)


class OrderMessage(sdk.TenantMixin, sdk.db.Model):
    """A message of an order's thread (buyer, seller or operator), with attachments."""

    __tablename__ = "marketplace_order_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("marketplace_order.id", ondelete="CASCADE"), index=True
    )
    side: Mapped[str] = mapped_column(String(10))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)

    author = relationship("User", viewonly=True)
    attachments: Mapped[list[OrderAttachment]] = relationship(
        back_populates="message", order_by="OrderAttachment.id", cascade="all, delete-orphan"
    )


class OrderAttachment(sdk.TenantMixin, sdk.db.Model):
    """A file sent in an order's thread (checked at upload, served to both sides only)."""

    __tablename__ = "marketplace_order_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("marketplace_order_message.id", ondelete="CASCADE"), index=True
    )
    file_token: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100), default="")
    size: Mapped[int] = mapped_column(Integer, default=0)

    message: Mapped[OrderMessage] = relationship(back_populates="attachments")
