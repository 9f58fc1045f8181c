"""What anyone may do with a published listing here: see its pictures and report it."""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace import listing_reports as reports
from ent_plugins.marketplace.listing_images import image_of
from ent_plugins.marketplace.views.listings_forms import ReportForm
from flask import flash, redirect, request, url_for

from ent_core import sdk


def _public(listing_id: int) -> Any:
    listing = reports.public_listing(listing_id)
    if listing is None:
        sdk.abort(404)
    return listing


def listing_page_url(listing_id: int) -> str:
    """The public page of the listing (the discovery part's) when it exists, else home."""
    from flask import current_app

    if "marketplace_public.listing" in current_app.view_functions:
        return url_for("marketplace_public.listing", listing_id=listing_id)
    return url_for("portal.index") if "portal.index" in current_app.view_functions else "/"


def report(listing_id: int) -> Any:
    """``POST /marketplace/listings/<id>/report``: signed in or not, once per person."""
    listing = _public(listing_id)
    form = ReportForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(listing_page_url(listing.id), 303)
    user = sdk.current_user if sdk.current_user.is_authenticated else None
    key = reports.reporter_key(user, request.remote_addr)
    with sdk.user_errors():
        _, created = reports.file_report(
            listing,
            reason=form.reason.data,
            text=form.text.data or "",
            key=key,
            reporter=user,
        )
        sdk.db.session.commit()
        flash(
            sdk._("Thank you: the platform will look at this listing.")
            if created
            else sdk._("You already reported this listing; the platform will look at it."),
            "success",
        )
    return redirect(listing_page_url(listing.id), 303)


def image(listing_id: int, image_id: int, size: str = "large") -> Any:
    """A picture of a published listing (cached: its key names its content)."""
    picture = image_of(_public(listing_id), image_id)
    key = picture.thumb_token if size == "thumb" and picture.thumb_token else picture.file_token
    response = sdk.send_upload(key)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
