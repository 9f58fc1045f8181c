"""Helpers of the transactions' tests: listings with stock, variants and slots; orders."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ent_plugins.marketplace.models import Listing, ListingSlot, ListingVariant, Order
from ent_plugins.marketplace.tests.conftest import make_listing

from ent_core import sdk

BUYER_ROOT = "/api/v1/marketplace/orders"
SELLER_ROOT = "/api/v1/workspaces/factcheck-lab/marketplace/orders"


def product(seller: Any, stock: int | None = 10, **fields: Any) -> Listing:
    """A priced product of ``seller`` (a printed report at 200 MAD HT) with ``stock``."""
    from decimal import Decimal

    return make_listing(
        seller,
        fields.pop("title", "Rapport imprimé"),
        kind="product",
        unit="",
        delivery="physical",
        price=fields.pop("price_", Decimal("200.00")),
        stock=stock,
        **fields,
    )


def on_quote(seller: Any) -> Listing:
    return make_listing(seller, "Enquête sur mesure", price=None)


def variant(listing: Listing, name: str, stock: int | None, price: Any = None) -> ListingVariant:
    with sdk.in_workspace(listing.workspace_id):
        row = ListingVariant(
            workspace_id=listing.workspace_id,
            listing_id=listing.id,
            name=name,
            stock=stock,
            price=price,
        )
        sdk.db.session.add(row)
        sdk.db.session.commit()
    return row


def bookable(seller: Any, capacity: int = 2, hold_minutes: int = 0) -> tuple[Listing, ListingSlot]:
    """A booking listing (a workshop at 900 MAD HT) with one slot in a week."""
    from decimal import Decimal

    listing = make_listing(
        seller,
        "Atelier vérification",
        kind="booking",
        unit="",
        price=Decimal("900.00"),
        hold_minutes=hold_minutes,
    )
    with sdk.in_workspace(seller.id):
        slot = ListingSlot(
            workspace_id=seller.id,
            listing_id=listing.id,
            starts_at=sdk.utcnow() + timedelta(days=7),
            ends_at=sdk.utcnow() + timedelta(days=7, hours=3),
            capacity=capacity,
        )
        sdk.db.session.add(slot)
        sdk.db.session.commit()
    return listing, slot


def fresh(model: Any, row_id: int) -> Any:
    """The row as the database has it now."""
    sdk.db.session.expire_all()
    with sdk.all_workspaces():
        return sdk.db.session.get(model, row_id)


def order_row(order_id: int) -> Order:
    return fresh(Order, order_id)


def force(order_id: int, **values: Any) -> None:
    """Put an order in a state for a test (arrange only; steps go through the API)."""
    with sdk.all_workspaces():
        sdk.db.session.execute(sdk.db.update(Order).where(Order.id == order_id).values(**values))
        sdk.db.session.commit()
