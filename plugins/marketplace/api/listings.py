"""Listings through the seller's API: ``/api/v1/workspaces/<slug>/marketplace/listings``.

Create (a unit of ``marketplace_listings_per_month``), read, change, ``.../transitions``
(``submit`` and ``withdraw`` by the seller, ``approve`` and ``reject`` by platform
administrators), pictures (multipart), variants, slots and the file of a digital product.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from ent_plugins.marketplace import listing_approval as approval
from ent_plugins.marketplace import listing_lifecycle as lifecycle
from ent_plugins.marketplace.categories import category_by_code
from ent_plugins.marketplace.listing_images import image_of
from ent_plugins.marketplace.models import Listing
from ent_plugins.marketplace.permissions import MANAGE_LISTINGS
from ent_plugins.marketplace.pricing import price_with_vat
from flask import current_app
from pydantic import Field
from sqlalchemy.orm import selectinload

from ent_core import sdk

TAGS = ("marketplace",)
KIND = "^(product|service|booking)$"
LANGUAGE = "^(fr|ar|en)$"


class ImageOut(sdk.ApiModel):
    id: int
    url: str = Field(description="The picture (at most 1600 pixels a side).")
    thumb_url: str = Field(description="Its 400-pixel copy.")
    alt: str
    width: int
    height: int
    position: int


class VariantOut(sdk.ApiModel):
    id: int
    name: str
    price: sdk.Money | None = Field(description="HT; null: the listing's price.")
    stock: int | None = Field(description="Units left; null: not counted.")
    active: bool


class TranslationOut(sdk.ApiModel):
    language: str
    title: str
    description: str


class ChangesOut(sdk.ApiModel):
    price: sdk.Money | None = None
    category: str | None = None


class ListingOut(sdk.ApiModel):
    id: int
    kind: str = Field(description="`product`, `service` or `booking`.")
    delivery: str = Field(description="Products: `physical` or `digital`.")
    unit: str = Field(description="Services: `hour`, `day` or `package`.")
    title: str
    description: str = Field(description="Markdown.")
    language: str
    category: str = Field(description="The category's code.")
    sector: str
    price: sdk.Money | None = Field(description="HT, as approved; null: on quote.")
    vat_rate: Decimal = Field(description="A fraction: 0.20 is 20 %.")
    price_with_vat: sdk.Money | None
    stock: int | None
    location: str
    hold_minutes: int
    has_file: bool = Field(description="Digital products: the file to download is uploaded.")
    status: str = Field(
        description="`draft`, `pending`, `published`, `rejected`, `withdrawn`, `removed`."
    )
    rejection_reason: str
    pending_changes: ChangesOut | None = Field(
        description="A new price or category waiting for the platform's approval."
    )
    translations: list[TranslationOut]
    images: list[ImageOut]
    variants: list[VariantOut]
    allowed_transitions: list[str]
    url: str | None = Field(description="Its public page, once published.")
    created_at: datetime


class TranslationIn(sdk.ApiModel):
    language: str = Field(pattern=LANGUAGE)
    title: str = Field(min_length=1, max_length=lifecycle.TITLE_MAX)
    description: str = Field(default="", max_length=lifecycle.DESCRIPTION_MAX)


class ListingIn(sdk.ApiModel):
    kind: str = Field(pattern=KIND)
    delivery: str = Field(default="", pattern="^(|physical|digital)$")
    unit: str = Field(default="", pattern="^(|hour|day|package)$")
    title: str = Field(min_length=1, max_length=lifecycle.TITLE_MAX)
    description: str = Field(default="", max_length=lifecycle.DESCRIPTION_MAX)
    language: str = Field(default="fr", pattern=LANGUAGE)
    category: str = Field(max_length=40, description="A category's code.")
    price: sdk.Money | None = Field(default=None, description="HT in MAD; null: on quote.")
    vat_rate: Decimal | None = Field(default=None, ge=0, le=lifecycle.VAT_MAX)
    stock: int | None = Field(default=None, ge=0)
    location: str = Field(default="", max_length=lifecycle.LOCATION_MAX)
    hold_minutes: int = Field(default=0, ge=0, le=lifecycle.HOLD_MAX)
    translations: list[TranslationIn] = Field(default_factory=list)


class ListingPatch(sdk.ApiModel):
    kind: str | None = Field(default=None, pattern=KIND)
    delivery: str | None = Field(default=None, pattern="^(|physical|digital)$")
    unit: str | None = Field(default=None, pattern="^(|hour|day|package)$")
    title: str | None = Field(default=None, min_length=1, max_length=lifecycle.TITLE_MAX)
    description: str | None = Field(default=None, max_length=lifecycle.DESCRIPTION_MAX)
    language: str | None = Field(default=None, pattern=LANGUAGE)
    category: str | None = Field(default=None, max_length=40)
    price: sdk.Money | None = None
    vat_rate: Decimal | None = Field(default=None, ge=0, le=lifecycle.VAT_MAX)
    stock: int | None = Field(default=None, ge=0)
    location: str | None = Field(default=None, max_length=lifecycle.LOCATION_MAX)
    hold_minutes: int | None = Field(default=None, ge=0, le=lifecycle.HOLD_MAX)
    translations: list[TranslationIn] | None = None


class TransitionIn(sdk.ApiModel):
    transition: str = Field(description="`submit`, `withdraw`, `approve` or `reject`.")
    reason: str = Field(default="", max_length=approval.REASON_MAX, description="`reject`.")


class ListQuery(sdk.PageQuery):
    status: str | None = Field(
        default=None, pattern="^(draft|pending|published|rejected|withdrawn|removed)$"
    )


def _money(amount: Decimal | None) -> sdk.Money | None:
    return None if amount is None else sdk.Money(amount)


def _public_url(listing: Listing) -> str | None:
    if listing.status != "published":
        return None
    if "marketplace_public.listing" not in current_app.view_functions:
        return None
    return sdk.external_url("marketplace_public.listing", listing_id=listing.id)


def _image_url(listing: Listing, image_id: int, size: str) -> str:
    if listing.status == "published":
        return sdk.external_url(
            "marketplace_public.listings_image", listing_id=listing.id, image_id=image_id, size=size
        )
    return sdk.external_url(
        "marketplace_api.listings_image_file",
        workspace=listing.workspace.slug,
        listing_id=listing.id,
        image_id=image_id,
        size=size,
    )


def variant_json(variant: Any) -> VariantOut:
    return VariantOut(
        id=variant.id,
        name=variant.name,
        price=_money(variant.price),
        stock=variant.stock,
        active=variant.active,
    )


def _changes(listing: Listing) -> ChangesOut | None:
    changes = listing.pending_changes or {}
    if not changes:
        return None
    category = None
    if "category_id" in changes:
        from ent_plugins.marketplace.models import MarketplaceCategory

        row = sdk.db.session.get(MarketplaceCategory, int(changes["category_id"]))
        category = row.code if row is not None else None
    return ChangesOut(price=_money(lifecycle.pending_price(listing)), category=category)


def listing_json(listing: Listing) -> ListingOut:
    return ListingOut(
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
        vat_rate=listing.vat_rate,
        price_with_vat=None
        if listing.price is None
        else sdk.Money(price_with_vat(listing.price, listing.vat_rate)),
        stock=listing.stock,
        location=listing.location,
        hold_minutes=listing.hold_minutes,
        has_file=bool(listing.file_token),
        status=listing.status,
        rejection_reason=listing.rejection_reason,
        pending_changes=_changes(listing),
        translations=[
            TranslationOut(language=t.language, title=t.title, description=t.description)
            for t in listing.translations
        ],
        images=[
            ImageOut(
                id=i.id,
                url=_image_url(listing, i.id, "large"),
                thumb_url=_image_url(listing, i.id, "thumb"),
                alt=i.alt_text,
                width=i.width,
                height=i.height,
                position=i.position,
            )
            for i in listing.images
        ],
        variants=[variant_json(v) for v in listing.variants],
        allowed_transitions=lifecycle.allowed_transitions(listing),
        url=_public_url(listing),
        created_at=listing.created_at,
    )


def _category_id(code: str) -> int:
    category = category_by_code(code)
    if category is None or not category.active:
        raise sdk.UserError(
            "validation_error",
            sdk._("Choose one of the marketplace's categories."),
            422,
            field="category",
        )
    return category.id


def mad(price: sdk.Money | None) -> Decimal | None:
    """A price sent in JSON, in dirhams only (nothing converts currencies)."""
    if price is None:
        return None
    if price.currency != "MAD":
        raise sdk.UserError(
            "validation_error", sdk._("Give the price in dirhams (MAD)."), 422, field="price"
        )
    return price.amount


def _fields(body: ListingIn) -> lifecycle.ListingFields:
    return lifecycle.ListingFields(
        kind=body.kind,
        delivery=body.delivery,
        unit=body.unit,
        title=body.title,
        description=body.description,
        language=body.language,
        category_id=_category_id(body.category),
        price=mad(body.price),
        vat_rate=body.vat_rate,
        stock=body.stock,
        location=body.location,
        hold_minutes=body.hold_minutes,
        translations={t.language: (t.title, t.description) for t in body.translations},
    )


def _patched(listing: Listing, body: ListingPatch) -> lifecycle.ListingFields:
    """The listing's values as its seller last asked, with the body's on top."""
    sent = body.model_fields_set
    current = lifecycle.ListingFields(
        kind=listing.kind,
        delivery=listing.delivery,
        unit=listing.unit,
        title=listing.title,
        description=listing.description,
        language=listing.language,
        category_id=lifecycle.pending_category_id(listing),
        price=lifecycle.pending_price(listing),
        vat_rate=listing.vat_rate,
        stock=listing.stock,
        location=listing.location,
        hold_minutes=listing.hold_minutes,
        translations={t.language: (t.title, t.description) for t in listing.translations},
    )
    for name in ("kind", "delivery", "unit", "title", "description", "language", "location"):
        if name in sent and getattr(body, name) is not None:
            setattr(current, name, getattr(body, name))
    for name in ("vat_rate", "hold_minutes"):
        if name in sent and getattr(body, name) is not None:
            setattr(current, name, getattr(body, name))
    if "stock" in sent:
        current.stock = body.stock
    if "price" in sent:
        current.price = mad(body.price)
    if "category" in sent and body.category is not None:
        current.category_id = _category_id(body.category)
    if "translations" in sent and body.translations is not None:
        current.translations = {t.language: (t.title, t.description) for t in body.translations}
    return current


def _loaded() -> Any:
    return sdk.scoped(Listing).options(
        selectinload(Listing.images),
        selectinload(Listing.variants),
        selectinload(Listing.translations),
        selectinload(Listing.category),
    )


@sdk.require_permission(MANAGE_LISTINGS)
@sdk.api_operation(
    summary="List the workspace's listings",
    description="Newest first; `status` filters.",
    query=ListQuery,
    response=sdk.Page[ListingOut],
    tags=TAGS,
    errors=(403,),
)
def list_listings(query: ListQuery) -> Any:
    statement = _loaded()
    if query.status:
        statement = statement.where(Listing.status == query.status)
    return sdk.paginate(
        statement,
        key=Listing.id,
        descending=True,
        query=query,
        serialize=lambda rows: [listing_json(r) for r in rows],
    )


@sdk.require_permission(MANAGE_LISTINGS)
@sdk.api_operation(
    summary="Create a listing (a draft)",
    description=(
        "Takes one unit of the plan's monthly quota `marketplace_listings_per_month`; beyond "
        "it 409 `quota_exceeded`. `price` null: on quote. Then `submit` it."
    ),
    body=ListingIn,
    response=ListingOut,
    status=201,
    tags=TAGS,
    errors=(403, 409, 422),
)
def create_listing(body: ListingIn) -> Any:
    listing = lifecycle.create_listing(sdk.current_workspace(), sdk.current_user, _fields(body))
    sdk.db.session.commit()
    return listing_json(listing)


@sdk.require_permission(MANAGE_LISTINGS)
@sdk.api_operation(summary="Read a listing", response=ListingOut, tags=TAGS, errors=(403, 404))
def get_listing(listing_id: int) -> Any:
    return listing_json(sdk.get_or_404(Listing, listing_id))


@sdk.require_permission(MANAGE_LISTINGS)
@sdk.api_operation(
    summary="Change a listing",
    description=(
        "On a published listing a new `price` or `category` waits in `pending_changes` for "
        "the platform; the listing keeps selling at its approved values meanwhile."
    ),
    body=ListingPatch,
    response=ListingOut,
    tags=TAGS,
    errors=(403, 404, 409, 422),
)
def patch_listing(listing_id: int, body: ListingPatch) -> Any:
    listing = sdk.get_or_404(Listing, listing_id)
    lifecycle.update_listing(listing, sdk.current_user, _patched(listing, body))
    sdk.db.session.commit()
    return listing_json(listing)


@sdk.require_permission(MANAGE_LISTINGS)
@sdk.api_operation(
    summary="Delete a draft",
    description="Only a draft: 409 `invalid_state` otherwise (withdraw a listing instead).",
    status=204,
    tags=TAGS,
    errors=(403, 404, 409),
)
def delete_listing(listing_id: int) -> None:
    lifecycle.delete_draft(sdk.get_or_404(Listing, listing_id), sdk.current_user)
    sdk.db.session.commit()


@sdk.api_operation(
    summary="Submit, withdraw, approve or reject a listing",
    description=(
        "`submit` (from draft, rejected, withdrawn: published at once for a trusted seller, "
        "else `pending`) and `withdraw` by the seller; `approve` and `reject` (with `reason`) "
        "by platform administrators only (403 otherwise), for a pending listing or its "
        "pending changes. Refused: 409 `invalid_transition` with `details.allowed`."
    ),
    body=TransitionIn,
    response=ListingOut,
    tags=TAGS,
    errors=(403, 404, 409, 422),
)
def listing_transition(listing_id: int, body: TransitionIn) -> Any:
    listing = sdk.get_or_404(Listing, listing_id)
    if body.transition in approval.OPERATOR_MOVES:
        if not sdk.current_user.is_admin:
            raise sdk.ApiError(
                "forbidden", sdk._("Only the platform's administrators decide on listings."), 403
            )
        approval.decide(listing, sdk.current_user, body.transition, body.reason)
    else:
        if not sdk.has_permission(MANAGE_LISTINGS):
            raise sdk.ApiError(
                "forbidden",
                sdk._("You may not manage this workspace's listings."),
                403,
                {"permission": MANAGE_LISTINGS},
            )
        if body.transition == "submit":
            lifecycle.submit(listing, sdk.current_user)
        elif body.transition == "withdraw":
            lifecycle.withdraw(listing, sdk.current_user)
        else:
            raise lifecycle.invalid(listing)
    sdk.db.session.commit()
    return listing_json(listing)


@sdk.require_permission(MANAGE_LISTINGS)
def image_file(listing_id: int, image_id: int, size: str = "large") -> Any:
    """A picture's bytes for the seller's API clients (public once the listing is)."""
    image = image_of(sdk.get_or_404(Listing, listing_id), image_id)
    key = image.thumb_token if size == "thumb" and image.thumb_token else image.file_token
    return sdk.send_upload(key)
