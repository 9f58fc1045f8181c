"""Helpers of the reviews part's tests: completed orders, the API addresses, the panels."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from typing import Any

from ent_core import sdk

SELLER_API = "/api/v1/workspaces/factcheck-lab/marketplace/orders/{id}/reviews"
BUYER_API = "/api/v1/marketplace/orders/{id}/reviews"
SELLER_PAGE = "/w/factcheck-lab/marketplace/orders/{id}/reviews"
BUYER_PAGE = "/marketplace/orders/{id}/reviews"


def completed_order(
    seller: Any,
    buyer: Any,
    listing: Any,
    *,
    reference: str = "MP-2026-000001",
    completed_at: datetime | None = None,
    status: str = "completed",
) -> Any:
    """An order of ``listing`` that ``buyer`` placed and that completed (now unless told)."""
    from ent_plugins.marketplace.models import Order, OrderLine

    price = listing.price or Decimal("1500.00")
    with sdk.all_workspaces():
        order = Order(
            workspace_id=seller.id,
            reference=reference,
            process="purchase",
            status=status,
            buyer_id=buyer.id,
            subtotal=price,
            vat=price * Decimal("0.20"),
            total=price * Decimal("1.20"),
            completed_at=(completed_at or sdk.utcnow()) if status == "completed" else None,
        )
        order.lines.append(
            OrderLine(
                workspace_id=seller.id,
                listing_id=listing.id,
                label=listing.title,
                quantity=1,
                unit_price=price,
                vat_rate=Decimal("0.20"),
                net=price,
                vat=price * Decimal("0.20"),
                total=price * Decimal("1.20"),
            )
        )
        sdk.db.session.add(order)
        sdk.db.session.commit()
    return order


@contextmanager
def english(app: Any) -> Iterator[None]:
    """A request in English (the test's app context may hold the default language already)."""
    from flask_babel import refresh

    with app.test_request_context("/?lang=en"):
        refresh()
        yield


def panel(app: Any, name: str, client_user: Any = None, **context: Any) -> str:
    """What the reviews part shows in the shared panel ``name`` (as the owning page would)."""
    from ent_plugins.marketplace.parts import markup
    from flask_login import login_user

    with english(app):
        if client_user is not None:
            login_user(client_user)
        return str(markup(name, **context))


def figures(listing: Any) -> tuple[int, int, int, int]:
    """The listing's and the seller's (rating_sum, rating_count), read fresh."""
    from ent_plugins.marketplace.models import Listing, SellerProfile

    with sdk.all_workspaces():
        sdk.db.session.expire_all()
        row = sdk.db.session.get(Listing, listing.id)
        profile = sdk.db.session.scalar(
            sdk.db.select(SellerProfile).where(SellerProfile.workspace_id == listing.workspace_id)
        )
    assert row is not None
    return (
        row.rating_sum,
        row.rating_count,
        profile.rating_sum if profile else 0,
        profile.rating_count if profile else 0,
    )
