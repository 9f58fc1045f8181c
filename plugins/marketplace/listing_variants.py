"""Variants of a listing ("A4 print", "Team licence"): their own price (or the listing's),
their own stock (or none counted), switched off rather than deleted once sold."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ent_plugins.marketplace.listing_lifecycle import PRICE_MAX
from ent_plugins.marketplace.models import Listing, ListingVariant

from ent_core import sdk

NAME_MAX = 100
#: Variants a listing may offer.
MAX_VARIANTS = 50


@dataclass
class VariantFields:
    name: str
    price: Decimal | None = None
    stock: int | None = None
    active: bool = True


def _check(values: VariantFields) -> None:
    name = values.name.strip()
    if not name or len(name) > NAME_MAX:
        raise sdk.UserError(
            "validation_error",
            sdk._("Name the variant in at most %(num)d characters.", num=NAME_MAX),
            422,
            field="name",
        )
    if values.price is not None and not Decimal(0) <= values.price <= PRICE_MAX:
        raise sdk.UserError(
            "validation_error",
            sdk._("Give a price of zero or more, in dirhams."),
            422,
            field="price",
        )
    if values.stock is not None and values.stock < 0:
        raise sdk.UserError(
            "validation_error", sdk._("The stock cannot be negative."), 422, field="stock"
        )


def _apply(variant: ListingVariant, values: VariantFields) -> None:
    variant.name = values.name.strip()
    variant.price = None if values.price is None else values.price.quantize(Decimal("0.01"))
    variant.stock = values.stock
    variant.active = values.active


def add_variant(listing: Listing, values: VariantFields) -> ListingVariant:
    _check(values)
    if len(listing.variants) >= MAX_VARIANTS:
        raise sdk.UserError(
            "too_many_variants",
            sdk._("A listing offers at most %(num)d variants.", num=MAX_VARIANTS),
            409,
            field="name",
        )
    variant = ListingVariant(position=len(listing.variants))
    _apply(variant, values)
    listing.variants.append(variant)
    sdk.db.session.flush()
    return variant


def variant_of(listing: Listing, variant_id: int) -> ListingVariant:
    for variant in listing.variants:
        if variant.id == variant_id:
            return variant
    sdk.abort(404)
    raise AssertionError  # unreachable: abort raises


def update_variant(variant: ListingVariant, values: VariantFields) -> None:
    _check(values)
    _apply(variant, values)
    sdk.db.session.flush()


def delete_variant(listing: Listing, variant: ListingVariant) -> None:
    listing.variants.remove(variant)
    sdk.db.session.flush()
