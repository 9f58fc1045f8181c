"""The operator's pages of listings (``/admin/marketplace/listings``): new listings and
changes to approve or reject, reports to uphold or dismiss. Platform administrators only,
across workspaces (``sdk.PlatformBlueprint``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ent_plugins.marketplace import listing_approval as approval
from ent_plugins.marketplace import listing_reports as reports
from ent_plugins.marketplace.catalogues import (
    KINDS,
    LISTING_STATUSES,
    REPORT_REASONS,
    category_name,
)
from ent_plugins.marketplace.listing_images import image_of
from ent_plugins.marketplace.models import Listing, ListingReport, MarketplaceCategory
from ent_plugins.marketplace.views.listings_forms import ActionForm, RejectForm
from flask import flash, redirect, render_template, url_for

from ent_core import sdk


def _categories() -> dict[int, MarketplaceCategory]:
    return {c.id: c for c in sdk.db.session.scalars(sdk.db.select(MarketplaceCategory))}


def _asked_price(listing: Listing) -> Decimal | None:
    asked = (listing.pending_changes or {}).get("price")
    return None if asked is None else Decimal(asked)


def queue() -> Any:
    return render_template(
        "marketplace/listings/admin_queue.html",
        listings=approval.review_queue(),
        categories=_categories(),
        category_name=category_name,
        kinds=KINDS,
        asked_price=_asked_price,
        render_markdown=sdk.render_markdown,
        action_form=ActionForm(),
        reject_form=RejectForm(formdata=None),
    )


def decide(listing_id: int, decision: str) -> Any:
    listing = sdk.db.session.get(Listing, listing_id) or sdk.abort(404)
    form = RejectForm() if decision == "reject" else ActionForm()
    if not form.validate_on_submit():
        if decision == "reject":
            flash(sdk._("Say why, for the seller."), "error")
            return redirect(url_for("marketplace_admin.listings"), 303)
        sdk.abort(400)
    reason = form.reason.data if decision == "reject" else ""
    with sdk.user_errors():
        approval.decide(listing, sdk.current_user, decision, reason or "")
        sdk.db.session.commit()
        flash(
            sdk._("Approved: the seller is told.")
            if decision == "approve"
            else sdk._("Rejected: the seller is told why."),
            "success",
        )
    return redirect(url_for("marketplace_admin.listings"), 303)


def reports_queue() -> Any:
    open_reports = reports.open_reports()
    ids = {r.listing_id for r in open_reports}
    listings = {
        row.id: row
        for row in sdk.db.session.scalars(sdk.db.select(Listing).where(Listing.id.in_(ids)))
    }
    return render_template(
        "marketplace/listings/admin_reports.html",
        reports=open_reports,
        listings=listings,
        reasons=REPORT_REASONS,
        statuses=LISTING_STATUSES,
        render_markdown=sdk.render_markdown,
        action_form=ActionForm(),
    )


def report_decide(report_id: int, decision: str) -> Any:
    report = sdk.db.session.get(ListingReport, report_id) or sdk.abort(404)
    if not ActionForm().validate_on_submit():
        sdk.abort(400)
    with sdk.user_errors():
        if decision == "uphold":
            reports.uphold(report, sdk.current_user)
            message = sdk._("The listing is removed; the seller is told.")
        else:
            reports.dismiss(report, sdk.current_user)
            message = sdk._("The report is dismissed.")
        sdk.db.session.commit()
        flash(message, "success")
    return redirect(url_for("marketplace_admin.listing_reports"), 303)


def image(listing_id: int, image_id: int) -> Any:
    listing = sdk.db.session.get(Listing, listing_id) or sdk.abort(404)
    picture = image_of(listing, image_id)
    return sdk.send_upload(picture.thumb_token or picture.file_token)
