"""Paying an order: the buyer's declaration (``pay``), the operator's or a gateway's
confirmation (``confirm_payment``), and the provider that settles a commission invoice by
deduction from a payout (``marketplace_offset``).

Orders are paid through the platform's payment providers (``sdk.payment_providers``), the same
that take invoices: a provider sees an order as a ``Payable`` (its reference as the number, its
total TTC as the share to pay). A card gateway later is a provider whose ``instructions`` link
to its page and whose webhook calls ``confirm_order_payment`` (side ``system``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ent_plugins.marketplace import process
from ent_plugins.marketplace.models import Listing, Order
from ent_plugins.marketplace.money_rows import across

from ent_core import sdk

REFERENCE_MAX = 120
OFFSET = "marketplace_offset"


@dataclass(frozen=True)
class Payable:
    """An order as a payment provider reads an invoice: what to pay and under which number."""

    number: str
    subscriber_share: Decimal
    currency: str


def payable(order: Order) -> Payable:
    return Payable(order.reference, order.total, order.currency)


def instructions(order: Order) -> list[tuple[str, str, str]]:
    """``(name, label, instructions)`` of every provider that takes orders (not the offset)."""
    found = []
    for name, provider in sdk.payment_providers().items():
        if name == OFFSET:
            continue
        found.append((name, str(provider.label), provider.instructions(payable(order))))
    return found


def _reference(data: dict[str, Any]) -> str:
    reference = str(data.get("reference") or "").strip()
    if not reference or len(reference) > REFERENCE_MAX:
        raise sdk.UserError(
            "validation_error",
            sdk._("Give the reference of your payment (at most 120 characters)."),
            422,
            field="reference",
        )
    return reference


@process.effect("pay")
def _declared(move: process.Move) -> None:
    """The buyer says they paid: which provider, which reference (checked by the operator)."""
    name = str(move.data.get("provider") or "bank_transfer")
    if name == OFFSET or name not in sdk.payment_providers():
        raise sdk.UserError(
            "validation_error", sdk._("Choose a payment method."), 422, field="provider"
        )
    move.order.payment_provider = name
    move.order.payment_reference = _reference(move.data)


@process.effect("confirm_payment")
def _confirmed(move: process.Move) -> None:
    """Paid: the provider checks the reference (only administrators confirm transfers), the
    date, mails to both sides; digital goods are delivered at once."""
    order = move.order
    reference = _reference(
        move.data if move.data.get("reference") else {"reference": order.payment_reference}
    )
    name = order.payment_provider or "bank_transfer"
    provider = sdk.payment_providers().get(name)
    if provider is None or name == OFFSET:
        raise sdk.UserError("validation_error", sdk._("Unknown payment method."), 422)
    provider.confirm(payable(order), reference, move.actor)
    order.payment_provider = name
    order.payment_reference = reference
    order.paid_at = sdk.utcnow()
    from ent_plugins.marketplace import money_mail

    money_mail.paid(order)
    if all_digital(order):
        process.move(order, "deliver", side=process.SYSTEM, note=sdk._("Files to download"))
        order.delivered_at = sdk.utcnow()


def all_digital(order: Order) -> bool:
    """Whether every line of ``order`` is a file to download (delivered by the platform)."""
    ids = [line.listing_id for line in order.lines]
    if not ids or None in ids:
        return False
    listings = sdk.db.session.scalars(
        sdk.db.select(Listing).where(Listing.id.in_(ids)).execution_options(ent_all_workspaces=True)
    ).all()
    return len(listings) == len(set(ids)) and all(
        listing.delivery == "download" and listing.file_token for listing in listings
    )


def mark_paid(order: Order, reference: str, actor: Any) -> Order:
    """The operator saw the transfer arrive: the order moves to paid (the effect checks)."""
    return process.move(
        order, "confirm_payment", side=process.OPERATOR, actor=actor, reference=reference
    )


def confirm_order_payment(order: Order, provider: str, reference: str) -> Order:
    """A gateway's webhook reports the payment of ``order`` (side ``system``, no actor)."""
    if provider == OFFSET or provider not in sdk.payment_providers():
        raise sdk.UserError("validation_error", sdk._("Unknown payment method."), 422)
    order.payment_provider = provider
    return process.move(order, "confirm_payment", side=process.SYSTEM, reference=reference)


def awaiting_confirmation() -> list[Order]:
    """Orders whose payment the operator confirms: declared ones first, then the unpaid."""
    rows = across(
        sdk.db.select(Order)
        .where(Order.status.in_(("payment_pending", "awaiting_payment")))
        .order_by(Order.created_at)
    )
    return sorted(rows, key=lambda o: o.status != "payment_pending")


def refundable() -> list[Order]:
    """Paid orders the operator may refund from the payments page (the latest 100)."""
    return across(
        sdk.db.select(Order)
        .where(Order.status.in_(("paid", "delivered", "completed", "refunded")))
        .where(Order.refunded < Order.total)
        .order_by(Order.paid_at.desc())
        .limit(100)
    )


def any_order(order_id: int) -> Order:
    """An order by id for the operator (platform administrators cross workspaces)."""
    order = sdk.db.session.scalar(
        sdk.db.select(Order).where(Order.id == order_id).execution_options(ent_all_workspaces=True)
    )
    if order is None:
        sdk.abort(404)
    return order


class MarketplaceOffset(sdk.PaymentProvider):
    """A commission invoice settled by deduction from the seller's payout: nothing to pay."""

    name = OFFSET
    label = sdk._l("Deducted from the marketplace payout")
    can_refund = False

    def offered(self, invoice: Any) -> bool:
        """Never a way for a payer to choose: the payouts apply it themselves."""
        return False

    def instructions(self, invoice: Any) -> str:
        return sdk._("This invoice is deducted from your marketplace payout: nothing to pay.")

    def confirm(self, invoice: Any, reference: str, actor: Any) -> None:
        if actor is not None and not actor.is_admin:
            raise sdk.PaymentError(
                "forbidden", sdk._("Only the platform settles an invoice by deduction."), 403
            )
        if not reference.strip():
            raise sdk.PaymentError(
                "validation_error", sdk._("Give the payout's reference."), field="reference"
            )
