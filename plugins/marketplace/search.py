"""The public catalogue: filters, sorts and pages of visible listings, and the home's blocks.

Every query starts from ``visibility.visible_listings()``; a page loads its cards' pictures,
sellers, categories and translations in one query each, so the number of statements does not
grow with the listings shown or stored (a test and ``bench/marketplace_discovery.py`` check).
Prices filter on the HT price (what sellers type; "on quote" listings have none).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from ent_plugins.marketplace import search_text
from ent_plugins.marketplace.catalogues import KINDS
from ent_plugins.marketplace.models import Listing, MarketplaceCategory
from ent_plugins.marketplace.visibility import visible_listings
from sqlalchemy import func, nulls_last, select
from sqlalchemy.orm import joinedload, selectinload

from ent_core import sdk

PAGE_SIZE = 24
HOME_SIZE = 8
MAX_PAGE = 500
SORTS: dict[str, Any] = {
    "newest": sdk._l("Newest first"),
    "price_asc": sdk._l("Price: low to high"),
    "price_desc": sdk._l("Price: high to low"),
    "rating": sdk._l("Best rated"),
}


#: Seconds the category counts are kept: counting 50,000 listings on every home page would
#: cost more than the rest of the page; a count a minute old misleads nobody (the listings
#: themselves are always read fresh through ``visible_listings``).
COUNTS_TTL = 60


@dataclass(frozen=True)
class SearchFilters:
    """What a search asks for; ``None``/empty means "any"."""

    q: str = ""
    kind: str | None = None
    category: str | None = None
    sector: str | None = None
    location: str = ""
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    min_rating: int | None = None
    sort: str = "newest"
    #: One seller's listings (a storefront), by workspace id.
    seller_id: int | None = None

    def with_(self, **changes: Any) -> SearchFilters:
        return replace(self, **changes)


def _decimal(value: str | None) -> Decimal | None:
    try:
        amount = Decimal((value or "").strip().replace(",", "."))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() and amount >= 0 else None


def _rating(value: str | None) -> int | None:
    return int(value) if value in {"1", "2", "3", "4", "5"} else None


def filters_from(args: Any) -> SearchFilters:
    """Filters from a query string (web page or API); values that make no sense are dropped."""
    kind = args.get("kind") or None
    sort = args.get("sort") or "newest"
    return SearchFilters(
        q=(args.get("q") or "").strip()[:200],
        kind=kind if kind in KINDS else None,
        category=(args.get("category") or "").strip()[:40] or None,
        sector=(args.get("sector") or "").strip()[:40] or None,
        location=(args.get("location") or "").strip()[:120],
        price_min=_decimal(args.get("price_min")),
        price_max=_decimal(args.get("price_max")),
        min_rating=_rating(args.get("min_rating")),
        sort=sort if sort in SORTS else "newest",
    )


def filtered(filters: SearchFilters) -> Any:
    """``select(Listing)`` of the visible listings matching ``filters`` (no order)."""
    statement = visible_listings()
    if filters.seller_id is not None:
        statement = statement.where(Listing.workspace_id == filters.seller_id)
    if filters.kind:
        statement = statement.where(Listing.kind == filters.kind)
    if filters.sector:
        statement = statement.where(Listing.sector == filters.sector)
    if filters.category:
        codes = select(MarketplaceCategory.id).where(MarketplaceCategory.code == filters.category)
        statement = statement.where(Listing.category_id.in_(codes.scalar_subquery()))
    if filters.location:
        statement = statement.where(Listing.location.icontains(filters.location, autoescape=True))
    if filters.price_min is not None:
        statement = statement.where(Listing.price >= filters.price_min)
    if filters.price_max is not None:
        statement = statement.where(Listing.price <= filters.price_max)
    if filters.min_rating is not None:
        # The stored average (rounded) bounds the index range; the sum keeps it exact
        # (an average of 2.996 is not "3 and more").
        statement = statement.where(
            Listing.rating_average >= filters.min_rating,
            Listing.rating_sum >= filters.min_rating * Listing.rating_count,
        )
    return search_text.match(statement, filters.q)


def ordered(statement: Any, sort: str) -> Any:
    newest = (Listing.published_at.desc(), Listing.id.desc())
    if sort == "price_asc":
        return statement.order_by(nulls_last(Listing.price.asc()), *newest)
    if sort == "price_desc":
        return statement.order_by(nulls_last(Listing.price.desc()), *newest)
    if sort == "rating":
        # The keys of ``ix_marketplace_listing_rating``, in its order: an index read.
        return statement.order_by(
            nulls_last(Listing.rating_average.desc()), Listing.rating_count.desc(), *newest
        )
    return statement.order_by(*newest)


def with_cards(statement: Any) -> Any:
    """Load what a listing's card shows, one query per relationship."""
    return statement.options(
        selectinload(Listing.images),
        selectinload(Listing.translations),
        selectinload(Listing.workspace),
        joinedload(Listing.category),
    )


@sdk.all_workspaces()
def search_page(filters: SearchFilters, page: int = 1) -> tuple[list[Listing], bool]:
    """One page of results and whether another follows (no total: no count of 50,000 rows)."""
    page = max(1, min(page, MAX_PAGE))
    statement = with_cards(ordered(filtered(filters), filters.sort))
    rows = list(
        sdk.db.session.scalars(statement.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1))
    )
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


@sdk.all_workspaces()
def newest(limit: int = HOME_SIZE, filters: SearchFilters | None = None) -> list[Listing]:
    statement = with_cards(ordered(filtered(filters or SearchFilters()), "newest"))
    return list(sdk.db.session.scalars(statement.limit(limit)))


@sdk.all_workspaces()
def best_rated(limit: int = HOME_SIZE) -> list[Listing]:
    """The best rated listings, read fresh: the rating index gives them in order (no
    ranking of every rated listing, so nothing to keep in the cache)."""
    statement = filtered(SearchFilters()).where(Listing.rating_average.is_not(None))
    statement = with_cards(ordered(statement, "rating"))
    return list(sdk.db.session.scalars(statement.limit(limit)))


@sdk.all_workspaces()
def _count_categories() -> dict[str, int]:
    visible = visible_listings().with_only_columns(Listing.category_id, func.count(Listing.id))
    rows = sdk.db.session.execute(visible.group_by(Listing.category_id))
    return {str(category_id): count for category_id, count in rows}


def category_counts() -> dict[int, int]:
    """Visible listings per category id (one grouped query, kept ``COUNTS_TTL`` seconds)."""
    kept = sdk.cache.get_or_set(
        "discovery:category_counts", _count_categories, ttl=COUNTS_TTL, workspace=None
    )
    return {int(category_id): count for category_id, count in kept.items()}


def categories_by_sector(
    categories: list[MarketplaceCategory], counts: dict[int, int]
) -> list[tuple[str, list[tuple[MarketplaceCategory, int]]]]:
    """Active categories grouped by sector, in the operator's order, with their counts."""
    groups: dict[str, list[tuple[MarketplaceCategory, int]]] = {}
    for category in categories:
        groups.setdefault(category.sector, []).append((category, counts.get(category.id, 0)))
    return list(groups.items())
