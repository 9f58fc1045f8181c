"""Refunds and disputes: money given back to buyers, in full or in part, and the operator's
decisions on disputed orders.

A refund of a paid, delivered or disputed order is the ``refund`` transition (operator only);
a refund of an order already completed (or a second partial refund) changes no state and
goes through ``refund_order`` directly. Either way ``Order.refunded`` grows by a guarded
``UPDATE ... WHERE refunded + :amount <= total`` (two refunds racing never exceed the total);
the provider that took the payment refunds when it can (its reference kept), else the refund
is ``owed`` and the operator marks it sent. When the order's commission was already invoiced
in a payout, the commission invoice is credited in proportion (``sdk.credit_invoice``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from ent_plugins.marketplace import money_mail, process
from ent_plugins.marketplace.models import Order, Payout, Refund
from ent_plugins.marketplace.money_rows import across, settle, transfer_reference
from ent_plugins.marketplace.pricing import CENT, cents

from ent_core import sdk

REASON_MAX = 500


def _invalid(field: str, message: str) -> sdk.UserError:
    return sdk.UserError("validation_error", message, 422, field=field)


def parse(order: Order, amount: Any, reason: Any) -> tuple[Decimal, str]:
    """A positive amount in centimes not beyond what remains, and a reason."""
    remaining = order.total - order.refunded
    text = str(amount if amount is not None else "").strip().replace(",", ".")
    try:
        value = Decimal(text) if text else remaining
    except InvalidOperation:
        value = Decimal("-1")
    if not value.is_finite() or value <= 0 or value != value.quantize(CENT) or value > remaining:
        raise _invalid(
            "amount",
            sdk._(
                "Give an amount between 0.01 and %(max)s.",
                max=sdk.Money(remaining, order.currency).format(),
            ),
        )
    why = str(reason or "").strip()
    if not why:
        raise _invalid("reason", sdk._("Say why the buyer is refunded."))
    return value, why[:REASON_MAX]


@process.effect("refund")
def _refunded(move: process.Move) -> None:
    amount, reason = parse(move.order, move.data.get("amount"), move.data.get("reason"))
    give_back(move.order, amount, reason, move.actor)


@process.effect("resolve")
def _resolved(move: process.Move) -> None:
    """A dispute decided for the seller: the order completes, the payout will include it."""
    move.order.completed_at = sdk.utcnow()


def refund_order(order: Order, amount: Any, reason: Any, actor: Any) -> Refund:
    """Refund an order that stays in its state (completed, or already partly refunded)."""
    if order.status not in ("completed", "refunded"):
        raise process.InvalidTransition(
            "invalid_transition",
            sdk._("This step is not possible from the order's current state."),
            details={"allowed": process.allowed(order, process.OPERATOR), "status": order.status},
        )
    value, why = parse(order, amount, reason)
    refund = give_back(order, value, why, actor)
    sdk.audit(
        "marketplace.order.refund",
        subject=f"order:{order.id}",
        details={"reference": order.reference, "amount": str(value), "status": order.status},
    )
    return refund


def give_back(order: Order, amount: Decimal, reason: str, actor: Any) -> Refund:
    """The money side of a refund: guarded total, provider, credit note, mail."""
    taken = sdk.db.session.execute(
        sdk.db.update(Order)
        .where(Order.id == order.id, Order.refunded + amount <= Order.total)
        .values(refunded=Order.refunded + amount)
        .execution_options(synchronize_session=False, ent_all_workspaces=True)
    ).rowcount
    sdk.db.session.refresh(order)
    if taken != 1:
        raise sdk.UserError(
            "refund_exceeds_order",
            sdk._(
                "A refund cannot exceed what remains of the order: %(left)s.",
                left=sdk.Money(order.total - order.refunded, order.currency).format(),
            ),
            409,
        )
    if order.completed_at is None and order.status == "refunded":
        # A refunded order is closed: what was not refunded goes to the seller's payout.
        order.completed_at = sdk.utcnow()
    refund = Refund(
        workspace_id=order.workspace_id,
        order_id=order.id,
        amount=amount,
        reason=reason,
        provider=order.payment_provider,
        decided_by_id=getattr(actor, "id", None),
    )
    provider = sdk.payment_providers().get(order.payment_provider or "")
    if provider is not None and getattr(provider, "can_refund", False):
        from ent_plugins.marketplace.payments import payable

        result = provider.refund(payable(order), sdk.Money(amount, order.currency), reason, actor)
        refund.provider_reference = str(result.reference)[:120]
        refund.status = "sent"
    sdk.db.session.add(refund)
    refund.credit_note_number, credited = _credit_commission(order, amount, reason, actor)
    if order.payout_id is not None:
        # The seller was paid for this order: what they received of the refunded amount
        # comes back from their next payouts (payouts.take_back).
        refund.clawback = amount - credited
    sdk.db.session.flush()
    money_mail.refunded(order, amount)
    return refund


def _credit_commission(
    order: Order, amount: Decimal, reason: str, actor: Any
) -> tuple[str | None, Decimal]:
    """Credit the commission invoice of the order's payout by the refunded share: the credit
    note's number and amount (TTC), or ``(None, 0)``."""
    if order.payout_id is None or not order.total:
        return None, Decimal("0.00")
    payout = sdk.db.session.scalar(
        sdk.db.select(Payout)
        .where(Payout.id == order.payout_id)
        .execution_options(ent_all_workspaces=True)
    )
    if payout is None or not payout.invoice_number:
        return None, Decimal("0.00")
    share = cents(order.commission * amount / order.total)
    vat = cents(share * payout_vat_rate(payout))
    if share + vat <= 0:
        return None, Decimal("0.00")
    with sdk.all_workspaces():
        note = sdk.credit_invoice(payout.invoice_number, share + vat, reason, actor)
    return str(note.number), share + vat


def payout_vat_rate(payout: Payout) -> Decimal:
    return (payout.commission_vat / payout.commission) if payout.commission else Decimal("0")


def mark_sent(refund: Refund, reference: str, actor: Any) -> None:
    """The operator sent an owed refund outside the platform (a transfer)."""
    reference = transfer_reference(reference)
    settle(
        refund,
        "owed",
        sdk._("This refund was already sent."),
        status="sent",
        provider_reference=reference,
    )
    sdk.audit(
        "marketplace.refund.sent", subject=f"refund:{refund.id}", details={"reference": reference}
    )


def owed() -> list[Refund]:
    return across(sdk.db.select(Refund).where(Refund.status == "owed").order_by(Refund.created_at))


def disputed() -> list[Order]:
    return across(sdk.db.select(Order).where(Order.status == "disputed").order_by(Order.updated_at))
