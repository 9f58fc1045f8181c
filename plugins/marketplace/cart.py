"""The buyer's cart: items of ONE seller, kept in the session until checkout.

An item is ``{"listing_id", "variant_id", "quantity"}``; adding an item of another seller
is refused (409 ``other_seller``) unless the buyer says to replace the cart. Listings sold
on quote and bookings never go in the cart (inquiries and bookings have their own forms).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ent_plugins.marketplace import pricing
from ent_plugins.marketplace.checkout import check_purchasable, purchasable_variant, purchase
from ent_plugins.marketplace.models import Listing, ListingVariant, Order
from ent_plugins.marketplace.orders import orderable_listing
from flask import session

KEY = "marketplace_cart"


@dataclass(frozen=True)
class CartLine:
    """An item of the cart as shown: the listing, its option, amounts at today's price."""

    index: int
    listing: Listing
    variant: ListingVariant | None
    quantity: int
    unit_price: Decimal
    amounts: pricing.LineAmounts


def items() -> list[dict[str, Any]]:
    return list(session.get(KEY, {}).get("items", []))


def seller_id() -> int | None:
    return session.get(KEY, {}).get("seller_id")


def _save(seller: int | None, entries: list[dict[str, Any]]) -> None:
    if not entries:
        session.pop(KEY, None)
    else:
        session[KEY] = {"seller_id": seller, "items": entries}


def add(listing_id: int, variant_id: int | None, quantity: int, *, replace: bool = False) -> None:
    """Put an item in the cart (same listing and option: quantities add up)."""
    from ent_core import sdk

    listing = orderable_listing(listing_id)
    check_purchasable(listing)
    purchasable_variant(listing, variant_id)
    if not 1 <= quantity <= 1000:
        raise sdk.UserError(
            "invalid_quantity", sdk._("Choose a quantity from 1."), field="quantity"
        )
    current = seller_id()
    entries = items()
    if current is not None and current != listing.workspace_id:
        if not replace:
            raise sdk.UserError(
                "other_seller",
                sdk._(
                    "Your cart holds another seller's items: a cart is bought from one "
                    "seller at a time. Replace it?"
                ),
                409,
            )
        entries = []
    for entry in entries:
        if entry["listing_id"] == listing.id and entry["variant_id"] == variant_id:
            entry["quantity"] = min(entry["quantity"] + quantity, 1000)
            break
    else:
        entries.append({"listing_id": listing.id, "variant_id": variant_id, "quantity": quantity})
    _save(listing.workspace_id, entries)


def remove(index: int) -> None:
    entries = items()
    if 0 <= index < len(entries):
        del entries[index]
    _save(seller_id(), entries)


def clear() -> None:
    session.pop(KEY, None)


def lines() -> list[CartLine]:
    """The cart as it stands (items whose listing left the marketplace are dropped)."""
    from ent_core import sdk

    shown = []
    kept = []
    for entry in items():
        with sdk.all_workspaces():
            listing = sdk.db.session.get(Listing, entry["listing_id"])
        if listing is None or listing.status != "published" or listing.price is None:
            continue
        variant = next(
            (v for v in listing.variants if v.id == entry["variant_id"] and v.active), None
        )
        if entry["variant_id"] is not None and variant is None:
            continue
        price = Decimal(variant.price if variant and variant.price is not None else listing.price)
        kept.append(entry)
        shown.append(
            CartLine(
                len(shown),
                listing,
                variant,
                entry["quantity"],
                price,
                pricing.line_amounts(price, entry["quantity"], Decimal(listing.vat_rate)),
            )
        )
    if len(kept) != len(items()):
        _save(seller_id(), kept)
    return shown


def check_out(buyer: Any, buyer_workspace_id: int | None) -> Order:
    """Buy the whole cart in one order (not committed; the cart empties once it commits)."""
    from ent_core import sdk

    entries = items()
    if not entries:
        raise sdk.UserError("empty_cart", sdk._("Your cart is empty."))
    listing = orderable_listing(entries[0]["listing_id"])
    others = [e for e in entries if e["listing_id"] != listing.id]
    order = purchase(
        listing,
        [(e["variant_id"], e["quantity"]) for e in entries if e["listing_id"] == listing.id],
        buyer=buyer,
        buyer_workspace_id=buyer_workspace_id,
    )
    # Items of other listings of the same seller join the same order.
    for entry in others:
        extra = orderable_listing(entry["listing_id"])
        if extra.workspace_id != listing.workspace_id:
            continue
        add_to_order(order, extra, entry["variant_id"], entry["quantity"])
    return order


def add_to_order(order: Order, listing: Listing, variant_id: int | None, quantity: int) -> None:
    """Another listing of the same seller in a purchase being placed."""
    from ent_plugins.marketplace.checkout import LineRequest, reserve_stock, set_lines

    from ent_core import sdk

    check_purchasable(listing)
    with sdk.in_workspace(order.workspace_id):
        variant = purchasable_variant(listing, variant_id)
        reserve_stock(listing, variant, quantity)
        price = Decimal(variant.price if variant and variant.price is not None else listing.price)
        existing = [
            LineRequest(
                line.label,
                line.quantity,
                Decimal(line.unit_price),
                Decimal(line.vat_rate),
                line.listing_id,
                line.variant_id,
            )
            for line in order.lines
        ]
        label = f"{listing.title} — {variant.name}" if variant else listing.title
        existing.append(
            LineRequest(
                label,
                quantity,
                price,
                Decimal(listing.vat_rate),
                listing.id,
                variant.id if variant else None,
            )
        )
        set_lines(order, existing)
