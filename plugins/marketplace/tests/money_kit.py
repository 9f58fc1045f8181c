"""Helpers of the money part's tests: orders in a given state (the transactions part's
checkout is not needed to test paying, refunding and paying out), digital listings."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from itertools import count
from typing import Any

from ent_plugins.marketplace import pricing
from ent_plugins.marketplace.models import Order, OrderLine
from ent_plugins.marketplace.tests.conftest import make_listing

from ent_core import sdk
from ent_core.testing import sample_pdf

_numbers = count(1)


def digital_listing(seller: Any, title: str = "Guide de la vérification") -> Any:
    """A published PDF to download at 200 MAD HT."""
    stored = sdk.store_upload(sample_pdf("Guide"), allowed=("application/pdf",))
    return make_listing(
        seller,
        title,
        kind="product",
        delivery="download",
        unit="",
        price=Decimal("200.00"),
        file_token=stored.key,
        file_name="guide.pdf",
        category=_product_category(),
    )


def _product_category() -> str:
    from ent_plugins.marketplace.catalogues import DEFAULT_CATEGORIES

    return DEFAULT_CATEGORIES[0][0]


def make_order(
    seller: Any,
    buyer: Any,
    listing: Any,
    *,
    quantity: int = 1,
    status: str = "awaiting_payment",
    completed_at: datetime | None = None,
    commission_rate: Decimal = Decimal("0.10"),
    **fields: Any,
) -> Order:
    """An order of ``buyer`` for ``quantity`` of ``listing``, amounts from ``pricing``."""
    line = pricing.line_amounts(listing.price, quantity, listing.vat_rate)
    with sdk.all_workspaces():
        order = Order(
            workspace_id=seller.id,
            reference=f"MP-2026-{next(_numbers):06d}",
            process="purchase",
            status=status,
            buyer_id=buyer.id,
            subtotal=line.net,
            vat=line.vat,
            total=line.total,
            commission_rate=commission_rate,
            commission=pricing.commission(line.net, commission_rate),
            completed_at=completed_at,
            **fields,
        )
        order.lines.append(
            OrderLine(
                workspace_id=seller.id,
                listing_id=listing.id,
                label=listing.title,
                quantity=quantity,
                unit_price=listing.price,
                vat_rate=listing.vat_rate,
                net=line.net,
                vat=line.vat,
                total=line.total,
            )
        )
        sdk.db.session.add(order)
        sdk.db.session.commit()
    return order


def reload(order: Order) -> Order:
    with sdk.all_workspaces():
        sdk.db.session.expire_all()
        found = sdk.db.session.get(Order, order.id)
        assert found is not None
        return found
