""" "Promote this": another module's item becomes a draft campaign of the same workspace.

Publishing emits ``article.promotion_requested`` and the marketplace
``listing.promotion_requested``; these subscribers run inside the emitter's transaction
and draft a campaign with the item's title and link and a native creative (headline: the
title, text: the summary, picture: the cover when there is one). Nothing is spent or shown
until the workspace's advertisers check the draft, submit it and a moderator approves it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from ent_plugins.ads import campaigns, creatives
from ent_plugins.ads.models import Campaign
from ent_plugins.ads.settings import settings

from ent_core import sdk

#: The modules that announce them; without one installed its subscription is left out.
PUBLISHING = "publishing"
MARKETPLACE = "marketplace"
#: A promoted listing's ad category, from its sector (the ads module's categories).
SECTOR_CATEGORIES = {"it": "technology", "green": "energy", "education": "education"}
#: A promoted article's draft runs for two weeks from tomorrow unless the advertiser changes it.
DEFAULT_DAYS = 14


def _actor(user_id: int | None) -> Any:
    class _Someone:
        id = user_id
        is_authenticated = True

    return _Someone() if user_id else None


def draft_from_article(event: sdk.Event) -> None:
    """``article.promotion_requested`` (in the transaction): one draft per article while a
    draft of it is waiting; the emitter commits."""
    _draft(event.payload, f"publishing:article:{event.payload['article_id']}", "media")


def draft_from_listing(event: sdk.Event) -> None:
    """``listing.promotion_requested`` (in the transaction): the same for a marketplace
    listing; the landing page is the listing's public page."""
    category = SECTOR_CATEGORIES.get(event.payload.get("sector") or "", "media")
    _draft(event.payload, f"marketplace:listing:{event.payload['listing_id']}", category)


def _draft(payload: Any, source: str, category: str) -> None:
    """A draft campaign with a native creative, unless a draft of ``source`` waits."""
    waiting = sdk.db.session.scalar(
        sa.select(Campaign.id).where(Campaign.source == source, Campaign.status == "draft")
    )
    if waiting is not None:
        return
    starts = sdk.start_of_day(sdk.local_today() + timedelta(days=1))
    ends = sdk.start_of_day(sdk.local_today() + timedelta(days=1 + DEFAULT_DAYS))
    actor = _actor(payload["requested_by"])
    campaign = campaigns.create(
        {
            "name": payload["title"][:200],
            "landing_url": payload["url"],
            "starts_at": starts,
            "ends_at": ends,
            "budget": settings().minimum_budget,
            "category": category,
        },
        actor=actor,
        source=source,
    )
    image = _cover(payload.get("image_key"))
    creatives.create(
        campaign,
        name=payload["title"][:200],
        fmt="native",
        size=None,
        headline=_fit(payload["title"], creatives.HEADLINE_MAX),
        body=_fit(payload.get("summary") or "", creatives.BODY_MAX),
        alt_text=payload["title"][:200] if image else "",
        upload=image,
        upload_name="cover",
        actor=actor,
    )


def _fit(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _cover(key: str | None) -> bytes | None:
    """The cover's bytes, checked again as any upload would be; ``None`` if absent or
    refused (a draft without picture is still useful)."""
    if not key:
        return None
    try:
        with sdk.open_upload(key) as handle:
            raw = handle.read(creatives.MAX_IMAGE_BYTES + 1)
        creatives.check_native_image(raw)
    except (OSError, ValueError, sdk.UserError):
        return None
    return raw


def subscriptions() -> list[Any]:
    return [
        sdk.Subscription(
            "article.promotion_requested",
            draft_from_article,
            sdk.IN_TRANSACTION,
            emitter=PUBLISHING,
        ),
        sdk.Subscription(
            "listing.promotion_requested",
            draft_from_listing,
            sdk.IN_TRANSACTION,
            emitter=MARKETPLACE,
        ),
    ]
