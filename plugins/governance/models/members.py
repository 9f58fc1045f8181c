"""The member registry and dues: who belongs to the association and who has paid."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ent_core import sdk

AMOUNT = Numeric(12, 2)
USER_FK = "user_account.id"


class MemberCategory(sdk.TenantMixin, sdk.db.Model):
    """A category of the statutes (active, founding, honorary, ...): who pays and who votes."""

    __tablename__ = "governance_member_category"
    __table_args__ = (UniqueConstraint("workspace_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    #: Honorary members usually neither pay dues nor vote; the statutes say.
    pays_dues: Mapped[bool] = mapped_column(Boolean, default=True)
    votes: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class DuesRate(sdk.TenantMixin, sdk.db.Model):
    """What a member of ``category`` owes for ``year`` (the general assembly sets it)."""

    __tablename__ = "governance_dues_rate"
    __table_args__ = (UniqueConstraint("category_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("governance_member_category.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(AMOUNT)

    category: Mapped[MemberCategory] = relationship()


class Member(sdk.TenantMixin, sdk.db.Model):
    """A person on the registry, with or without a platform account."""

    __tablename__ = "governance_member"
    __table_args__ = (UniqueConstraint("workspace_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The membership number printed on receipts and cards (per association).
    number: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    #: The national identity card number, only when the association keeps it.
    cin: Mapped[str | None] = mapped_column(String(20))
    category_id: Mapped[int] = mapped_column(
        ForeignKey("governance_member_category.id", ondelete="RESTRICT"), index=True
    )
    #: The language of their mail and receipts (fr, ar, en).
    language: Mapped[str] = mapped_column(String(5), default="fr")
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey(USER_FK, ondelete="SET NULL"), index=True
    )
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)
    #: When the last reminder of unpaid dues was mailed (reminders wait ``reminder_days``).
    reminded_at: Mapped[datetime | None] = mapped_column()

    workspace = relationship("Workspace")
    category: Mapped[MemberCategory] = relationship()
    payments: Mapped[list[DuesPayment]] = relationship(
        back_populates="member", order_by="DuesPayment.paid_on"
    )


class DuesPayment(sdk.TenantMixin, sdk.db.Model):
    """Dues paid for one year, recorded by the treasurer or confirmed by a payment provider."""

    __tablename__ = "governance_dues_payment"
    __table_args__ = (UniqueConstraint("workspace_id", "receipt_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("governance_member.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(AMOUNT)
    #: cash, transfer, cheque or online.
    method: Mapped[str] = mapped_column(String(20))
    paid_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(120), default="")
    receipt_number: Mapped[str] = mapped_column(String(40))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey(USER_FK, ondelete="SET NULL"))
    #: A payment recorded in error is cancelled, never deleted: receipts stay numbered.
    cancelled_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)

    member: Mapped[Member] = relationship(back_populates="payments")


class ReceiptCounter(sdk.TenantMixin, sdk.db.Model):
    """The last receipt number given for a calendar year: numbers follow each other, never
    twice, because each payment takes the next one by a locking ``UPDATE`` of this row."""

    __tablename__ = "governance_receipt_counter"
    __table_args__ = (UniqueConstraint("workspace_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    last_number: Mapped[int] = mapped_column(Integer, default=0)
