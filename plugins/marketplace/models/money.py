"""Money the platform holds for sellers: payouts per period and refunds to buyers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ent_core import sdk


class Payout(sdk.TenantMixin, sdk.db.Model):
    """What the platform owes a seller for a period's completed orders, less its commission.

    ``gross`` is what buyers paid (TTC) less refunds; ``commission`` and ``commission_vat``
    are invoiced to the seller through the core's billing (``invoice_number``);
    ``taken_back`` is what refunds of earlier payouts' orders take back; ``net`` is paid to
    the seller's RIB. ``status``: ``open`` (the period runs), ``due`` (closed and
    invoiced), ``paid`` (the operator sent the transfer, ``paid_reference``).
    """

    __tablename__ = "marketplace_payout"
    __table_args__ = (
        UniqueConstraint("workspace_id", "period_start", name="uq_marketplace_payout_period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_start: Mapped[date] = mapped_column()
    period_end: Mapped[date] = mapped_column()
    currency: Mapped[str] = mapped_column(String(3), default="MAD")
    gross: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0.00"))
    commission: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0.00"))
    commission_vat: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0.00"))
    #: Refunds of orders paid out in earlier payouts, taken back here (``Refund.clawback``).
    taken_back: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0.00"))
    net: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0.00"))
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    invoice_number: Mapped[str | None] = mapped_column(String(20))
    paid_at: Mapped[datetime | None] = mapped_column()
    paid_reference: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)

    workspace = relationship("Workspace", viewonly=True)


class Refund(sdk.TenantMixin, sdk.db.Model):
    """Money given back to a buyer for an order, in full or in part, with the reason.

    Through the payment provider when it refunds (``provider_reference``), otherwise owed
    and marked sent by the operator; a refund after the commission was invoiced credits it
    (``credit_note_number``).
    """

    __tablename__ = "marketplace_refund"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("marketplace_order.id", ondelete="CASCADE"), index=True
    )
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    reason: Mapped[str] = mapped_column(Text)
    provider: Mapped[str] = mapped_column(String(40), default="")
    provider_reference: Mapped[str] = mapped_column(String(120), default="")
    #: ``owed`` (to be sent outside the platform) or ``sent``.
    status: Mapped[str] = mapped_column(String(10), default="owed")
    credit_note_number: Mapped[str | None] = mapped_column(String(20))
    #: For an order already paid out: what the seller received of the refunded amount (the
    #: refund less the commission credited back), taken back from a later payout.
    clawback: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0.00"))
    taken_back_in_id: Mapped[int | None] = mapped_column(
        ForeignKey("marketplace_payout.id", ondelete="SET NULL"), index=True
    )
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)
