"""A listing's life on the seller's side: created (taking a unit of the monthly quota),
changed, submitted, withdrawn. Approval by the operator is in ``listing_approval``.

The rules live here once, for the seller's pages and the API alike. A published listing whose
price or category changes keeps selling at the approved values: the new ones wait in
``pending_changes`` for the operator (``listing_approval.approve``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ent_plugins.marketplace.catalogues import DELIVERIES, KINDS, UNITS
from ent_plugins.marketplace.models import (
    Listing,
    ListingTranslation,
    MarketplaceCategory,
    SellerProfile,
)
from ent_plugins.marketplace.settings import settings

from ent_core import sdk

QUOTA = "marketplace_listings_per_month"
LANGUAGES = ("fr", "ar", "en")
TITLE_MAX = 150
DESCRIPTION_MAX = 20_000
LOCATION_MAX = 120
PRICE_MAX = Decimal("9999999999.99")
VAT_MAX = Decimal("0.5")
HOLD_MAX = 24 * 60
#: Statuses the seller may still change the listing in (``removed`` is the operator's).
EDITABLE = ("draft", "pending", "published", "rejected", "withdrawn")
#: The seller's transitions: from which statuses each one starts.
SELLER_MOVES: dict[str, tuple[str, ...]] = {
    "submit": ("draft", "rejected", "withdrawn"),
    "withdraw": ("pending", "published"),
}
#: Fields of a published listing that the operator reviews again when they change.
REVIEWED = ("price", "category_id")


@dataclass
class ListingFields:
    """What a seller types: the same for a form and for the API."""

    kind: str
    title: str
    category_id: int
    description: str = ""
    delivery: str = ""
    unit: str = ""
    language: str = "fr"
    price: Decimal | None = None
    vat_rate: Decimal | None = None
    stock: int | None = None
    location: str = ""
    hold_minutes: int = 0
    #: ``{language: (title, description)}`` in the platform's other languages.
    translations: dict[str, tuple[str, str]] = field(default_factory=dict)


def _refuse(field_name: str, message: str) -> sdk.UserError:
    return sdk.UserError("validation_error", message, 422, field=field_name)


def _check(values: ListingFields) -> MarketplaceCategory:
    """Refuse what no listing may hold (a ``UserError`` naming the field); the category."""
    if values.kind not in KINDS:
        raise _refuse("kind", sdk._("Choose a product, a service or a booking."))
    if values.kind == "product" and values.delivery not in DELIVERIES:
        raise _refuse("delivery", sdk._("Say whether the product is shipped or downloaded."))
    if values.kind == "service" and values.unit not in UNITS:
        raise _refuse("unit", sdk._("Say whether the service is sold by the hour, day or package."))
    title = values.title.strip()
    if not title or len(title) > TITLE_MAX:
        raise _refuse("title", sdk._("Give a title of at most %(num)d characters.", num=TITLE_MAX))
    if len(values.description) > DESCRIPTION_MAX:
        raise _refuse("description", sdk._("At most %(num)d characters.", num=DESCRIPTION_MAX))
    if values.language not in LANGUAGES:
        raise _refuse("language", sdk._("Choose French, Arabic or English."))
    if values.price is not None and not Decimal(0) <= values.price <= PRICE_MAX:
        raise _refuse("price", sdk._("Give a price of zero or more, in dirhams."))
    if values.vat_rate is not None and not Decimal(0) <= values.vat_rate <= VAT_MAX:
        raise _refuse("vat_rate", sdk._("Give a VAT rate between 0 and 50 %."))
    if values.stock is not None and values.stock < 0:
        raise _refuse("stock", sdk._("The stock cannot be negative."))
    if not 0 <= values.hold_minutes <= HOLD_MAX:
        raise _refuse("hold_minutes", sdk._("Between 0 and 1,440 minutes (a day)."))
    if len(values.location) > LOCATION_MAX:
        raise _refuse("location", sdk._("At most %(num)d characters.", num=LOCATION_MAX))
    for language, (title_tr, description_tr) in values.translations.items():
        if language not in LANGUAGES:
            raise _refuse("translations", sdk._("Choose French, Arabic or English."))
        if len(title_tr.strip()) > TITLE_MAX or len(description_tr) > DESCRIPTION_MAX:
            raise _refuse(f"title_{language}", sdk._("This translation is too long."))
        if description_tr.strip() and not title_tr.strip():
            raise _refuse(f"title_{language}", sdk._("Give the translated title too."))
    category = sdk.db.session.get(MarketplaceCategory, values.category_id)
    if category is None or not category.active:
        raise _refuse("category", sdk._("Choose one of the marketplace's categories."))
    return category


def _normalised(values: ListingFields) -> dict[str, Any]:
    """The columns ``values`` set, with what does not apply to the kind emptied."""
    vat = values.vat_rate if values.vat_rate is not None else settings().default_vat_rate
    return {
        "kind": values.kind,
        "delivery": values.delivery if values.kind == "product" else "",
        "unit": values.unit if values.kind == "service" else "",
        "title": values.title.strip(),
        "description": values.description.strip(),
        "language": values.language,
        "price": None if values.price is None else values.price.quantize(Decimal("0.01")),
        "vat_rate": vat,
        "stock": values.stock,
        "location": values.location.strip(),
        "hold_minutes": values.hold_minutes if values.kind == "booking" else 0,
    }


def _set_translations(listing: Listing, values: ListingFields) -> None:
    wanted = {
        lang: (title.strip(), description.strip())
        for lang, (title, description) in values.translations.items()
        if lang != listing.language and title.strip()
    }
    for row in list(listing.translations):
        if row.language not in wanted:
            listing.translations.remove(row)
    have = {row.language: row for row in listing.translations}
    for lang, (title, description) in wanted.items():
        row = have.get(lang)
        if row is None:
            listing.translations.append(
                ListingTranslation(language=lang, title=title, description=description)
            )
        else:
            row.title, row.description = title, description


def audit(action: str, listing: Listing, actor: Any, **details: Any) -> None:
    sdk.audit(
        f"marketplace.listing_{action}",
        subject=f"listing:{listing.id}",
        workspace=listing.workspace,
        actor=actor,
        details=details or None,
    )


def create_listing(workspace: Any, actor: Any, values: ListingFields) -> Listing:
    """A draft, taking a unit of ``marketplace_listings_per_month`` (409 ``quota_exceeded``)."""
    category = _check(values)
    sdk.consume_quota(workspace, QUOTA)
    listing = Listing(
        **_normalised(values),
        category_id=category.id,
        sector=category.sector,
        status="draft",
        created_by_id=getattr(actor, "id", None),
    )
    sdk.db.session.add(listing)
    _set_translations(listing, values)
    sdk.db.session.flush()
    audit("created", listing, actor)
    return listing


def _money_json(price: Decimal | None) -> str | None:
    return None if price is None else str(price)


def update_listing(listing: Listing, actor: Any, values: ListingFields) -> None:
    """Change a listing; on a published one, a new price or category waits for review."""
    if listing.status not in EDITABLE:
        raise sdk.UserError("invalid_state", sdk._("This listing can no longer be changed."), 409)
    category = _check(values)
    columns = _normalised(values)
    columns["category_id"], columns["sector"] = category.id, category.sector
    if under_review(listing):
        pending: dict[str, Any] = {}
        if columns["price"] != listing.price:
            pending["price"] = _money_json(columns["price"])
        if category.id != listing.category_id:
            pending["category_id"] = category.id
        for name in (*REVIEWED, "sector"):
            columns.pop(name)
        if pending != (listing.pending_changes or {}):
            listing.pending_changes = pending
            if pending:
                audit("changes_requested", listing, actor, **pending)
    for name, value in columns.items():
        setattr(listing, name, value)
    _set_translations(listing, values)
    sdk.db.session.flush()


def under_review(listing: Listing) -> bool:
    """Whether a new price or category waits for the operator rather than applying: on a
    published listing, or one withdrawn after publication (else withdrawing, changing and
    submitting again would skip the review)."""
    return listing.status == "published" or (
        listing.status == "withdrawn" and listing.published_at is not None
    )


def has_pending_changes() -> Any:
    """SQL: the listing holds changes waiting for the operator (JSON other than ``{}``)."""
    text = sdk.db.func.coalesce(sdk.db.cast(Listing.pending_changes, sdk.db.String), "{}")
    return sdk.db.and_(text != "{}", text != "null")


def pending_price(listing: Listing) -> Decimal | None:
    """The price the seller asked for (the pending one, else the current one)."""
    changes = listing.pending_changes or {}
    if "price" in changes:
        return None if changes["price"] is None else Decimal(changes["price"])
    return listing.price


def pending_category_id(listing: Listing) -> int:
    return int((listing.pending_changes or {}).get("category_id") or listing.category_id)


def seller_profile(workspace_id: int) -> SellerProfile:
    """The workspace's seller profile, created the first time it is needed."""
    with sdk.in_workspace(workspace_id):
        profile = sdk.db.session.scalar(sdk.db.select(SellerProfile))
        if profile is None:
            profile = SellerProfile()
            sdk.db.session.add(profile)
            sdk.db.session.flush()
    return profile


def allowed_transitions(listing: Listing) -> list[str]:
    return [name for name, sources in SELLER_MOVES.items() if listing.status in sources]


def invalid(listing: Listing, allowed: list[str] | None = None) -> sdk.UserError:
    return sdk.UserError(
        "invalid_transition",
        sdk._("This listing cannot do that in its present state."),
        409,
        details={
            "status": listing.status,
            "allowed": allowed if allowed is not None else allowed_transitions(listing),
        },
    )


def guarded(listing: Listing, sources: tuple[str, ...], **values: Any) -> None:
    """``UPDATE ... WHERE status IN sources``: of two decisions racing, one passes."""
    done = sdk.db.session.execute(
        sdk.db.update(Listing)
        .where(Listing.id == listing.id, Listing.status.in_(sources))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        sdk.db.session.refresh(listing)
        raise invalid(listing)
    sdk.db.session.refresh(listing)


def ready_to_sell(listing: Listing) -> None:
    """What a listing needs before the operator or buyers see it."""
    if listing.kind == "product" and listing.delivery == "digital" and not listing.file_token:
        raise sdk.UserError(
            "file_required",
            sdk._("Upload the file buyers will download before submitting."),
            422,
            field="file",
        )


def submit(listing: Listing, actor: Any) -> None:
    """Published at once for a trusted seller, else awaiting the operator."""
    if listing.status not in SELLER_MOVES["submit"]:
        raise invalid(listing)
    ready_to_sell(listing)
    profile = seller_profile(listing.workspace_id)
    if profile.trusted:
        guarded(
            listing,
            SELLER_MOVES["submit"],
            status="published",
            published_at=listing.published_at or sdk.utcnow(),
            rejection_reason="",
        )
        audit("published", listing, actor)
    else:
        guarded(listing, SELLER_MOVES["submit"], status="pending", rejection_reason="")
        audit("submitted", listing, actor)


def withdraw(listing: Listing, actor: Any) -> None:
    guarded(listing, SELLER_MOVES["withdraw"], status="withdrawn")
    audit("withdrawn", listing, actor)


def delete_draft(listing: Listing, actor: Any) -> None:
    """A draft never submitted goes away (its quota unit stays used: it was created)."""
    if listing.status != "draft":
        raise sdk.UserError(
            "invalid_state",
            sdk._("Only a draft can be deleted; withdraw a listing instead."),
            409,
        )
    audit("deleted", listing, actor, title=listing.title)
    sdk.db.session.delete(listing)
    sdk.db.session.flush()
