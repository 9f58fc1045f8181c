"""Payouts: what the platform owes each seller for a calendar month, less its commission.

A monthly schedule closes the previous month (UTC) per seller: the orders closed in it
(``completed_at`` in the month: completed, or refunded and closed) not yet in a payout make a
``Payout`` with ``gross`` = Σ total - Σ refunded, ``commission`` = Σ commission less the
refunded share, its VAT at the operator's ``default_vat_rate``, and ``net`` = gross -
commission - VAT. The commission is invoiced to the seller (``sdk.issue_invoice``, kind
``marketplace``) and the invoice is settled at once by deduction (provider
``marketplace_offset``). A refund of an order paid out earlier is taken back from the
seller's next payout that covers it (``take_back``). The unique (workspace, period) and the
invoice's key make closing a month twice (two workers) produce one payout and one invoice.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from ent_plugins.marketplace import money_mail
from ent_plugins.marketplace.models import Order, Payout, Refund
from ent_plugins.marketplace.money_rows import across, settle, transfer_reference
from ent_plugins.marketplace.payments import OFFSET
from ent_plugins.marketplace.pricing import cents
from ent_plugins.marketplace.settings import settings
from sqlalchemy.exc import IntegrityError

from ent_core import sdk

ZERO = Decimal("0.00")


def month_of(day: date) -> tuple[date, date]:
    """First and last day of ``day``'s month."""
    start = day.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following - timedelta(days=1)


def previous_month(today: date) -> tuple[date, date]:
    return month_of(today.replace(day=1) - timedelta(days=1))


def parse_period(text: str) -> tuple[date, date]:
    """``2026-11`` → the month's first and last days (ValueError otherwise)."""
    year, month = (int(part) for part in text.split("-"))
    return month_of(date(year, month, 1))


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (
        datetime(start.year, start.month, start.day, tzinfo=UTC),
        datetime(end.year, end.month, end.day, tzinfo=UTC) + timedelta(days=1),
    )


def order_share(order: Order) -> tuple[Decimal, Decimal]:
    """What the order brings the seller's payout: (gross, commission), refunds taken out."""
    gross = order.total - order.refunded
    if not order.total:
        return ZERO, ZERO
    kept = cents(order.commission * gross / order.total)
    return gross, kept


def amounts(orders: list[Order], vat_rate: Decimal) -> dict[str, Decimal]:
    """A payout's figures; ``commission + commission_vat + net == gross`` to the centime."""
    gross = sum((order_share(o)[0] for o in orders), ZERO)
    commission = sum((order_share(o)[1] for o in orders), ZERO)
    commission_vat = cents(commission * vat_rate)
    return {
        "gross": gross,
        "commission": commission,
        "commission_vat": commission_vat,
        "net": gross - commission - commission_vat,
    }


def _closing(workspace_id: int | None, start: date, end: date) -> Any:
    since, until = _bounds(start, end)
    statement = (
        sdk.db.select(Order)
        .where(
            Order.status.in_(("completed", "refunded")),
            Order.completed_at >= since,
            Order.completed_at < until,
            Order.payout_id.is_(None),
        )
        .order_by(Order.completed_at)
        .execution_options(ent_all_workspaces=True)
    )
    if workspace_id is not None:
        statement = statement.where(Order.workspace_id == workspace_id)
    return statement


def close_period(start: date, end: date) -> list[Payout]:
    """Close ``start``..``end`` for every seller with orders closed in it; commits each."""
    sellers = sorted({o.workspace_id for o in sdk.db.session.scalars(_closing(None, start, end))})
    made = []
    for workspace_id in sellers:
        payout = close_seller(workspace_id, start, end)
        if payout is not None:
            made.append(payout)
    return made


def close_seller(workspace_id: int, start: date, end: date) -> Payout | None:
    """One seller's payout for the period, once (``None`` when it exists already)."""
    existing = sdk.db.session.scalar(
        sdk.db.select(Payout)
        .where(Payout.workspace_id == workspace_id, Payout.period_start == start)
        .execution_options(ent_all_workspaces=True)
    )
    if existing is not None and existing.status != "open":
        return None
    orders = list(sdk.db.session.scalars(_closing(workspace_id, start, end).with_for_update()))
    if not orders:
        return None
    figures = amounts(orders, settings().default_vat_rate)
    savepoint = sdk.db.session.begin_nested()
    try:
        payout = existing or Payout(workspace_id=workspace_id, period_start=start, period_end=end)
        payout.status = "due"
        for name, value in figures.items():
            setattr(payout, name, value)
        payout.currency = orders[0].currency
        sdk.db.session.add(payout)
        sdk.db.session.flush()
        savepoint.commit()
    except IntegrityError:  # another worker closed it first
        savepoint.rollback()
        return None
    sdk.db.session.execute(
        sdk.db.update(Order)
        .where(Order.id.in_([o.id for o in orders]), Order.payout_id.is_(None))
        .values(payout_id=payout.id)
        .execution_options(synchronize_session=False, ent_all_workspaces=True)
    )
    _invoice_commission(payout)
    take_back(payout)
    if payout.net <= 0:  # all refunded: nothing to send
        payout.status, payout.paid_at = "paid", sdk.utcnow()
    sdk.audit(
        "marketplace.payout.closed",
        subject=f"payout:{payout.id}",
        details={"net": str(payout.net), "period": start.isoformat()},
    )
    sdk.db.session.commit()
    return payout


def reference(payout: Payout) -> str:
    return f"MP-PAYOUT-{payout.id}"


def _invoice_commission(payout: Payout) -> None:
    """The commission invoiced to the seller, settled at once by deduction from the payout."""
    if payout.commission <= 0:
        return
    label = sdk._(
        "Marketplace commission, %(start)s to %(end)s",
        start=payout.period_start.isoformat(),
        end=payout.period_end.isoformat(),
    )
    rate = settings().default_vat_rate
    with sdk.all_workspaces():
        invoice, _created = sdk.issue_invoice(
            payout.workspace,
            [sdk.ChargeLine(label, 1, payout.commission, rate)],
            key=f"marketplace-payout:{payout.id}",
            kind="marketplace",
        )
        if invoice.status == "issued":
            sdk.confirm_payment(invoice, OFFSET, reference(payout), actor=None)
    payout.invoice_number = invoice.number
    # The invoice's VAT is the one the seller reads: keep the payout's figures equal to it.
    payout.commission_vat = invoice.vat_total
    payout.net = payout.gross - payout.commission - payout.commission_vat


def take_back(payout: Payout) -> None:
    """Refunds of orders paid out earlier come back from this payout, oldest first, as far as
    its net covers each whole one (the others wait for the next payout); each is taken once
    (a guarded update of ``Refund.taken_back_in_id``)."""
    pending = sdk.db.session.scalars(
        sdk.db.select(Refund)
        .where(
            Refund.workspace_id == payout.workspace_id,
            Refund.clawback > 0,
            Refund.taken_back_in_id.is_(None),
        )
        .order_by(Refund.created_at, Refund.id)
        .execution_options(ent_all_workspaces=True)
    ).all()
    taken = ZERO
    for refund in pending:
        if taken + refund.clawback > payout.net:
            continue
        claimed = sdk.db.session.execute(
            sdk.db.update(Refund)
            .where(Refund.id == refund.id, Refund.taken_back_in_id.is_(None))
            .values(taken_back_in_id=payout.id)
            .execution_options(synchronize_session=False, ent_all_workspaces=True)
        ).rowcount
        if claimed == 1:
            taken += refund.clawback
    payout.taken_back = taken
    payout.net -= taken


def owed_back(workspace_id: int) -> Decimal:
    """Refunds of paid-out orders not yet taken back from a payout (the seller's page)."""
    total = sdk.db.session.scalar(
        sdk.db.select(sdk.db.func.coalesce(sdk.db.func.sum(Refund.clawback), 0))
        .where(
            Refund.workspace_id == workspace_id,
            Refund.clawback > 0,
            Refund.taken_back_in_id.is_(None),
        )
        .execution_options(ent_all_workspaces=True)
    )
    return cents(Decimal(total or 0))


def close_previous_month() -> None:
    """The monthly schedule: the month before today (UTC) is closed for every seller."""
    start, end = previous_month(sdk.utcnow().date())
    close_period(start, end)


def mark_paid(payout: Payout, transfer: str, actor: Any) -> None:
    """The operator sent the net to the seller's RIB: ``paid`` with the transfer's reference."""
    settle(
        payout,
        "due",
        sdk._("This payout is not due."),
        status="paid",
        paid_at=sdk.utcnow(),
        paid_reference=transfer_reference(transfer),
    )
    sdk.audit(
        "marketplace.payout.paid",
        subject=f"payout:{payout.id}",
        details={"reference": payout.paid_reference, "net": str(payout.net)},
    )
    money_mail.payout_paid(payout)


def due() -> list[Payout]:
    return across(
        sdk.db.select(Payout).where(Payout.status == "due").order_by(Payout.period_start, Payout.id)
    )


def running_orders(workspace_id: int) -> list[Order]:
    """The seller's orders closed in the running month (next payout), and paid ones to come."""
    start, end = month_of(sdk.utcnow().date())
    return list(sdk.db.session.scalars(_closing(workspace_id, start, end)))


def valid_rib(text: str) -> str:
    """A Moroccan RIB: 24 digits (bank 3, city 3, account 16, key 2); the key makes the whole
    number divisible by 97. Returns the digits, or raises a 422 naming ``payout_rib``."""
    digits = "".join(ch for ch in text if not ch.isspace())
    if len(digits) != 24 or not digits.isascii() or not digits.isdigit() or int(digits) % 97:
        raise sdk.UserError(
            "validation_error",
            sdk._("A RIB has 24 digits and a valid key: check it on your bank's statement."),
            422,
            field="payout_rib",
        )
    return digits
