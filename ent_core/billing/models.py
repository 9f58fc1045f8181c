"""Plans, subscriptions, subsidy programmes, invoices and quota usage (tables ``billing_*``)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ent_core.billing.money import CURRENCY, ZERO, Money, Rate
from ent_core.db import TenantMixin, db, utcnow

SUBSCRIPTION_STATES = ("trialing", "active", "past_due", "canceled", "expired")
INVOICE_STATUSES = ("issued", "paid", "void")
PERIODS = ("month", "year")


class Plan(db.Model):
    """A catalogue entry; invoices copy what they need, so editing a plan never rewrites them."""

    __tablename__ = "billing_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_fr: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    name_ar: Mapped[str] = mapped_column(String(120))
    price_month: Mapped[Decimal] = mapped_column(Money())
    price_year: Mapped[Decimal] = mapped_column(Money())
    currency: Mapped[str] = mapped_column(String(3), default=CURRENCY)
    vat_rate: Mapped[Decimal] = mapped_column(Rate(), default=Decimal("0.20"))
    plugins: Mapped[list[str]] = mapped_column(JSON, default=list)
    quotas: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    addon: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def name_for(self, language: str) -> str:
        """The plan's name in ``language`` (fr, en, ar), French when missing."""
        return getattr(self, f"name_{language}", None) or self.name_fr

    def price_for(self, period: str) -> Decimal:
        return self.price_year if period == "year" else self.price_month


class SubsidyProgramme(db.Model):
    """A sponsor paying ``share_percent`` of eligible invoices, within a total budget."""

    __tablename__ = "billing_subsidy_programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    sponsor: Mapped[str] = mapped_column(String(200))
    share_percent: Mapped[Decimal] = mapped_column(Rate())
    months: Mapped[int] = mapped_column(default=12)
    kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    plans: Mapped[list[str]] = mapped_column(JSON, default=list)
    budget: Mapped[Decimal] = mapped_column(Money())
    spent: Mapped[Decimal] = mapped_column(Money(), default=ZERO)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def remaining(self) -> Decimal:
        return max(self.budget - self.spent, ZERO)


class Subscription(TenantMixin, db.Model):
    """The workspace's one subscription; restarted in place rather than duplicated."""

    __tablename__ = "billing_subscription"
    __table_args__ = (UniqueConstraint("workspace_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("billing_plan.id", ondelete="RESTRICT"))
    period: Mapped[str] = mapped_column(String(8), default="month")
    state: Mapped[str] = mapped_column(String(16), default="trialing", index=True)
    addons: Mapped[list[str]] = mapped_column(JSON, default=list)
    next_plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("billing_plan.id", ondelete="SET NULL")
    )
    next_period: Mapped[str | None] = mapped_column(String(8))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    current_period_start: Mapped[datetime] = mapped_column(default=utcnow)
    current_period_end: Mapped[datetime] = mapped_column(index=True)
    past_due_since: Mapped[datetime | None] = mapped_column()
    canceled_at: Mapped[datetime | None] = mapped_column()
    ended_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    plan: Mapped[Plan] = relationship(foreign_keys=[plan_id])
    next_plan: Mapped[Plan | None] = relationship(foreign_keys=[next_plan_id])
    workspace: Mapped[Any] = relationship("Workspace")


class YearCounter:
    """The last number of a gapless series given per year (``invoices.next_sequence``)."""

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)


class InvoiceCounter(YearCounter, db.Model):
    """Invoices' series; bumped in the transaction that inserts the invoice."""

    __tablename__ = "billing_invoice_counter"


class Invoice(TenantMixin, db.Model):
    """An issued invoice: amounts and labels are copies, never recomputed from the plan."""

    __tablename__ = "billing_invoice"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    year: Mapped[int] = mapped_column()
    sequence: Mapped[int] = mapped_column()
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("billing_subscription.id", ondelete="SET NULL")
    )
    plan_code: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(8))
    period_start: Mapped[datetime] = mapped_column()
    period_end: Mapped[datetime] = mapped_column()
    #: ``<subscription id>:<period start>`` while the invoice counts; NULL once void, so a
    #: period is invoiced at most once (renewal jobs racing) yet can be re-invoiced after a void.
    period_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(8), default="issued", index=True)
    currency: Mapped[str] = mapped_column(String(3), default=CURRENCY)
    customer_name: Mapped[str] = mapped_column(String(200))
    customer_kind: Mapped[str] = mapped_column(String(32))
    subtotal: Mapped[Decimal] = mapped_column(Money())
    vat_total: Mapped[Decimal] = mapped_column(Money())
    total: Mapped[Decimal] = mapped_column(Money())
    sponsor_share: Mapped[Decimal] = mapped_column(Money(), default=ZERO)
    subscriber_share: Mapped[Decimal] = mapped_column(Money())
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("billing_subsidy_programme.id", ondelete="SET NULL")
    )
    sponsor_name: Mapped[str] = mapped_column(String(200), default="")
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime] = mapped_column()
    paid_at: Mapped[datetime | None] = mapped_column()
    payment_provider: Mapped[str | None] = mapped_column(String(40))
    payment_reference: Mapped[str | None] = mapped_column(String(120))
    paid_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    reminded_at: Mapped[datetime | None] = mapped_column()
    voided_at: Mapped[datetime | None] = mapped_column()
    note: Mapped[str] = mapped_column(Text, default="")
    #: What credit notes gave back so far (TTC); raised only by a guarded ``UPDATE ... WHERE
    #: credited + :amount <= total``, so concurrent credit notes never exceed the invoice.
    credited: Mapped[Decimal] = mapped_column(Money(), default=ZERO, server_default="0")

    lines: Mapped[list[InvoiceLine]] = relationship(
        cascade="all, delete-orphan", order_by="InvoiceLine.position"
    )
    workspace: Mapped[Any] = relationship("Workspace")
    credit_notes: Mapped[list[CreditNote]] = relationship(
        back_populates="invoice", order_by="CreditNote.id", viewonly=True
    )

    @property
    def uncredited(self) -> Decimal:
        return self.total - self.credited


class InvoiceLine(db.Model):
    __tablename__ = "billing_invoice_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("billing_invoice.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[int] = mapped_column(default=1)
    unit_price: Mapped[Decimal] = mapped_column(Money())
    vat_rate: Mapped[Decimal] = mapped_column(Rate())
    net: Mapped[Decimal] = mapped_column(Money())
    vat: Mapped[Decimal] = mapped_column(Money())
    total: Mapped[Decimal] = mapped_column(Money())


class CreditNoteCounter(YearCounter, db.Model):
    """Credit notes' series: apart from invoices', bumped the same way."""

    __tablename__ = "billing_credit_note_counter"


class CreditNote(TenantMixin, db.Model):
    """An avoir: corrects a paid invoice by all or part of its amount, never rewriting it."""

    __tablename__ = "billing_credit_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    year: Mapped[int] = mapped_column()
    sequence: Mapped[int] = mapped_column()
    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("billing_invoice.id", ondelete="RESTRICT"), index=True
    )
    currency: Mapped[str] = mapped_column(String(3), default=CURRENCY)
    subtotal: Mapped[Decimal] = mapped_column(Money())
    vat_total: Mapped[Decimal] = mapped_column(Money())
    total: Mapped[Decimal] = mapped_column(Money())
    sponsor_share: Mapped[Decimal] = mapped_column(Money(), default=ZERO)
    subscriber_share: Mapped[Decimal] = mapped_column(Money())
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("billing_subsidy_programme.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(Text)
    #: Set when the subscriber's share was paid back through the invoice's payment provider.
    refund_provider: Mapped[str | None] = mapped_column(String(40))
    refund_reference: Mapped[str | None] = mapped_column(String(120))
    refunded_at: Mapped[datetime | None] = mapped_column()
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    invoice: Mapped[Invoice] = relationship(back_populates="credit_notes")
    workspace: Mapped[Any] = relationship("Workspace")


class QuotaUsage(TenantMixin, db.Model):
    """How much of a quota a workspace used in a period (``2026-11``, or ``all`` if not monthly)."""

    __tablename__ = "billing_quota_usage"
    __table_args__ = (UniqueConstraint("workspace_id", "name", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    period: Mapped[str] = mapped_column(String(8))
    used: Mapped[int] = mapped_column(default=0)
