"""The seller writes its storefront: ``/w/<slug>/marketplace/storefront``."""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace import storefronts
from ent_plugins.marketplace.permissions import MANAGE_LISTINGS
from ent_plugins.marketplace.storefront_forms import StorefrontForm
from flask import flash, redirect, render_template, url_for

from ent_core import sdk


@sdk.require_permission(MANAGE_LISTINGS)
def edit_storefront() -> Any:
    profile = storefronts.own_profile()
    form = StorefrontForm(obj=profile)
    if form.validate_on_submit():
        storefronts.update_profile(
            profile,
            tagline=form.tagline.data or "",
            about=form.about.data or "",
            location=form.location.data or "",
        )
        sdk.db.session.commit()
        flash(sdk._("Your storefront is saved."), "success")
        return redirect(url_for("marketplace.discovery_storefront"), 303)
    status = 422 if form.is_submitted() else 200
    workspace = sdk.current_workspace()
    return render_template(
        "marketplace/discovery/storefront_edit.html", form=form, workspace=workspace
    ), status
