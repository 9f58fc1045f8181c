"""Discovery's answers to the marketplace's shared hooks: public pages, search, feeds, the
public API, the portal's items, the boxes in other pages' slots and the storefront card."""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace import search_text  # noqa: F401 - keeps search documents current

from ent_core import sdk


def routes(bps: Any) -> None:
    from ent_plugins.marketplace.api import discovery as api
    from ent_plugins.marketplace.views import discovery_public as public
    from ent_plugins.marketplace.views import discovery_storefront as storefront

    market = bps.market.add_url_rule
    market("/", "index", public.index)
    market("/search", "search", public.search_view)
    market("/c/<code>", "category", public.category)
    market("/sectors/<sector>", "sector", public.sector)
    market("/listings/<int:listing_id>", "listing", public.listing)
    market("/sellers/<seller>", "storefront", public.storefront)
    market("/images/<int:image_id>", "image", public.image)
    market("/images/<int:image_id>/thumb", "thumbnail", public.thumbnail)
    market("/feed.atom", "feed", public.feed)
    market("/c/<code>/feed.atom", "category_feed", public.category_feed)
    bps.members.add_url_rule(
        "/storefront",
        "discovery_storefront",
        storefront.edit_storefront,
        methods=["GET", "POST"],
    )
    public_api = bps.public_api.add_url_rule
    public_api("/listings", "listings", api.public_listings, methods=["GET"])
    public_api("/listings/<int:listing_id>", "listing", api.public_listing, methods=["GET"])
    public_api("/categories", "categories", api.public_categories, methods=["GET"])


def portal_items(sector: str | None, limit: int, before: Any) -> list[Any]:
    from ent_plugins.marketplace.discovery_slots import portal_items as items

    return items(sector, limit, before)


def template_slot(slot: str, context: dict[str, Any]) -> list[Any]:
    from ent_plugins.marketplace.discovery_slots import slot_markup

    found = slot_markup(slot, context)
    return [found] if found is not None else []


def home_sections(workspace: Any) -> list[Any]:
    """The storefront card on the seller's marketplace home."""
    return [(sdk._l("Storefront"), "marketplace.discovery_storefront", None)]
