"""The operator's decisions on listings: the queue of new listings and of changes of price or
category, approvals (which make a seller trusted after ``first_listings_reviewed``) and
rejections with a reason. Every decision is audited and mailed to the seller's managers.
Operator pages run across workspaces (``sdk.PlatformBlueprint``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ent_plugins.marketplace.listing_lifecycle import (
    audit,
    guarded,
    has_pending_changes,
    invalid,
    seller_profile,
)
from ent_plugins.marketplace.listing_mail import tell_sellers
from ent_plugins.marketplace.models import Listing, MarketplaceCategory, SellerProfile
from ent_plugins.marketplace.settings import settings

from ent_core import sdk

REASON_MAX = 1000
OPERATOR_MOVES = ("approve", "reject")


def awaiting_review() -> Any:
    """The condition of listings the operator has to look at."""
    return sdk.db.or_(
        Listing.status == "pending",
        sdk.db.and_(Listing.status == "published", has_pending_changes()),
    )


def review_queue() -> list[Listing]:
    """New listings and changes waiting, oldest first."""
    return list(
        sdk.db.session.scalars(
            sdk.db.select(Listing).where(awaiting_review()).order_by(Listing.updated_at, Listing.id)
        )
    )


def operator_allowed(listing: Listing) -> list[str]:
    if listing.status == "pending" or (listing.status == "published" and listing.pending_changes):
        return list(OPERATOR_MOVES)
    return []


def approve(listing: Listing, operator: Any) -> None:
    """Publish a pending listing, or apply its pending changes."""
    changes = dict(listing.pending_changes or {})
    if listing.status == "pending":
        values = _applied(changes)
        guarded(listing, ("pending",), status="published", published_at=sdk.utcnow(), **values)
        _count_approval(listing)
        audit("approved", listing, operator, **changes)
        tell_sellers(listing, "approved")
        return
    if listing.status != "published" or not changes:
        raise invalid(listing, operator_allowed(listing))
    guarded(listing, ("published",), **_applied(changes))
    audit("changes_approved", listing, operator, **changes)
    tell_sellers(listing, "changes_approved")


def _applied(changes: dict[str, Any]) -> dict[str, Any]:
    """The columns that apply ``changes`` (a price, a category) and empty them."""
    values: dict[str, Any] = {"pending_changes": {}}
    if "price" in changes:
        values["price"] = None if changes["price"] is None else Decimal(changes["price"])
    if "category_id" in changes:
        category = sdk.db.session.get(MarketplaceCategory, int(changes["category_id"]))
        if category is not None:
            values["category_id"], values["sector"] = category.id, category.sector
    return values


def _count_approval(listing: Listing) -> None:
    workspace_id = listing.workspace_id
    profile = seller_profile(workspace_id)
    with sdk.in_workspace(workspace_id):
        sdk.db.session.execute(
            sdk.db.update(SellerProfile)
            .where(SellerProfile.id == profile.id)
            .values(approved_listings=SellerProfile.approved_listings + 1)
            .execution_options(synchronize_session=False)
        )
        sdk.db.session.refresh(profile)
        if not profile.trusted and profile.approved_listings >= settings().first_listings_reviewed:
            profile.trusted = True
            sdk.audit(
                "marketplace.seller_trusted",
                subject=f"seller:{profile.id}",
                workspace=listing.workspace,
            )


def reject(listing: Listing, operator: Any, reason: str) -> None:
    """Refuse a pending listing, or its pending changes (it keeps selling as approved)."""
    reason = (reason or "").strip()
    if not reason or len(reason) > REASON_MAX:
        raise sdk.UserError(
            "validation_error", sdk._("Say why, for the seller."), 422, field="reason"
        )
    if listing.status == "pending":
        guarded(
            listing, ("pending",), status="rejected", rejection_reason=reason, pending_changes={}
        )
        audit("rejected", listing, operator, reason=reason)
        tell_sellers(listing, "rejected", reason)
        return
    if listing.status != "published" or not listing.pending_changes:
        raise invalid(listing, operator_allowed(listing))
    changes = dict(listing.pending_changes)
    guarded(listing, ("published",), pending_changes={}, rejection_reason=reason)
    audit("changes_rejected", listing, operator, reason=reason, **changes)
    tell_sellers(listing, "changes_rejected", reason)


def decide(listing: Listing, operator: Any, decision: str, reason: str = "") -> None:
    if decision == "approve":
        approve(listing, operator)
    elif decision == "reject":
        reject(listing, operator, reason)
    else:
        raise invalid(listing, operator_allowed(listing))
