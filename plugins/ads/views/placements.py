"""Placements: the places of a publisher's pages that join the network, and its external sites."""

from __future__ import annotations

from typing import Any

from ent_plugins.ads import inventory
from ent_plugins.ads.inventory_forms import ExternalForm, PlaceForm
from ent_plugins.ads.models import AdPlacement
from ent_plugins.ads.permissions import MANAGE_PLACEMENTS
from flask import flash, redirect, render_template, request, url_for

from ent_core import sdk


def _prefix(code: str) -> str:
    return code.replace(".", "_") + "-"


def place_form(place: inventory.Place, *, formdata: Any = None) -> PlaceForm:
    """The form of one place, filled from its placement (or the defaults: everything the
    place declares, nothing refused, not joined)."""
    row = place.placement
    data = {
        "active": row.active if row else False,
        "sizes": list(row.sizes) if row else list(place.slot.sizes),
        "formats": list(row.formats) if row else list(place.slot.formats),
        "excluded_categories": list(row.excluded_categories) if row else [],
    }
    form = PlaceForm(formdata=formdata, prefix=_prefix(place.slot.code), data=data)
    return form.offer(place.slot.sizes, place.slot.formats)


@sdk.require_permission(MANAGE_PLACEMENTS)
def placements() -> Any:
    found = inventory.places()
    return render_template(
        "ads/placements/list.html",
        places=[(p, place_form(p, formdata=None)) for p in found],
        externals=inventory.externals(),
        regie=inventory.is_regie(sdk.current_workspace()),
    )


@sdk.require_permission(MANAGE_PLACEMENTS)
def place(code: str) -> Any:
    slot = inventory.slot_of(code)
    row = sdk.db.session.scalar(sdk.scoped(AdPlacement).where(AdPlacement.code == code))
    current = inventory.Place(slot, row)
    form = place_form(current, formdata=request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        with sdk.user_errors(form):
            inventory.save_place(
                code,
                active=form.active.data,
                sizes=form.sizes.data,
                formats=form.formats.data,
                excluded_categories=form.excluded_categories.data,
            )
            if form.active.data:
                flash(sdk._("“%(name)s” is in the network.", name=slot.label), "success")
            else:
                flash(sdk._("“%(name)s” shows no campaign.", name=slot.label), "success")
            return redirect(url_for(".placements"), 303)
    page = render_template("ads/placements/place.html", place=current, form=form)
    return page, 422 if form.errors else 200


@sdk.require_permission(MANAGE_PLACEMENTS)
def external_new() -> Any:
    form = ExternalForm().offer()
    if form.validate_on_submit():
        with sdk.user_errors(form):
            row = inventory.create_external(
                name=form.name.data,
                site_url=form.site_url.data,
                size=form.size.data,
                formats=form.formats.data,
                excluded_categories=form.excluded_categories.data,
                active=form.active.data,
            )
            flash(sdk._("The placement is created: paste its tag on the site."), "success")
            return redirect(url_for(".placement", placement_id=row.id), 303)
    if request.method == "GET":
        form.formats.data = list(sdk.AD_FORMATS)
    page = render_template("ads/placements/external.html", form=form, placement=None)
    return page, 422 if form.errors else 200


@sdk.require_permission(MANAGE_PLACEMENTS)
def placement(placement_id: int) -> Any:
    row = sdk.get_or_404(AdPlacement, placement_id)
    if row.kind != "external":
        return redirect(url_for(".place", code=row.code), 303)
    form = ExternalForm(obj=row).offer()
    if request.method == "GET":
        form.size.data = row.sizes[0] if row.sizes else None
    if form.validate_on_submit():
        with sdk.user_errors(form):
            inventory.update_placement(
                row,
                name=form.name.data,
                site_url=form.site_url.data,
                sizes=[form.size.data],
                formats=form.formats.data,
                excluded_categories=form.excluded_categories.data,
                active=form.active.data,
            )
            flash(sdk._("The placement is saved."), "success")
            return redirect(url_for(".placement", placement_id=row.id), 303)
    page = render_template(
        "ads/placements/external.html",
        form=form,
        placement=row,
        snippet=inventory.snippet(row),
    )
    return page, 422 if form.errors else 200
