"""A listing's pictures, variants, slots and file through the seller's API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ent_plugins.marketplace import listing_images as images
from ent_plugins.marketplace import listing_slots as slots
from ent_plugins.marketplace import listing_variants as variants
from ent_plugins.marketplace.api.listings import (
    TAGS,
    ListingOut,
    VariantOut,
    listing_json,
    mad,
    variant_json,
)
from ent_plugins.marketplace.listing_files import store_digital_file
from ent_plugins.marketplace.models import Listing, ListingSlot, ListingVariant
from ent_plugins.marketplace.permissions import MANAGE_LISTINGS
from flask import request
from pydantic import Field

from ent_core import sdk


class VariantIn(sdk.ApiModel):
    name: str = Field(min_length=1, max_length=variants.NAME_MAX)
    price: sdk.Money | None = Field(default=None, description="HT in MAD; null: the listing's.")
    stock: int | None = Field(default=None, ge=0)
    active: bool = True


class SlotIn(sdk.ApiModel):
    starts_at: datetime = Field(
        description="ISO 8601; without an offset, on the workspace's clock."
    )
    ends_at: datetime
    capacity: int = Field(default=1, ge=1, le=slots.CAPACITY_MAX)
    repeat_weeks: int = Field(
        default=0, ge=0, le=slots.REPEAT_MAX, description="Also the same time each week after."
    )


class SlotOut(sdk.ApiModel):
    id: int
    starts_at: datetime
    ends_at: datetime
    capacity: int
    taken: int = Field(description="Places held or sold.")


class SlotsOut(sdk.ApiModel):
    items: list[SlotOut]


def _listing(listing_id: int) -> Listing:
    return sdk.get_or_404(Listing, listing_id)


def _upload(name: str) -> Any:
    data = request.files.get(name)
    if data is None or not data.filename:
        raise sdk.UserError("validation_error", sdk._("Attach the file."), 422, field=name)
    return data


@sdk.require_permission(MANAGE_LISTINGS)
@sdk.api_operation(
    summary="Add a picture",
    description="`multipart/form-data`: `file` (PNG, JPEG or WebP) and `alt_text` (required). "
    "Re-encoded as JPEG, at most 1600 pixels a side, with a 400-pixel thumbnail.",
    response=ListingOut,
    status=201,
    tags=TAGS,
    errors=(403, 404, 409, 422),
)
def add_image(listing_id: int) -> Any:
    listing = _listing(listing_id)
    images.add_image(listing, _upload("file"), request.form.get("alt_text", ""))
    sdk.db.session.commit()
    return listing_json(listing)


@sdk.require_permission(MANAGE_LISTINGS)
@sdk.api_operation(summary="Remove a picture", status=204, tags=TAGS, errors=(403, 404))
def delete_image(listing_id: int, image_id: int) -> None:
    images.remove_image(_listing(listing_id), image_id)
    sdk.db.session.commit()


@sdk.require_permission(MANAGE_LISTINGS)
@sdk.api_operation(
    summary="Upload the file of a digital product",
    description="`multipart/form-data`: `file` (PDF, ZIP or a picture, 50 MB); private.",
    response=ListingOut,
    tags=TAGS,
    errors=(403, 404, 409, 422),
)
def put_file(listing_id: int) -> Any:
    listing = _listing(listing_id)
    data = _upload("file")
    store_digital_file(listing, data, data.filename)
    sdk.db.session.commit()
    return listing_json(listing)


@sdk.require_permission(MANAGE_LISTINGS)
@sdk.api_operation(
    summary="A listing's variants",
    query=sdk.PageQuery,
    response=sdk.Page[VariantOut],
    tags=TAGS,
    errors=(403, 404),
)
def list_variants(listing_id: int, query: sdk.PageQuery) -> Any:
    listing = _listing(listing_id)
    return sdk.paginate(
        sdk.scoped(ListingVariant).where(ListingVariant.listing_id == listing.id),
        key=ListingVariant.id,
        query=query,
        serialize=lambda rows: [variant_json(v) for v in rows],
    )


def _variant_fields(body: VariantIn) -> variants.VariantFields:
    return variants.VariantFields(
        name=body.name, price=mad(body.price), stock=body.stock, active=body.active
    )


@sdk.require_permission(MANAGE_LISTINGS)
@sdk.api_operation(
    summary="Add a variant",
    body=VariantIn,
    response=VariantOut,
    status=201,
    tags=TAGS,
    errors=(403, 404, 409, 422),
)
def add_variant(listing_id: int, body: VariantIn) -> Any:
    variant = variants.add_variant(_listing(listing_id), _variant_fields(body))
    sdk.db.session.commit()
    return variant_json(variant)


@sdk.require_permission(MANAGE_LISTINGS)
@sdk.api_operation(
    summary="Replace a variant",
    body=VariantIn,
    response=VariantOut,
    tags=TAGS,
    errors=(403, 404, 422),
)
def put_variant(listing_id: int, variant_id: int, body: VariantIn) -> Any:
    variant = variants.variant_of(_listing(listing_id), variant_id)
    variants.update_variant(variant, _variant_fields(body))
    sdk.db.session.commit()
    return variant_json(variant)


@sdk.require_permission(MANAGE_LISTINGS)
@sdk.api_operation(summary="Delete a variant", status=204, tags=TAGS, errors=(403, 404))
def delete_variant(listing_id: int, variant_id: int) -> None:
    listing = _listing(listing_id)
    variants.delete_variant(listing, variants.variant_of(listing, variant_id))
    sdk.db.session.commit()


def _slot_json(slot: Any) -> SlotOut:
    return SlotOut(
        id=slot.id,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        capacity=slot.capacity,
        taken=slot.taken,
    )


@sdk.require_permission(MANAGE_LISTINGS)
@sdk.api_operation(
    summary="A booking's upcoming slots",
    description="In the order they were added.",
    query=sdk.PageQuery,
    response=sdk.Page[SlotOut],
    tags=TAGS,
    errors=(403, 404),
)
def list_slots(listing_id: int, query: sdk.PageQuery) -> Any:
    listing = _listing(listing_id)
    statement = sdk.scoped(ListingSlot).where(
        ListingSlot.listing_id == listing.id, ListingSlot.ends_at > sdk.utcnow()
    )
    return sdk.paginate(
        statement,
        key=ListingSlot.id,
        query=query,
        serialize=lambda rows: [_slot_json(s) for s in rows],
    )


@sdk.require_permission(MANAGE_LISTINGS)
@sdk.api_operation(
    summary="Add slots to a booking",
    description="One slot, and with `repeat_weeks` the same time on the following weeks.",
    body=SlotIn,
    response=SlotsOut,
    status=201,
    tags=TAGS,
    errors=(403, 404, 409, 422),
)
def add_slots(listing_id: int, body: SlotIn) -> Any:
    added = slots.add_slots(
        _listing(listing_id), body.starts_at, body.ends_at, body.capacity, body.repeat_weeks
    )
    sdk.db.session.commit()
    return SlotsOut(items=[_slot_json(s) for s in added])


@sdk.require_permission(MANAGE_LISTINGS)
@sdk.api_operation(
    summary="Delete a slot nobody holds",
    description="A slot with a place held or sold: 409 `slot_taken`.",
    status=204,
    tags=TAGS,
    errors=(403, 404, 409),
)
def delete_slot(listing_id: int, slot_id: int) -> None:
    slots.delete_slot(_listing(listing_id), slot_id)
    sdk.db.session.commit()
