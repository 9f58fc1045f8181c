"""The seller's forms on a listing's page: pictures, variants and slots. Each re-renders the
listing's page with its messages when refused (what was typed stays in the form)."""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace import listing_images as images
from ent_plugins.marketplace import listing_slots as slots
from ent_plugins.marketplace import listing_variants as variants
from ent_plugins.marketplace.models import Listing
from ent_plugins.marketplace.permissions import MANAGE_LISTINGS
from ent_plugins.marketplace.views import listings as pages
from ent_plugins.marketplace.views.listings_forms import ImageForm, SlotForm, VariantForm
from flask import flash, render_template

from ent_core import sdk


def _listing(listing_id: int) -> Listing:
    return sdk.get_or_404(Listing, listing_id)


@sdk.require_permission(MANAGE_LISTINGS)
def image_add(listing_id: int) -> Any:
    row = _listing(listing_id)
    form = ImageForm()
    if form.validate_on_submit():
        with sdk.user_errors(form):
            try:
                images.add_image(row, form.image.data, form.alt_text.data or "")
            except sdk.UploadRejected as exc:
                form.image.errors = [*form.image.errors, exc.message]
            else:
                sdk.db.session.commit()
                flash(sdk._("The picture is added."), "success")
                return pages.back_to(row, "pictures")
    return _page(row, image_form=form)


@sdk.require_permission(MANAGE_LISTINGS)
def image_delete(listing_id: int, image_id: int) -> Any:
    row = _listing(listing_id)
    pages.posted()
    images.remove_image(row, image_id)
    sdk.db.session.commit()
    flash(sdk._("The picture is removed."), "success")
    return pages.back_to(row, "pictures")


@sdk.require_permission(MANAGE_LISTINGS)
def image_move(listing_id: int, image_id: int, step: int) -> Any:
    row = _listing(listing_id)
    pages.posted()
    images.move_image(row, image_id, step)
    sdk.db.session.commit()
    return pages.back_to(row, "pictures")


@sdk.require_permission(MANAGE_LISTINGS)
def image_file(listing_id: int, image_id: int, size: str = "large") -> Any:
    image = images.image_of(_listing(listing_id), image_id)
    key = image.thumb_token if size == "thumb" and image.thumb_token else image.file_token
    return sdk.send_upload(key)


@sdk.require_permission(MANAGE_LISTINGS)
def variant_add(listing_id: int) -> Any:
    row = _listing(listing_id)
    form = VariantForm()
    if form.validate_on_submit():
        with sdk.user_errors(form):
            variants.add_variant(row, form.fields())
            sdk.db.session.commit()
            flash(sdk._("The variant is added."), "success")
            return pages.back_to(row, "variants")
    return _page(row, variant_form=form)


@sdk.require_permission(MANAGE_LISTINGS)
def variant_edit(listing_id: int, variant_id: int) -> Any:
    row = _listing(listing_id)
    variant = variants.variant_of(row, variant_id)
    form = VariantForm(obj=variant)
    if form.validate_on_submit():
        with sdk.user_errors(form):
            variants.update_variant(variant, form.fields())
            sdk.db.session.commit()
            flash(sdk._("The variant is saved."), "success")
            return pages.back_to(row, "variants")
    return render_template(
        "marketplace/listings/variant.html", listing=row, variant=variant, form=form
    ), (422 if form.errors else 200)


@sdk.require_permission(MANAGE_LISTINGS)
def variant_delete(listing_id: int, variant_id: int) -> Any:
    row = _listing(listing_id)
    pages.posted()
    variants.delete_variant(row, variants.variant_of(row, variant_id))
    sdk.db.session.commit()
    flash(sdk._("The variant is deleted."), "success")
    return pages.back_to(row, "variants")


@sdk.require_permission(MANAGE_LISTINGS)
def slot_add(listing_id: int) -> Any:
    row = _listing(listing_id)
    form = SlotForm()
    if form.validate_on_submit():
        with sdk.user_errors(form):
            added = slots.add_slots(
                row,
                form.starts_at.data,
                form.ends_at.data,
                form.capacity.data,
                form.repeat_weeks.data or 0,
            )
            sdk.db.session.commit()
            flash(
                sdk.ngettext("%(num)d slot is added.", "%(num)d slots are added.", len(added)),
                "success",
            )
            return pages.back_to(row, "slots")
    return _page(row, slot_form=form)


@sdk.require_permission(MANAGE_LISTINGS)
def slot_delete(listing_id: int, slot_id: int) -> Any:
    row = _listing(listing_id)
    pages.posted()
    with sdk.user_errors():
        slots.delete_slot(row, slot_id)
        sdk.db.session.commit()
        flash(sdk._("The slot is deleted."), "success")
    return pages.back_to(row, "slots")


def _page(row: Listing, **forms: Any) -> Any:
    """The listing's page again, with the refused form in place of the empty one."""
    return pages.listing_page(row, status=422, **forms)
