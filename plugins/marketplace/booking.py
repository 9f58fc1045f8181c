"""Bookings: a buyer holds one place of a slot while paying.

A place is taken with ``UPDATE ... SET taken = taken + 1 WHERE id = :id AND taken <
capacity``: of buyers racing for the last places, exactly as many pass as there are places.
The hold lasts the listing's ``hold_minutes`` (or the platform's); paying in time extends it
to ``payment_days`` (``order_effects``); cancelling or expiring gives the place back.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from ent_plugins.marketplace.checkout import (
    LineRequest,
    announce,
    buyer_workspace_for,
    set_lines,
    start_order,
)
from ent_plugins.marketplace.models import Listing, ListingSlot, Order
from ent_plugins.marketplace.settings import settings

from ent_core import sdk


def free_slots(listing: Listing, limit: int = 50) -> list[ListingSlot]:
    """The listing's future slots with a place left, soonest first."""
    with sdk.in_workspace(listing.workspace_id):
        return list(
            sdk.db.session.scalars(
                sdk.db.select(ListingSlot)
                .where(
                    ListingSlot.listing_id == listing.id,
                    ListingSlot.starts_at > sdk.utcnow(),
                    ListingSlot.taken < ListingSlot.capacity,
                )
                .order_by(ListingSlot.starts_at)
                .limit(limit)
            )
        )


def hold_for(listing: Listing) -> timedelta:
    return timedelta(minutes=listing.hold_minutes or settings().hold_minutes)


def book(
    listing: Listing, slot_id: int, *, buyer: Any, buyer_workspace_id: int | None = None
) -> Order:
    """Hold one place of slot ``slot_id``: an order awaiting payment (409 ``slot_full``)."""
    if listing.kind != "booking" or listing.price is None:
        raise sdk.UserError(
            "not_bookable", sdk._("This listing is not booked by slot."), field="listing_id"
        )
    for_workspace = buyer_workspace_for(buyer, buyer_workspace_id, listing)
    with sdk.in_workspace(listing.workspace_id):
        slot = sdk.db.session.get(ListingSlot, slot_id)
        if slot is None or slot.listing_id != listing.id or slot.starts_at <= sdk.utcnow():
            raise sdk.UserError(
                "unknown_slot", sdk._("This slot cannot be booked."), field="slot_id"
            )
        taken = sdk.db.session.execute(
            sdk.db.update(ListingSlot)
            .where(ListingSlot.id == slot.id, ListingSlot.taken < ListingSlot.capacity)
            .values(taken=ListingSlot.taken + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        if taken != 1:
            raise sdk.UserError(
                "slot_full", sdk._("This slot is full: choose another."), 409, field="slot_id"
            )
        order = start_order(
            listing,
            "booking",
            "awaiting_payment",
            buyer=buyer,
            buyer_workspace_id=for_workspace,
            expires_at=sdk.utcnow() + hold_for(listing),
        )
        label = (
            f"{listing.title} — {sdk.format_datetime(slot.starts_at, workspace=listing.workspace)}"
        )
        set_lines(
            order,
            [
                LineRequest(
                    label,
                    1,
                    Decimal(listing.price),
                    Decimal(listing.vat_rate),
                    listing.id,
                    slot_id=slot.id,
                )
            ],
        )
        announce(order)
    return order


def release_place(slot_id: int) -> None:
    """Give back the place a cancelled or expired booking held (never below zero)."""
    sdk.db.session.execute(
        sdk.db.update(ListingSlot)
        .where(ListingSlot.id == slot_id, ListingSlot.taken > 0)
        .values(taken=ListingSlot.taken - 1)
        .execution_options(synchronize_session=False)
    )
