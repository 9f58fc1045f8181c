"""The seller's pages of listings: the list, the form for every kind, the listing's own page
(pictures, variants, slots, the file of a digital product), submit and withdraw."""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace import listing_lifecycle as lifecycle
from ent_plugins.marketplace import parts
from ent_plugins.marketplace.catalogues import (
    DELIVERIES,
    KINDS,
    LISTING_STATUSES,
    UNITS,
    category_name,
)
from ent_plugins.marketplace.categories import active_categories
from ent_plugins.marketplace.listing_files import store_digital_file
from ent_plugins.marketplace.listing_slots import listing_slots
from ent_plugins.marketplace.models import Listing, MarketplaceCategory
from ent_plugins.marketplace.permissions import MANAGE_LISTINGS
from ent_plugins.marketplace.pricing import price_with_vat
from ent_plugins.marketplace.settings import settings
from ent_plugins.marketplace.views.listings_forms import (
    ActionForm,
    ImageForm,
    ListingForm,
    SlotForm,
    VariantForm,
)
from flask import flash, redirect, render_template, request, url_for
from sqlalchemy.orm import selectinload

from ent_core import sdk

#: Listings per page of the seller's list.
LIST_SIZE = 50


def _listing(listing_id: int) -> Listing:
    return sdk.get_or_404(Listing, listing_id)


def back_to(listing: Listing, anchor: str = "") -> Any:
    target = url_for("marketplace.listing", listing_id=listing.id)
    return redirect(f"{target}#{anchor}" if anchor else target, 303)


@sdk.require_permission(MANAGE_LISTINGS)
def listings() -> Any:
    status = request.args.get("status", "")
    try:
        page = max(1, min(int(request.args.get("page", "1")), 10_000))
    except ValueError:
        page = 1
    query = sdk.scoped(Listing).options(selectinload(Listing.images))
    if status in LISTING_STATUSES:
        query = query.where(Listing.status == status)
    elif status == "changes":
        query = query.where(Listing.status == "published", lifecycle.has_pending_changes())
    rows = sdk.db.session.scalars(
        query.order_by(Listing.created_at.desc(), Listing.id.desc())
        .offset((page - 1) * LIST_SIZE)
        .limit(LIST_SIZE + 1)
    ).all()
    return render_template(
        "marketplace/listings/index.html",
        listings=rows[:LIST_SIZE],
        page=page,
        more=len(rows) > LIST_SIZE,
        status=status,
        statuses=LISTING_STATUSES,
        kinds=KINDS,
        remaining=sdk.quota_remaining(sdk.current_workspace(), lifecycle.QUOTA),
    )


def _form_page(form: ListingForm, listing: Listing | None, title: str) -> Any:
    status = 422 if form.errors else 200
    return render_template(
        "marketplace/listings/form.html",
        form=form,
        listing=listing,
        title=title,
        remaining=sdk.quota_remaining(sdk.current_workspace(), lifecycle.QUOTA),
    ), status


def _new_form(listing: Listing | None = None) -> ListingForm:
    form = ListingForm()
    categories = active_categories()
    if listing is not None and all(c.id != listing.category_id for c in categories):
        categories.append(listing.category)
    form.set_choices(categories, category_name, settings().default_vat_rate)
    return form


def _store_file(form: ListingForm, listing: Listing) -> bool:
    """Keep the uploaded file of a digital product; False after showing why it is refused."""
    data = form.file.data
    if data is None or not getattr(data, "filename", ""):
        return True
    try:
        store_digital_file(listing, data)
    except sdk.UploadRejected as exc:
        form.file.errors = [*form.file.errors, exc.message]
        return False
    return True


@sdk.require_permission(MANAGE_LISTINGS)
def listing_new() -> Any:
    form = _new_form()
    if request.method == "GET":
        form.kind.data = request.args.get("kind") if request.args.get("kind") in KINDS else None
    if form.validate_on_submit():
        with sdk.user_errors(form):
            listing = lifecycle.create_listing(
                sdk.current_workspace(), sdk.current_user, form.fields()
            )
            if _store_file(form, listing):
                sdk.db.session.commit()
                flash(
                    sdk._("The listing is saved as a draft; submit it when it is ready."),
                    "success",
                )
                return back_to(listing)
            sdk.db.session.rollback()
    return _form_page(form, None, sdk._("New listing"))


@sdk.require_permission(MANAGE_LISTINGS)
def listing(listing_id: int) -> Any:
    return listing_page(_listing(listing_id))


def listing_page(row: Listing, status: int = 200, **forms: Any) -> Any:
    """The seller's page of a listing; ``forms`` replace the empty ones (refused input)."""
    pending_category = None
    if "category_id" in (row.pending_changes or {}):
        pending_category = sdk.db.session.get(
            MarketplaceCategory, int(row.pending_changes["category_id"])
        )
    return render_template(
        "marketplace/listings/listing.html",
        listing=row,
        description=sdk.render_markdown(row.description),
        render_markdown=sdk.render_markdown,
        statuses=LISTING_STATUSES,
        kinds=KINDS,
        deliveries=DELIVERIES,
        units=UNITS,
        category_name=category_name,
        pending_price=lifecycle.pending_price(row),
        pending_category=pending_category,
        with_vat=None if row.price is None else price_with_vat(row.price, row.vat_rate),
        allowed=lifecycle.allowed_transitions(row),
        editable=row.status in lifecycle.EDITABLE,
        slots=listing_slots(row) if row.kind == "booking" else [],
        action_form=ActionForm(),
        image_form=forms.get("image_form") or ImageForm(formdata=None),
        variant_form=forms.get("variant_form") or VariantForm(formdata=None),
        slot_form=forms.get("slot_form") or SlotForm(formdata=None),
        panels=parts.markup("seller_listing_panel", listing=row),
    ), status


@sdk.require_permission(MANAGE_LISTINGS)
def listing_edit(listing_id: int) -> Any:
    row = _listing(listing_id)
    if row.status not in lifecycle.EDITABLE:
        flash(sdk._("This listing can no longer be changed."), "error")
        return back_to(row)
    form = _new_form(row)
    if request.method == "GET":
        form.fill(row, lifecycle.pending_price(row), lifecycle.pending_category_id(row))
    if form.validate_on_submit():
        with sdk.user_errors(form):
            lifecycle.update_listing(row, sdk.current_user, form.fields())
            if _store_file(form, row):
                sdk.db.session.commit()
                if row.pending_changes:
                    flash(
                        sdk._(
                            "Saved. The new price or category waits for the platform's "
                            "approval; the listing sells at its approved values meanwhile."
                        ),
                        "info",
                    )
                else:
                    flash(sdk._("The listing is saved."), "success")
                return back_to(row)
            sdk.db.session.rollback()
    return _form_page(form, row, sdk._("Change the listing"))


def posted() -> None:
    """A button's form: refuse it without its CSRF token."""
    if not ActionForm().validate_on_submit():
        sdk.abort(400)


@sdk.require_permission(MANAGE_LISTINGS)
def listing_submit(listing_id: int) -> Any:
    row = _listing(listing_id)
    posted()
    with sdk.user_errors():
        lifecycle.submit(row, sdk.current_user)
        sdk.db.session.commit()
        if row.status == "published":
            flash(sdk._("The listing is published."), "success")
        else:
            flash(
                sdk._("The listing is submitted; it is published once the platform approves it."),
                "success",
            )
    return back_to(row)


@sdk.require_permission(MANAGE_LISTINGS)
def listing_withdraw(listing_id: int) -> Any:
    row = _listing(listing_id)
    posted()
    with sdk.user_errors():
        lifecycle.withdraw(row, sdk.current_user)
        sdk.db.session.commit()
        flash(sdk._("The listing is withdrawn from the marketplace."), "success")
    return back_to(row)


@sdk.require_permission(MANAGE_LISTINGS)
def listing_file(listing_id: int) -> Any:
    row = _listing(listing_id)
    if not row.file_token:
        sdk.abort(404)
    return sdk.send_upload(row.file_token, download_name=row.file_name, as_attachment=True)


@sdk.require_permission(MANAGE_LISTINGS)
def listing_delete(listing_id: int) -> Any:
    row = _listing(listing_id)
    posted()
    with sdk.user_errors():
        lifecycle.delete_draft(row, sdk.current_user)
        sdk.db.session.commit()
        flash(sdk._("The draft is deleted."), "success")
        return redirect(url_for("marketplace.listings"), 303)
    return back_to(row)
