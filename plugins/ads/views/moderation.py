"""The moderators' pages (``/admin/ads/``, platform administrators only): the queues, a
campaign's review with its creatives' previews, decisions, and advertisers' terms."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from ent_plugins.ads import billing, campaigns, creatives
from ent_plugins.ads.campaign_forms import ActionForm, ApproveForm, RejectForm, TermsForm
from ent_plugins.ads.catalogues import PRIORITIES, choices
from ent_plugins.ads.models import AdvertiserTerms, Campaign, Creative
from ent_plugins.ads.views.campaigns import labels
from flask import flash, redirect, render_template, request, url_for
from sqlalchemy.orm import selectinload

from ent_core import sdk

_ = sdk._
_WORKSPACE = sa.table("workspace", sa.column("id"), sa.column("slug"), sa.column("name"))


def _names(ids: set[int]) -> dict[int, Any]:
    if not ids:
        return {}
    rows = sdk.db.session.execute(
        sa.select(_WORKSPACE.c.id, _WORKSPACE.c.slug, _WORKSPACE.c.name).where(
            _WORKSPACE.c.id.in_(ids)
        )
    )
    return {row.id: row for row in rows}


def index() -> Any:
    """The queues: campaigns awaiting approval, and creatives changed on running campaigns."""
    waiting = list(
        sdk.db.session.scalars(
            sa.select(Campaign)
            .where(Campaign.status == "pending")
            .options(selectinload(Campaign.creatives))
            .order_by(Campaign.submitted_at, Campaign.id)
        )
    )
    changed = list(
        sdk.db.session.scalars(
            sa.select(Creative)
            .join(Campaign, Campaign.id == Creative.campaign_id)
            .where(Creative.status == "pending", Campaign.status.in_(campaigns.ADJUSTABLE))
            .order_by(Creative.updated_at, Creative.id)
        )
    )
    terms = list(
        sdk.db.session.scalars(
            sa.select(AdvertiserTerms).where(AdvertiserTerms.monthly_billing.is_(True))
        )
    )
    owners = _names(
        {c.workspace_id for c in waiting}
        | {c.workspace_id for c in changed}
        | {t.workspace_id for t in terms}
    )
    return render_template(
        "ads/admin/index.html",
        waiting=waiting,
        changed=changed,
        terms=terms,
        owners=owners,
        terms_form=TermsForm(monthly="1"),
        **labels(),
    )


def _approve_form() -> ApproveForm:
    form = ApproveForm()
    form.priority.choices = choices([("", _("As the advertiser chose")), *list(PRIORITIES.items())])
    return form


def review(campaign_id: int) -> Any:
    found = sdk.db.session.scalar(
        sa.select(Campaign)
        .where(Campaign.id == campaign_id)
        .options(selectinload(Campaign.creatives))
    )
    if found is None:
        sdk.abort(404)
    return _review_page(found, _approve_form(), RejectForm(formdata=None))


def _review_page(found: Campaign, approve_form: Any, reject_form: Any, status: int = 200) -> Any:
    return render_template(
        "ads/admin/campaign.html",
        campaign=found,
        owner=_names({found.workspace_id}).get(found.workspace_id),
        estimate=campaigns.estimate(found),
        history=campaigns.history(found),
        approve_form=approve_form,
        reject_form=reject_form,
        action_form=ActionForm(),
        reject_creative_form=RejectForm(formdata=None),
        **labels(),
    ), status


def decide(campaign_id: int, decision: str) -> Any:
    """Approve (with the régie's priority and contract rate) or reject (with a reason)."""
    found = sdk.db.session.get(Campaign, campaign_id) or sdk.abort(404)
    approving = decision == "approve"
    approve_form = _approve_form() if approving else _approve_form_unposted()
    reject_form = RejectForm() if not approving else RejectForm(formdata=None)
    form = approve_form if approving else reject_form
    if form.validate_on_submit():
        with sdk.user_errors(form) as refused:
            campaigns.transition(
                found,
                decision,
                actor=sdk.current_user,
                moderator=True,
                advertiser=False,
                reason="" if approving else reject_form.reason.data,
                priority=(approve_form.priority.data or None) if approving else None,
                rate=approve_form.rate.data if approving else None,
            )
            message = (
                _("The campaign is approved.")
                if approving
                else _("The campaign is rejected; the advertiser is told why.")
            )
            flash(message, "success")
            return redirect(url_for(".index"), 303)
        return _review_page(found, approve_form, reject_form, refused.status())
    return _review_page(found, approve_form, reject_form, 422)


def _approve_form_unposted() -> ApproveForm:
    form = ApproveForm(formdata=None)
    form.priority.choices = choices([("", _("As the advertiser chose")), *list(PRIORITIES.items())])
    return form


def creative_decide(creative_id: int, decision: str) -> Any:
    """One creative: approve it, or reject it with a reason."""
    creative = sdk.db.session.get(Creative, creative_id) or sdk.abort(404)
    form = RejectForm() if decision == "reject" else ActionForm()
    if not form.validate_on_submit():
        flash(_("Say why the creative is rejected."), "error")
    else:
        with sdk.user_errors():
            creatives.moderate(
                creative,
                decision,
                actor=sdk.current_user,
                reason=form.reason.data if decision == "reject" else "",
            )
            flash(
                _("The creative is approved.")
                if decision == "approve"
                else _("The creative is rejected."),
                "success",
            )
    back = request.form.get("back") or ""
    if back == "index":
        return redirect(url_for(".index"), 303)
    return redirect(url_for(".review", campaign_id=creative.campaign_id), 303)


def creative_file(creative_id: int) -> Any:
    """The picture of an image or text ad, for the preview (HTML5 goes through delivery)."""
    creative = sdk.db.session.get(Creative, creative_id) or sdk.abort(404)
    if not creative.file_token or creative.format == "html5":
        sdk.abort(404)
    return sdk.send_upload(creative.file_token)


def terms() -> Any:
    """Grant or withdraw monthly invoicing to an advertiser, named by its workspace slug."""
    form = TermsForm()
    if form.validate_on_submit():
        slug = form.workspace.data.strip()
        row = sdk.db.session.execute(
            sa.select(_WORKSPACE.c.id).where(_WORKSPACE.c.slug == slug)
        ).first()
        if row is None:
            flash(_("No workspace has this address name."), "error")
        else:
            billing.grant_monthly(row.id, form.monthly.data == "1", actor=sdk.current_user)
            flash(_("The advertiser's terms are saved."), "success")
    else:
        flash(_("Give the advertiser's workspace."), "error")
    return redirect(url_for(".index") + "#terms", 303)
