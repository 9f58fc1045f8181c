""" "Promote this listing": the seller asks, a module that listens (ads) drafts a campaign.

The marketplace announces ``listing.promotion_requested`` and knows nothing of who hears it;
the button shows only where someone does (``sdk.event_heard``), so it never leads nowhere.
"""

from __future__ import annotations

import re
from typing import Any

from ent_plugins.marketplace.models import Listing
from ent_plugins.marketplace.review_links import listing_url

from ent_core import sdk

PROMOTION = "listing.promotion_requested"

EVENT_TYPES = [
    sdk.EventType(
        PROMOTION,
        "A seller asked to promote a published listing (the ads module drafts a campaign).",
        {
            "listing_id": sdk.EventField(int, "the listing's id"),
            "title": sdk.EventField(str, "the listing's title"),
            "url": sdk.EventField(str, "the listing's absolute public address"),
            "summary": sdk.EventField(str, "a plain-text summary of its description"),
            "category": sdk.EventField(str, "the marketplace category's code"),
            "sector": sdk.EventField(str, "the sector code of the category"),
            "price": sdk.EventField(str, "HT price in MAD as a decimal string", optional=True),
            "image_key": sdk.EventField(
                str, "its first picture's upload key, to copy it (sdk.open_upload)", optional=True
            ),
            "requested_by": sdk.EventField(int, "the user id of who asked"),
        },
    )
]


def may_promote(listing: Listing) -> bool:
    """A published listing, in a workspace where some module hears the request."""
    return listing.status == "published" and sdk.event_heard(PROMOTION, workspace=listing.workspace)


def _summary(markdown: str) -> str:
    text = re.sub(r"[*_`#>\[\]()!]", "", markdown or "")
    return " ".join(text.split())[:300]


def request_promotion(listing: Listing, user: Any) -> None:
    """Emit the request inside the transaction (the caller commits)."""
    payload = {
        "listing_id": listing.id,
        "title": listing.title,
        "url": listing_url(listing),
        "summary": _summary(listing.description),
        "category": listing.category.code,
        "sector": listing.sector,
        "price": None if listing.price is None else str(listing.price),
        "image_key": listing.images[0].file_token if listing.images else None,
        "requested_by": user.id,
    }
    sdk.emit(PROMOTION, workspace=listing.workspace, **payload)
    sdk.audit("marketplace.listing.promotion_requested", subject=f"listing:{listing.id}")
