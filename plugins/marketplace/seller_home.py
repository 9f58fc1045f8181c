"""What the seller's home shows: the parts' cards and the steps left before selling.

The cards come from every part's ``home_sections(workspace)``; the checklist reads what exists
(a storefront, a listing, a payout account) so it never disagrees with the other pages. A
step links to the page that does it when that page exists (parts arrive one by one).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ent_plugins.marketplace.models import Listing, SellerProfile
from ent_plugins.marketplace.parts import collect
from flask import current_app, url_for

from ent_core import sdk


@dataclass(frozen=True)
class Card:
    """A part's card: its label, where it leads (``None`` when that page is missing), a count."""

    label: Any
    url: str | None
    count: int | None


@dataclass(frozen=True)
class Step:
    """A step of "getting started": done or not, and the page that does it."""

    label: Any
    done: bool
    url: str | None


#: Where each step is done, by the first endpoint that exists (the parts name their pages).
STOREFRONT_PAGES = ("marketplace.discovery_storefront",)
LISTING_PAGES = ("marketplace.listing_new", "marketplace.listings")
PAYOUT_PAGES = ("marketplace.money_payouts",)


def link(endpoint: str, **values: Any) -> str | None:
    """``url_for`` when the endpoint is registered, else ``None`` (a part not merged yet)."""
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **values)


def first_link(endpoints: tuple[str, ...], **values: Any) -> str | None:
    for endpoint in endpoints:
        found = link(endpoint, **values)
        if found:
            return found
    return None


def cards(sections: list[Any], **values: Any) -> list[Card]:
    """``(label, endpoint, count)`` answers as cards, linked when the endpoint exists."""
    return [Card(label, link(endpoint, **values), count) for label, endpoint, count in sections]


def seller_cards(workspace: Any) -> list[Card]:
    return cards(collect("home_sections", workspace), workspace=workspace.slug)


def getting_started(workspace: Any) -> list[Step]:
    """Storefront, first listing, payout account: what a seller does before the first sale.
    Runs in the seller's workspace (scoped statements)."""
    profile = sdk.db.session.scalar(sdk.scoped(SellerProfile).limit(1))
    listing = sdk.db.session.scalar(sdk.scoped(Listing).limit(1))
    slug = workspace.slug
    return [
        Step(
            sdk._("Present your storefront: a tagline and a few words about you"),
            bool(profile and (profile.tagline or profile.about)),
            first_link(STOREFRONT_PAGES, workspace=slug),
        ),
        Step(
            sdk._("Create your first listing"),
            listing is not None,
            first_link(LISTING_PAGES, workspace=slug),
        ),
        Step(
            sdk._("Give the account your payouts are sent to"),
            bool(profile and profile.payout_rib),
            first_link(PAYOUT_PAGES, workspace=slug),
        ),
    ]
