"""New listings outside the marketplace: items of the sector portal, and boxes of the latest
listings in the portal's sidebar and on the sites of publications that sell too.

- ``portal.sidebar``: the latest listings of the portal page's sector (all on its home).
- ``publishing.article.aside`` and ``publishing.home.classifieds``: on a publication's site,
  only where the marketplace is on for the publication's workspace (it sells there), the
  latest listings of the article's sector, else the publication's.
The box's markup depends only on the listings (no token, no relative time), so the portal's
ETag changes only when they do.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ent_plugins.marketplace import listing_display as display
from ent_plugins.marketplace import search
from ent_plugins.marketplace.catalogues import category_name
from ent_plugins.marketplace.models import Listing
from ent_plugins.marketplace.visibility import is_public_seller
from flask import render_template
from markupsafe import Markup

from ent_core import sdk

BOX_SIZE = 5
SLOTS = ("portal.sidebar", "publishing.article.aside", "publishing.home.classifieds")


@sdk.all_workspaces()
def _newest(sector: str | None, limit: int, before: datetime | None = None) -> list[Listing]:
    statement = search.filtered(search.SearchFilters(sector=sector))
    if before is not None:
        statement = statement.where(Listing.published_at < before)
    statement = search.with_cards(search.ordered(statement, "newest"))
    return list(sdk.db.session.scalars(statement.limit(limit)))


def portal_items(sector: str | None, limit: int, before: datetime | None) -> list[Any]:
    """The newest visible listings as portal items, newest first."""
    items = []
    for listing in _newest(sector, limit, before):
        text = display.text_for(listing, listing.language)
        thumb = listing.images[0] if listing.images else None
        items.append(
            sdk.PortalItem(
                key=f"marketplace:listing:{listing.id}",
                title=text.title,
                url=display.listing_url(listing),
                published_at=listing.published_at or listing.created_at,
                sector=listing.sector,
                workspace_name=listing.workspace.name,
                summary=display.summary(text.description),
                language=text.language,
                kind="listing",
                image_url=display.image_url(thumb, thumb=True) if thumb else None,
            )
        )
    return items


def _site_sector(context: dict[str, Any]) -> str | None:
    """The article's first sector, else the publication's."""
    article = context.get("article")
    codes = list(getattr(article, "sectors", None) or [])
    if codes:
        return str(getattr(codes[0], "code", codes[0]))
    workspace = sdk.current_workspace()
    sectors = list(getattr(workspace, "sectors", None) or [])
    return sectors[0].code if sectors else None


def slot_markup(slot: str, context: dict[str, Any]) -> Markup | None:
    """The box for ``slot``, or None (nothing to show, or not a slot of ours)."""
    if slot not in SLOTS:
        return None
    if slot == "portal.sidebar":
        sector = context.get("sector")
    else:
        workspace = sdk.current_workspace()
        if workspace is None or not is_public_seller(workspace.id):
            return None
        sector = _site_sector(context)
        if sector is None:
            return None
    listings = _newest(sector, BOX_SIZE)
    if not listings:
        return None
    html = render_template(
        "marketplace/discovery/_box.html",
        listings=listings,
        sector=sector,
        slot=slot,
        display=display,
        category_name=category_name,
        sector_label=sdk.sector_label,
    )
    return Markup(html)  # noqa: S704 - a template rendered with autoescape
