"""The public, read-only marketplace API (``/api/v1/marketplace/...``, no token): listings
with the search page's filters, one listing, the categories."""

from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import Decimal
from typing import Any

from ent_plugins.marketplace import listing_display as display
from ent_plugins.marketplace import search
from ent_plugins.marketplace.catalogues import category_name
from ent_plugins.marketplace.categories import active_categories
from ent_plugins.marketplace.models import Listing
from flask import jsonify, request
from pydantic import Field
from sqlalchemy.orm import selectinload

from ent_core import sdk

TAGS = ("marketplace",)


class SellerOut(sdk.ApiModel):
    slug: str
    name: str
    url: str = Field(description="The seller's public storefront.")


class RatingOut(sdk.ApiModel):
    average: float | None = Field(description="Out of 5, one decimal; null without ratings.")
    count: int


class ImageOut(sdk.ApiModel):
    url: str
    thumbnail_url: str
    alt: str


class VariantOut(sdk.ApiModel):
    id: int
    name: str
    price: sdk.Money | None
    price_with_vat: sdk.Money | None
    stock: int | None


class PublicListingOut(sdk.ApiModel):
    id: int
    kind: str = Field(description="`product`, `service` or `booking`.")
    delivery: str = Field(description="Products: `physical` or `digital`.")
    unit: str = Field(description="Services: `hour`, `day` or `package`.")
    title: str
    description: str = Field(description="Markdown source, in `language`.")
    language: str
    category: str = Field(description="The category's code.")
    sector: str
    price: sdk.Money | None = Field(description="HT, one unit; null: on quote.")
    vat_rate: str = Field(description="A fraction: `0.2000` is 20 %.")
    price_with_vat: sdk.Money | None = Field(description="TTC, one unit; null: on quote.")
    stock: int | None = Field(description="Units left; null: not counted.")
    location: str
    rating: RatingOut
    seller: SellerOut
    images: list[ImageOut]
    variants: list[VariantOut]
    published_at: datetime | None
    url: str = Field(description="The listing's public page.")


class CategoryOut(sdk.ApiModel):
    code: str
    sector: str
    name: str = Field(description="In the request's language (`?lang=`).")
    names: dict[str, str]
    listings: int = Field(description="Listings the public sees in it.")


class CategoriesOut(sdk.ApiModel):
    items: list[CategoryOut]


class ListingsQuery(sdk.PageQuery):
    q: str | None = Field(default=None, max_length=200, description="Words, any language.")
    kind: str | None = Field(default=None, pattern="^(product|service|booking)$")
    category: str | None = Field(default=None, max_length=40)
    sector: str | None = Field(default=None, max_length=40)
    location: str | None = Field(default=None, max_length=120)
    price_min: Decimal | None = Field(default=None, ge=0, description="HT, MAD.")
    price_max: Decimal | None = Field(default=None, ge=0, description="HT, MAD.")
    min_rating: int | None = Field(default=None, ge=1, le=5)


def _money(amount: Decimal | None) -> sdk.Money | None:
    return None if amount is None else sdk.Money(amount)


def _gross(listing: Listing, amount: Decimal | None) -> sdk.Money | None:
    return display.price_of(listing, amount).gross


def listing_json(listing: Listing) -> PublicListingOut:
    average, count = display.rating(listing)
    slug = listing.workspace.slug
    return PublicListingOut(
        id=listing.id,
        kind=listing.kind,
        delivery=listing.delivery,
        unit=listing.unit,
        title=listing.title,
        description=listing.description,
        language=listing.language,
        category=listing.category.code,
        sector=listing.sector,
        price=_money(listing.price),
        vat_rate=str(listing.vat_rate),
        price_with_vat=_gross(listing, listing.price),
        stock=listing.stock,
        location=listing.location,
        rating=RatingOut(average=average, count=count),
        seller=SellerOut(slug=slug, name=listing.workspace.name, url=display.storefront_url(slug)),
        images=[
            ImageOut(
                url=display.image_url(i), thumbnail_url=display.image_url(i, True), alt=i.alt_text
            )
            for i in listing.images
        ],
        variants=[
            VariantOut(
                id=v.id,
                name=v.name,
                price=_money(v.price if v.price is not None else listing.price),
                price_with_vat=_gross(listing, v.price),
                stock=v.stock,
            )
            for v in listing.variants
            if v.active
        ],
        published_at=listing.published_at,
        url=display.listing_url(listing),
    )


def _cacheable(data: Any) -> Any:
    response = jsonify(data)
    response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
    response.headers["Cache-Control"] = "public, no-cache"
    return response.make_conditional(request)


@sdk.api_operation(
    summary="Listings of the public marketplace",
    description=(
        "What `/marketplace/search` finds, newest published first, no token needed. Filters: "
        "`q` (full text, accents and Arabic marks ignored), `kind`, `category`, `sector`, "
        "`location`, `price_min`/`price_max` (HT), `min_rating`."
    ),
    query=ListingsQuery,
    response=sdk.Page[PublicListingOut],
    tags=TAGS,
    auth=False,
)
@sdk.all_workspaces()
def public_listings(query: ListingsQuery) -> Any:
    filters = search.SearchFilters(
        q=query.q or "",
        kind=query.kind,
        category=query.category,
        sector=query.sector,
        location=query.location or "",
        price_min=query.price_min,
        price_max=query.price_max,
        min_rating=query.min_rating,
    )
    page = sdk.paginate(
        search.with_cards(search.filtered(filters)).options(selectinload(Listing.variants)),
        key=Listing.id,
        descending=True,
        query=query,
        serialize=lambda rows: [listing_json(r).model_dump(mode="json") for r in rows],
    )
    return _cacheable(page)


@sdk.api_operation(
    summary="One listing of the public marketplace",
    response=PublicListingOut,
    tags=TAGS,
    errors=(404,),
    auth=False,
)
@sdk.all_workspaces()
def public_listing(listing_id: int) -> Any:
    from ent_plugins.marketplace.visibility import visible_listings

    statement = search.with_cards(visible_listings().where(Listing.id == listing_id))
    found = sdk.db.session.scalar(statement.options(selectinload(Listing.variants)))
    if found is None:
        raise sdk.ApiError("not_found", sdk._("No such listing on the marketplace."), 404)
    return _cacheable(listing_json(found).model_dump(mode="json"))


@sdk.api_operation(
    summary="Categories of the marketplace",
    description="Active categories in the operator's order, with their visible listings.",
    response=CategoriesOut,
    tags=TAGS,
    auth=False,
)
def public_categories() -> Any:
    counts = search.category_counts()
    items = [
        CategoryOut(
            code=c.code,
            sector=c.sector,
            name=category_name(c),
            names={k: str(v) for k, v in (c.names or {}).items()},
            listings=counts.get(c.id, 0),
        )
        for c in active_categories()
    ]
    return _cacheable(CategoriesOut(items=items).model_dump(mode="json"))
