"""Addresses of pages other parts own (an order's page, a listing's pages), for the reviews'
mails and redirects."""

from __future__ import annotations

from typing import Any

from flask import url_for

from ent_core import sdk


def order_url(order: Any, side: str, *, absolute: bool = False, slug: str | None = None) -> str:
    """The order's page for ``side`` (the buyer's or the seller's)."""
    if side == "buyer":
        endpoint, values = "marketplace_buyer.order", {"order_id": order.id}
    else:
        workspace = slug or order.workspace.slug
        endpoint, values = "marketplace.order", {"workspace": workspace, "order_id": order.id}
    return sdk.external_url(endpoint, **values) if absolute else url_for(endpoint, **values)


def listing_url(listing: Any, *, absolute: bool = True) -> str:
    """The listing's public page."""
    values = {"listing_id": listing.id}
    if absolute:
        return sdk.external_url("marketplace_public.listing", **values)
    return url_for("marketplace_public.listing", **values)


def seller_listing_url(listing: Any, slug: str) -> str:
    return url_for("marketplace.listing", workspace=slug, listing_id=listing.id)
