"""A campaign's creatives: uploading, changing (back to moderation), deleting."""

from __future__ import annotations

from typing import Any

from ent_plugins.ads import creatives
from ent_plugins.ads.campaign_forms import ActionForm, CreativeEditForm, CreativeForm
from ent_plugins.ads.catalogues import FORMATS, choices
from ent_plugins.ads.models import Campaign, Creative
from ent_plugins.ads.permissions import MANAGE_CAMPAIGNS
from ent_plugins.ads.views.campaigns import labels, may_read
from flask import flash, redirect, render_template, request, url_for

from ent_core import sdk

_ = sdk._


def _creative(campaign_id: int, creative_id: int) -> Creative:
    found = sdk.get_or_404(Creative, creative_id)
    if found.campaign_id != campaign_id:
        sdk.abort(404)
    return found


@may_read
def creative_list(campaign_id: int) -> Any:
    """The creatives are listed on the campaign's page."""
    campaign = sdk.get_or_404(Campaign, campaign_id)
    return redirect(url_for(".campaign", campaign_id=campaign.id) + "#creatives", 303)


@sdk.require_permission(MANAGE_CAMPAIGNS)
def creative_new(campaign_id: int) -> Any:
    campaign = sdk.get_or_404(Campaign, campaign_id)
    form = CreativeForm()
    form.format.choices = choices(FORMATS)
    form.size.choices = choices((s, s.replace("x", " x ")) for s in sdk.IAB_SIZES)
    if form.validate_on_submit():
        upload = form.file.data
        with sdk.user_errors(form, rename={"image": "file"}):
            creatives.create(
                campaign,
                name=form.name.data or "",
                fmt=form.format.data,
                size=form.size.data,
                click_url=form.click_url.data or "",
                alt_text=form.alt_text.data or "",
                headline=form.headline.data or "",
                body=form.body.data or "",
                upload=upload if upload and getattr(upload, "filename", "") else None,
                actor=sdk.current_user,
            )
            sdk.db.session.commit()
            flash(_("The creative is uploaded; a moderator approves it before it runs."), "success")
            return redirect(url_for(".campaign", campaign_id=campaign.id) + "#creatives", 303)
    return render_template(
        "ads/creatives/form.html", form=form, campaign=campaign, creative=None, **labels()
    ), 422 if form.errors else 200


@sdk.require_permission(MANAGE_CAMPAIGNS)
def creative_edit(campaign_id: int, creative_id: int) -> Any:
    creative = _creative(campaign_id, creative_id)
    form = CreativeEditForm(obj=creative if request.method == "GET" else None)
    if form.validate_on_submit():
        upload = form.file.data
        with sdk.user_errors(form, rename={"image": "file"}):
            changed = creatives.replace_content(
                creative,
                upload=upload if upload and getattr(upload, "filename", "") else None,
                headline=form.headline.data or "",
                body=form.body.data or "",
                alt_text=form.alt_text.data or "",
                click_url=form.click_url.data or creative.click_url,
            )
            if changed:
                flash(_("The creative is saved."), "success")
            return redirect(url_for(".campaign", campaign_id=campaign_id) + "#creatives", 303)
    return render_template(
        "ads/creatives/form.html",
        form=form,
        campaign=creative.campaign,
        creative=creative,
        **labels(),
    ), 422 if form.errors else 200


@sdk.require_permission(MANAGE_CAMPAIGNS)
def creative_delete(campaign_id: int, creative_id: int) -> Any:
    creative = _creative(campaign_id, creative_id)
    if not ActionForm().validate_on_submit():
        sdk.abort(400)
    with sdk.user_errors():
        creatives.delete(creative)
        flash(_("The creative is deleted."), "info")
    return redirect(url_for(".campaign", campaign_id=campaign_id) + "#creatives", 303)


@may_read
def creative_file(campaign_id: int, creative_id: int) -> Any:
    """The picture of one of the workspace's image or text ads, for its own pages (HTML5
    bundles are shown through delivery's sandboxed frame)."""
    creative = _creative(campaign_id, creative_id)
    if not creative.file_token or creative.format == "html5":
        sdk.abort(404)
    return sdk.send_upload(creative.file_token)
