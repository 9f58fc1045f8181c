"""What each step of an order does beyond its status (registered with ``process.effect``).

Cancelling or expiring gives stock and slot places back (once: the step itself is guarded);
a quote writes its lines; accepting and paying set the payment deadline; delivering starts
the auto-completion clock; completing counts the sale. The seller's first answer (quote,
decline, delivery or first message) sets ``first_answer_at`` and the seller's response time:
the **median** minutes to a first answer over its last 100 answered orders. Every step is
mailed to the other side (``order_mail``).
"""

from __future__ import annotations

import statistics
from datetime import timedelta

from ent_plugins.marketplace import process
from ent_plugins.marketplace.booking import release_place
from ent_plugins.marketplace.checkout import release_stock, set_lines
from ent_plugins.marketplace.inquiry import quote_lines, valid_days
from ent_plugins.marketplace.listing_lifecycle import seller_profile
from ent_plugins.marketplace.models import Listing, Order, SellerProfile
from ent_plugins.marketplace.order_mail import BUYER, SELLER, notify
from ent_plugins.marketplace.settings import settings

from ent_core import sdk


def _release(move: process.Move) -> None:
    for line in move.order.lines:
        if line.slot_id is not None:
            release_place(line.slot_id)
        else:
            release_stock(line)
    if move.note:
        move.order.closed_reason = move.note


process.effect("cancel")(_release)
process.effect("expire")(_release)


def record_first_answer(order: Order) -> None:
    """The seller answered ``order`` for the first time: its response time counts."""
    if order.first_answer_at is not None:
        return
    order.first_answer_at = sdk.utcnow()
    sdk.db.session.flush()
    answered = sdk.db.session.execute(
        sdk.db.select(Order.created_at, Order.first_answer_at)
        .where(Order.first_answer_at.is_not(None))
        .order_by(Order.first_answer_at.desc())
        .limit(100)
    ).all()
    minutes = [
        max(0, int((answered_at - created).total_seconds() // 60))
        for created, answered_at in answered
    ]
    seller_profile(order.workspace_id).response_minutes = int(statistics.median(minutes))


@process.effect("quote")
def _quote(move: process.Move) -> None:
    order = move.order
    if "lines" in move.data or any(line.unit_price == 0 for line in order.lines):
        set_lines(order, quote_lines(order, move.data.get("lines")))
    order.quote_note = move.note or str(move.data.get("quote_note") or "")
    order.expires_at = sdk.utcnow() + timedelta(days=valid_days(move.data.get("valid_days")))
    record_first_answer(order)


@process.effect("decline")
def _decline(move: process.Move) -> None:
    move.order.closed_reason = move.note
    record_first_answer(move.order)


@process.effect("accept")
def _accept(move: process.Move) -> None:
    move.order.expires_at = sdk.utcnow() + timedelta(days=settings().payment_days)


@process.effect("pay")
def _extend_hold(move: process.Move) -> None:
    """Paying within a booking's hold keeps the place until the payment is confirmed."""
    if move.order.process == "booking":
        move.order.expires_at = sdk.utcnow() + timedelta(days=settings().payment_days)


@process.effect("deliver")
def _deliver(move: process.Move) -> None:
    order = move.order
    order.delivered_at = sdk.utcnow()
    order.expires_at = order.delivered_at + timedelta(days=settings().complete_after_days)
    record_first_answer(order)


@process.effect("complete")
def _complete(move: process.Move) -> None:
    order = move.order
    order.completed_at = sdk.utcnow()
    order.expires_at = None
    for line in order.lines:
        if line.listing_id is not None:
            sdk.db.session.execute(
                sdk.db.update(Listing)
                .where(Listing.id == line.listing_id)
                .values(sales_count=Listing.sales_count + line.quantity)
                .execution_options(synchronize_session=False)
            )
    profile = seller_profile(order.workspace_id)
    sdk.db.session.execute(
        sdk.db.update(SellerProfile)
        .where(SellerProfile.id == profile.id)
        .values(completed_orders=SellerProfile.completed_orders + 1)
        .execution_options(synchronize_session=False)
    )


def _mail(move: process.Move) -> None:
    """The other side hears of the step; the system's and operator's steps reach both."""
    to = {BUYER: (SELLER,), SELLER: (BUYER,)}.get(move.side, (BUYER, SELLER))
    notify(move.order, move.transition.name, to=to, note=move.note)


for _name in process.TRANSITIONS:
    process.effect(_name)(_mail)
