"""Placing orders: the shared start of every process, and purchases with their stock.

Stock is taken with a guarded ``UPDATE ... SET stock = stock - :q WHERE id = :id AND stock
>= :q`` (the variant's when it counts its own, else the listing's): of buyers racing for the
last units, exactly as many pass as there are units; the others get 409 ``out_of_stock``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from ent_plugins.marketplace import pricing
from ent_plugins.marketplace.models import Listing, ListingVariant, Order, OrderLine
from ent_plugins.marketplace.orders import (
    assign_reference,
    buying_workspaces,
    temporary_reference,
)
from ent_plugins.marketplace.settings import settings

from ent_core import sdk


@dataclass(frozen=True)
class LineRequest:
    """What a buyer asks for: a listing, an option of it or a slot, and how many."""

    label: str
    quantity: int
    unit_price: Decimal
    vat_rate: Decimal
    listing_id: int | None = None
    variant_id: int | None = None
    slot_id: int | None = None


def buyer_workspace_for(user: Any, workspace_id: int | None, listing: Listing) -> int | None:
    """The workspace the order is for (checked: ``user`` holds ``marketplace.buy`` there)."""
    if not workspace_id:
        return None
    if workspace_id == listing.workspace_id:
        raise sdk.UserError(
            "own_listing",
            sdk._("A workspace cannot buy its own listings."),
            field="buyer_workspace_id",
        )
    if workspace_id not in {ws.id for ws in buying_workspaces(user)}:
        raise sdk.UserError(
            "forbidden",
            sdk._("You may not buy for this workspace."),
            403,
            field="buyer_workspace_id",
        )
    return workspace_id


def start_order(
    listing: Listing,
    process_name: str,
    status: str,
    *,
    buyer: Any,
    buyer_workspace_id: int | None,
    expires_at: datetime | None,
    request_text: str = "",
) -> Order:
    """A new order of ``listing``'s seller, in ``status``, without lines (the caller is inside
    ``sdk.in_workspace(listing.workspace_id)``)."""
    order = Order(
        workspace_id=listing.workspace_id,
        reference=temporary_reference(),
        process=process_name,
        status=status,
        buyer_id=buyer.id,
        buyer_workspace_id=buyer_workspace_id,
        request=request_text,
        commission_rate=listing.category.commission_rate,
        expires_at=expires_at,
        created_at=sdk.utcnow(),
    )
    sdk.db.session.add(order)
    assign_reference(order)
    return order


def announce(order: Order) -> None:
    """A new order: audited, and its seller told by mail."""
    from ent_plugins.marketplace.order_mail import SELLER, notify

    sdk.audit("marketplace.order.placed", subject=f"order:{order.id}")
    notify(order, "placed", to=(SELLER,), note=order.request)


def set_lines(order: Order, lines: list[LineRequest]) -> None:
    """Replace the order's lines and compute its amounts and the platform's commission."""
    order.lines.clear()
    sdk.db.session.flush()
    amounts = []
    for line in lines:
        figures = pricing.line_amounts(line.unit_price, line.quantity, line.vat_rate)
        amounts.append(figures)
        order.lines.append(
            OrderLine(
                workspace_id=order.workspace_id,
                listing_id=line.listing_id,
                variant_id=line.variant_id,
                slot_id=line.slot_id,
                label=line.label[:250],
                quantity=line.quantity,
                unit_price=line.unit_price,
                vat_rate=line.vat_rate,
                net=figures.net,
                vat=figures.vat,
                total=figures.total,
            )
        )
    totals = pricing.order_amounts(amounts)
    order.subtotal, order.vat, order.total = totals.net, totals.vat, totals.total
    order.commission = pricing.commission(totals.net, Decimal(order.commission_rate))
    sdk.db.session.flush()


def _out_of_stock(label: str) -> sdk.UserError:
    return sdk.UserError(
        "out_of_stock",
        sdk._("Not enough left of “%(label)s”.", label=label),
        409,
        field="quantity",
    )


def reserve_stock(listing: Listing, variant: ListingVariant | None, quantity: int) -> None:
    """Take ``quantity`` units, or refuse (409 ``out_of_stock``); uncounted stock passes."""
    if variant is not None and variant.stock is not None:
        model, row_id, column = ListingVariant, variant.id, ListingVariant.stock
    elif listing.stock is not None:
        model, row_id, column = Listing, listing.id, Listing.stock
    else:
        return
    taken = sdk.db.session.execute(
        sdk.db.update(model)
        .where(model.id == row_id, column >= quantity)
        .values(stock=column - quantity)
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken != 1:
        raise _out_of_stock(variant.name if variant is not None else listing.title)


def release_stock(line: OrderLine) -> None:
    """Give a cancelled or expired line's units back (to the variant that counted them)."""
    if line.slot_id is not None:
        return
    from ent_plugins.marketplace.models import ListingVariant as Variant

    variant = sdk.db.session.get(Variant, line.variant_id) if line.variant_id else None
    if variant is not None and variant.stock is not None:
        model, row_id, column = Variant, variant.id, Variant.stock
    else:
        listing = sdk.db.session.get(Listing, line.listing_id) if line.listing_id else None
        if listing is None or listing.stock is None:
            return
        model, row_id, column = Listing, listing.id, Listing.stock
    sdk.db.session.execute(
        sdk.db.update(model)
        .where(model.id == row_id)
        .values(stock=column + line.quantity)
        .execution_options(synchronize_session=False)
    )


def purchasable_variant(listing: Listing, variant_id: int | None) -> ListingVariant | None:
    """The chosen option of ``listing`` (required when it has active ones)."""
    active = [v for v in listing.variants if v.active]
    if variant_id is None:
        if active:
            raise sdk.UserError("variant_required", sdk._("Choose an option."), field="variant_id")
        return None
    variant = next((v for v in active if v.id == variant_id), None)
    if variant is None:
        raise sdk.UserError(
            "unknown_variant", sdk._("This option is not sold."), field="variant_id"
        )
    return variant


def check_purchasable(listing: Listing) -> None:
    """Purchases are for priced products and services; bookings and quotes go elsewhere."""
    if listing.price is None:
        raise sdk.UserError(
            "on_quote",
            sdk._("This listing is sold on quote: ask the seller for one."),
            field="listing_id",
        )
    if listing.kind == "booking":
        raise sdk.UserError(
            "booking_listing", sdk._("Book one of this listing's slots."), field="listing_id"
        )


def purchase(
    listing: Listing,
    items: list[tuple[int | None, int]],
    *,
    buyer: Any,
    buyer_workspace_id: int | None = None,
) -> Order:
    """Buy ``items`` (variant id, quantity) of ``listing``: stock taken, awaiting payment.
    Not committed; a refusal raises ``UserError`` and the caller rolls back."""
    check_purchasable(listing)
    for_workspace = buyer_workspace_for(buyer, buyer_workspace_id, listing)
    with sdk.in_workspace(listing.workspace_id):
        lines = []
        for variant_id, quantity in items:
            if quantity < 1 or quantity > 1000:
                raise sdk.UserError(
                    "invalid_quantity", sdk._("Choose a quantity from 1."), field="quantity"
                )
            variant = purchasable_variant(listing, variant_id)
            reserve_stock(listing, variant, quantity)
            price = variant.price if variant is not None and variant.price is not None else None
            lines.append(
                LineRequest(
                    label=f"{listing.title} — {variant.name}" if variant else listing.title,
                    quantity=quantity,
                    unit_price=Decimal(price if price is not None else listing.price),
                    vat_rate=Decimal(listing.vat_rate),
                    listing_id=listing.id,
                    variant_id=variant.id if variant else None,
                )
            )
        order = start_order(
            listing,
            "purchase",
            "awaiting_payment",
            buyer=buyer,
            buyer_workspace_id=for_workspace,
            expires_at=sdk.utcnow() + timedelta(days=settings().payment_days),
        )
        set_lines(order, lines)
        announce(order)
    return order
