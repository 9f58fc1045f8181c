"""Addresses of pages other parts own (an order's page, a listing's public page).

While a part is not merged yet its endpoint is missing: the address then falls back to the
nearest page that exists, so mails and redirects never break.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import BuildError

from ent_core import sdk

PUBLIC_LISTING = "marketplace_public.listing"


def _first(candidates: list[tuple[str, dict[str, Any]]], absolute: bool) -> str:
    from flask import url_for

    for endpoint, values in candidates:
        try:
            return sdk.external_url(endpoint, **values) if absolute else url_for(endpoint, **values)
        except BuildError:
            continue
    raise BuildError(candidates[-1][0], candidates[-1][1], "GET")


def order_url(order: Any, side: str, *, absolute: bool = False, slug: str | None = None) -> str:
    """The order's page for ``side`` (the buyer's or the seller's)."""
    if side == "buyer":
        candidates = [("marketplace_buyer.order", {"order_id": order.id})]
        candidates.append(("marketplace_public.trust", {}))
    else:
        workspace = slug or order.workspace.slug
        candidates = [
            ("marketplace.order", {"workspace": workspace, "order_id": order.id}),
            ("marketplace.index", {"workspace": workspace}),
        ]
    return _first(candidates, absolute)


def listing_url(listing: Any, *, absolute: bool = True) -> str:
    """The listing's public page (``/marketplace/listings/<id>`` until that page exists)."""
    try:
        return _first([(PUBLIC_LISTING, {"listing_id": listing.id})], absolute)
    except BuildError:
        path = f"/marketplace/listings/{listing.id}"
        return sdk.external_url("marketplace_public.trust").replace("/marketplace/trust", path)


def seller_listing_url(listing: Any, slug: str) -> str:
    return _first(
        [
            ("marketplace.listing", {"workspace": slug, "listing_id": listing.id}),
            ("marketplace.index", {"workspace": slug}),
        ],
        absolute=False,
    )
