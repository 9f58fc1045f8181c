"""How a public listing reads: in the reader's language, its prices, links and feed entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from ent_plugins.marketplace.catalogues import KINDS, UNITS, category_name
from ent_plugins.marketplace.models import Listing
from ent_plugins.marketplace.pricing import price_with_vat
from flask_babel import get_locale

from ent_core import sdk

SUMMARY_MAX = 300


@dataclass(frozen=True)
class ListingText:
    """The title and description to show, and the language they are in."""

    title: str
    description: str
    language: str


def reader_language() -> str:
    return str(get_locale() or "fr")[:2]


def text_for(listing: Listing, language: str | None = None) -> ListingText:
    """The seller's translation into the reader's language when there is one, else the
    listing's own text."""
    language = language or reader_language()
    if language != listing.language:
        for translation in listing.translations:
            if translation.language == language:
                return ListingText(translation.title, translation.description, language)
    return ListingText(listing.title, listing.description, listing.language)


def summary(text: str) -> str:
    """Plain text cut at a word, for cards, feeds and the API."""
    flat = " ".join(text.replace("*", "").replace("#", "").split())
    if len(flat) <= SUMMARY_MAX:
        return flat
    return flat[:SUMMARY_MAX].rsplit(" ", 1)[0] + "…"


@dataclass(frozen=True)
class PriceView:
    """HT, VAT and TTC of one unit; ``None`` everywhere for a listing sold on quote."""

    net: sdk.Money | None
    vat: sdk.Money | None
    gross: sdk.Money | None
    vat_rate: Decimal
    unit: str


def price_of(listing: Listing, amount: Decimal | None = None) -> PriceView:
    amount = listing.price if amount is None else amount
    unit = str(UNITS.get(listing.unit, "")) if listing.kind == "service" else ""
    if amount is None:
        return PriceView(None, None, None, listing.vat_rate, unit)
    gross = price_with_vat(amount, listing.vat_rate)
    return PriceView(
        sdk.Money(amount), sdk.Money(gross - amount), sdk.Money(gross), listing.vat_rate, unit
    )


def kind_label(listing: Listing) -> str:
    return str(KINDS.get(listing.kind, listing.kind))


def rating(listing: Listing) -> tuple[float | None, int]:
    """Average (one decimal) and count of the listing's published ratings."""
    if not listing.rating_count:
        return None, 0
    return round(listing.rating_sum / listing.rating_count, 1), listing.rating_count


def listing_url(listing: Listing) -> str:
    return sdk.external_url("marketplace_public.listing", listing_id=listing.id)


def storefront_url(slug: str) -> str:
    return sdk.external_url("marketplace_public.storefront", seller=slug)


def image_url(image: Any, thumb: bool = False) -> str:
    endpoint = "marketplace_public.thumbnail" if thumb else "marketplace_public.image"
    return sdk.external_url(endpoint, image_id=image.id)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def atom(listings: list[Listing], *, title: str, self_url: str, html_url: str) -> bytes:
    """The Atom document of new listings, newest first."""
    from feedgen.feed import FeedGenerator  # here: feedgen and lxml (~5 MB) load with a feed

    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(title)
    feed.link(href=self_url, rel="self", type="application/atom+xml")
    feed.link(href=html_url, rel="alternate", type="text/html")
    feed.author({"name": str(sdk._("Smart Médias ENT"))})
    moments = [_aware(item.published_at) for item in listings if item.published_at]
    feed.updated(max(moments, default=sdk.utcnow()))
    for listing in reversed(listings):  # feedgen prepends: oldest first keeps newest on top
        text = text_for(listing)
        entry = feed.add_entry()
        entry.id(f"urn:ent:marketplace:listing:{listing.id}")
        entry.title(text.title)
        entry.link(href=listing_url(listing), rel="alternate")
        published = _aware(listing.published_at or listing.created_at)
        entry.published(published)
        entry.updated(max(published, _aware(listing.updated_at)))
        entry.author({"name": listing.workspace.name})
        entry.summary(summary(text.description))
        entry.category(term=listing.category.code, label=category_name(listing.category))
    return feed.atom_str(pretty=True)  # type: ignore[no-any-return]
