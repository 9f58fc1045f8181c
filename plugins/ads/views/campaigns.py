"""Campaigns' pages: the list, the form, a campaign with its creatives and history, paying."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ent_plugins.ads import billing, campaigns
from ent_plugins.ads.campaign_forms import WEEK_HOURS, ActionForm, CampaignForm
from ent_plugins.ads.catalogues import (
    CAMPAIGN_STATUSES,
    CATEGORIES,
    CREATIVE_STATUSES,
    FORMATS,
    PACING,
    PRICING,
    PRIORITIES,
    choices,
)
from ent_plugins.ads.models import Campaign
from ent_plugins.ads.permissions import MANAGE_CAMPAIGNS, SEE_REPORTS
from ent_plugins.ads.settings import settings
from flask import flash, redirect, render_template, request, url_for
from sqlalchemy.orm import selectinload
from wtforms.validators import Optional

from ent_core import sdk

_ = sdk._
HISTORY_ACTIONS = {
    "create": sdk._l("Created"),
    "edit": sdk._l("Changed"),
    "submit": sdk._l("Submitted"),
    "approve": sdk._l("Approved"),
    "reject": sdk._l("Rejected"),
    "pause": sdk._l("Paused"),
    "resume": sdk._l("Resumed"),
    "paid": sdk._l("Paid"),
}
LANGUAGE_LABELS = {"fr": sdk._l("French"), "ar": sdk._l("Arabic"), "en": sdk._l("English")}


def may_read(view: Callable[..., Any]) -> Callable[..., Any]:
    """Advertisers manage campaigns; editors and others with reports read them."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not (sdk.has_permission(MANAGE_CAMPAIGNS) or sdk.has_permission(SEE_REPORTS)):
            sdk.abort(403)
        return view(*args, **kwargs)

    return wrapper


def labels() -> dict[str, Any]:
    return {
        "statuses": CAMPAIGN_STATUSES,
        "creative_statuses": CREATIVE_STATUSES,
        "pricings": PRICING,
        "priorities": PRIORITIES,
        "categories": CATEGORIES,
        "formats": FORMATS,
        "pacings": PACING,
        "languages": LANGUAGE_LABELS,
        "actions": HISTORY_ACTIONS,
    }


def _campaign(campaign_id: int) -> Campaign:
    return sdk.get_or_404(Campaign, campaign_id)


def _local(moment: Any) -> Any:
    return None if moment is None else sdk.to_local(moment).replace(tzinfo=None)


@may_read
def campaign_list() -> Any:
    """The workspace's campaigns, newest first, a page at a time."""
    statement = sdk.scoped(Campaign)
    status = request.args.get("status")
    if status in CAMPAIGN_STATUSES:
        statement = statement.where(Campaign.status == status)
    page = sdk.paginate(statement, key=Campaign.id, descending=True)
    return render_template(
        "ads/campaigns/list.html",
        campaigns=page["items"],
        next_cursor=page["next_cursor"],
        status=status,
        manages=sdk.has_permission(MANAGE_CAMPAIGNS),
        **labels(),
    )


def _choices(form: CampaignForm) -> None:
    card = settings()
    form.category.choices = choices(CATEGORIES)
    form.priority.choices = choices({k: PRIORITIES[k] for k in campaigns.SELF_SERVE_PRIORITIES})
    form.pricing.choices = choices(
        [
            (
                "cpm",
                _(
                    "%(label)s — %(price)s",
                    label=PRICING["cpm"],
                    price=sdk.Money(card.cpm_price).format(),
                ),
            ),
            (
                "cpc",
                _(
                    "%(label)s — %(price)s",
                    label=PRICING["cpc"],
                    price=sdk.Money(card.cpc_price).format(),
                ),
            ),
            (
                "flat",
                _(
                    "%(label)s — %(price)s a day",
                    label=PRICING["flat"],
                    price=sdk.Money(card.flat_day_price).format(),
                ),
            ),
        ]
    )
    form.pacing.choices = choices(PACING)
    form.target_sectors.choices = choices(
        (c, sdk.sector_label(c)) for c in campaigns.sector_codes()
    )
    form.target_languages.choices = choices(LANGUAGE_LABELS)
    form.target_workspaces.choices = choices(campaigns.publishers())
    form.target_placements.choices = choices(campaigns.placement_codes())


FORM_FIELDS = (
    "name",
    "landing_url",
    "category",
    "priority",
    "weight",
    "starts_at",
    "ends_at",
    "pricing",
    "budget",
    "daily_budget",
    "max_impressions",
    "max_daily_impressions",
    "max_clicks",
    "max_daily_clicks",
    "frequency_cap",
    "frequency_hours",
    "dayparts",
    "pacing",
    "target_sectors",
    "target_tags",
    "target_languages",
    "target_workspaces",
    "target_placements",
)


def _data(form: CampaignForm, names: Any = FORM_FIELDS) -> dict[str, Any]:
    """What the form says, in the service's terms (times in UTC, tags as a list)."""
    data: dict[str, Any] = {}
    for name in names:
        value = getattr(form, name).data
        if name in ("starts_at", "ends_at"):
            value = sdk.to_utc(value) if value else None
        elif name == "target_tags":
            value = [t for t in (value or "").split(",") if t.strip()]
        elif name == "budget" and value is None and form.pricing.data == "flat":
            continue
        data[name] = value
    return data


def _fill(form: CampaignForm, campaign: Campaign) -> None:
    for name in FORM_FIELDS:
        value = getattr(campaign, name)
        if name in ("starts_at", "ends_at"):
            value = _local(value)
        elif name == "target_tags":
            value = ", ".join(value or [])
        getattr(form, name).data = value


def _form_page(form: CampaignForm, title: str, back: str, campaign: Campaign | None) -> Any:
    adjustable = campaign is not None and campaign.status in campaigns.ADJUSTABLE
    return render_template(
        "ads/campaigns/form.html",
        form=form,
        title=title,
        back=back,
        campaign=campaign,
        adjustable=adjustable,
        adjustable_fields=campaigns.ADJUSTABLE_FIELDS,
        week_hours=WEEK_HOURS,
        chosen_hours=set(form.dayparts.data or []),
        card=settings(),
        **labels(),
    ), 422 if form.errors else 200


@sdk.require_permission(MANAGE_CAMPAIGNS)
def campaign_new() -> Any:
    form = CampaignForm()
    _choices(form)
    if form.validate_on_submit():
        with sdk.user_errors(form):
            campaign = campaigns.create(_data(form), actor=sdk.current_user)
            sdk.db.session.commit()
            flash(
                _("The campaign is saved as a draft. Add its creatives, then submit it."), "success"
            )
            return redirect(url_for(".campaign", campaign_id=campaign.id), 303)
    return _form_page(form, _("New campaign"), url_for(".campaign_list"), None)


@sdk.require_permission(MANAGE_CAMPAIGNS)
def campaign_edit(campaign_id: int) -> Any:
    campaign = _campaign(campaign_id)
    if campaign.status not in (*campaigns.EDITABLE, *campaigns.ADJUSTABLE):
        flash(_("This campaign can no longer be changed."), "error")
        return redirect(url_for(".campaign", campaign_id=campaign.id), 303)
    form = CampaignForm()
    _choices(form)
    if request.method == "GET":
        _fill(form, campaign)
    adjustable = campaign.status in campaigns.ADJUSTABLE
    if adjustable:  # the fields that went through moderation are shown, not posted
        for name in set(FORM_FIELDS) - campaigns.ADJUSTABLE_FIELDS:
            getattr(form, name).validators = [Optional()]
    if form.validate_on_submit():
        names = [n for n in FORM_FIELDS if not adjustable or n in campaigns.ADJUSTABLE_FIELDS]
        if adjustable and campaign.pricing == "flat":  # sold for its dates (docs/ads.md)
            names = [n for n in names if n not in ("ends_at", "budget")]
        with sdk.user_errors(form):
            campaigns.update(campaign, _data(form, names), actor=sdk.current_user)
            flash(_("The campaign is saved."), "success")
            return redirect(url_for(".campaign", campaign_id=campaign.id), 303)
    if adjustable and request.method == "POST":
        _fill_moderated(form, campaign)
    return _form_page(
        form, _("Change the campaign"), url_for(".campaign", campaign_id=campaign.id), campaign
    )


def _fill_moderated(form: CampaignForm, campaign: Campaign) -> None:
    for name in set(FORM_FIELDS) - campaigns.ADJUSTABLE_FIELDS:
        value = getattr(campaign, name)
        getattr(form, name).data = _local(value) if name == "starts_at" else value


@may_read
def campaign(campaign_id: int) -> Any:
    """The campaign, its price, its creatives, what may be done now and what happened."""
    found = sdk.db.session.scalar(
        sdk.scoped(Campaign)
        .where(Campaign.id == campaign_id)
        .options(selectinload(Campaign.creatives))
    )
    if found is None:
        sdk.abort(404)
    manages = sdk.has_permission(MANAGE_CAMPAIGNS)
    return render_template(
        "ads/campaigns/campaign.html",
        campaign=found,
        estimate=campaigns.estimate(found),
        allowed=campaigns.allowed(found, moderator=False) if manages else [],
        manages=manages,
        history=campaigns.history(found),
        may_pay=manages
        and found.billing == "prepaid"
        and found.status in billing.PAYABLE
        and not found.paid_at,
        action_form=ActionForm(),
        local=_local,
        **labels(),
    )


DONE = {
    "submit": sdk._l("The campaign is submitted: a moderator will review it."),
    "pause": sdk._l("The campaign is paused."),
    "resume": sdk._l("The campaign runs again."),
}


@sdk.require_permission(MANAGE_CAMPAIGNS)
def campaign_move(campaign_id: int, name: str) -> Any:
    """The advertiser's buttons: submit, pause, resume (a refusal is flashed)."""
    found = _campaign(campaign_id)
    if not ActionForm().validate_on_submit():
        sdk.abort(400)
    with sdk.user_errors():
        campaigns.transition(found, name, actor=sdk.current_user)
        flash(str(DONE[name]), "success")
    return redirect(url_for(".campaign", campaign_id=campaign_id), 303)


@sdk.require_permission(MANAGE_CAMPAIGNS)
def campaign_pay(campaign_id: int) -> Any:
    """Issue (or find) the prepaid invoice and go to the workspace's invoice page."""
    found = _campaign(campaign_id)
    if not ActionForm().validate_on_submit():
        sdk.abort(400)
    with sdk.user_errors():
        invoice = billing.pay(found, actor=sdk.current_user)
        flash(
            _("Invoice %(number)s is issued: pay it to start the campaign.", number=invoice.number),
            "success",
        )
        if sdk.has_permission("workspace.manage_billing"):
            return redirect(url_for("billing.invoice", number=invoice.number), 303)
    return redirect(url_for(".campaign", campaign_id=campaign_id), 303)
