"""Campaigns and creatives through the API: ``/api/v1/workspaces/<slug>/ads/campaigns...``.

The same services as the pages; money as ``{"amount", "currency"}``; times ISO 8601 (a time
without offset is the workspace's wall clock); refused moves answer 409 ``invalid_transition``
with ``details.allowed``.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from ent_plugins.ads import billing, campaigns, creatives
from ent_plugins.ads.models import Campaign, Creative
from ent_plugins.ads.permissions import MANAGE_CAMPAIGNS, SEE_REPORTS
from flask import request
from pydantic import Field, ValidationError
from sqlalchemy.orm import selectinload

from ent_core import sdk

TAGS = ("ads",)
PRIORITY = "^(standard|remnant)$"
PRICING = "^(cpm|cpc|flat)$"


def _read_permission() -> None:
    if not (sdk.has_permission(MANAGE_CAMPAIGNS) or sdk.has_permission(SEE_REPORTS)):
        raise sdk.ApiError(
            "forbidden",
            sdk._("You may not read the campaigns."),
            403,
            {"permission": SEE_REPORTS},
        )


def _money(amount: Any) -> sdk.Money:
    return sdk.Money(Decimal(amount or 0))


class EstimateOut(sdk.ApiModel):
    units: int = Field(description="Impressions (cpm), clicks (cpc) or days (flat) bought.")
    budget: sdk.Money
    vat: sdk.Money
    total: sdk.Money = Field(description="Budget with VAT: what a prepaid campaign costs.")


class CreativeOut(sdk.ApiModel):
    id: int
    campaign_id: int
    name: str
    format: str = Field(description="`image`, `html5` or `native`.")
    size: str | None
    headline: str
    body: str
    alt_text: str
    click_url: str
    content_sha256: str
    status: str = Field(description="`pending`, `approved` or `rejected`.")
    rejection_reason: str
    url: str | None = Field(description="Where delivery serves its file (`/ads/creatives/...`).")


class CampaignOut(sdk.ApiModel):
    id: int
    name: str
    status: str = Field(
        description="`draft`, `pending`, `approved`, `rejected`, `paused` or `ended`."
    )
    priority: str
    weight: int
    category: str
    starts_at: datetime
    ends_at: datetime
    pricing: str
    rate: sdk.Money
    budget: sdk.Money
    daily_budget: sdk.Money | None
    spent: sdk.Money
    max_impressions: int | None
    max_daily_impressions: int | None
    max_clicks: int | None
    max_daily_clicks: int | None
    frequency_cap: int | None
    frequency_hours: int
    dayparts: list[str] = Field(description='"weekday:hour", 0 is Monday; empty: every hour.')
    pacing: str
    target_sectors: list[str]
    target_tags: list[str]
    target_languages: list[str]
    target_workspaces: list[str]
    target_placements: list[str]
    landing_url: str
    billing: str = Field(description="`prepaid` or `monthly`.")
    invoice_number: str | None
    paid: bool
    rejection_reason: str
    source: str
    estimate: EstimateOut
    allowed_transitions: list[str]
    creatives: list[CreativeOut]


def creative_json(creative: Creative) -> CreativeOut:
    return CreativeOut(
        id=creative.id,
        campaign_id=creative.campaign_id,
        name=creative.name,
        format=creative.format,
        size=creative.size,
        headline=creative.headline,
        body=creative.body,
        alt_text=creative.alt_text,
        click_url=creative.click_url,
        content_sha256=creative.content_sha256,
        status=creative.status,
        rejection_reason=creative.rejection_reason,
        url=f"/ads/creatives/{creative.id}/" if creative.file_token else None,
    )


def campaign_json(campaign: Campaign) -> CampaignOut:
    quote = campaigns.estimate(campaign)
    return CampaignOut(
        id=campaign.id,
        name=campaign.name,
        status=campaign.status,
        priority=campaign.priority,
        weight=campaign.weight,
        category=campaign.category,
        starts_at=campaign.starts_at,
        ends_at=campaign.ends_at,
        pricing=campaign.pricing,
        rate=_money(campaign.rate),
        budget=_money(campaign.budget),
        daily_budget=None if campaign.daily_budget is None else _money(campaign.daily_budget),
        spent=_money(campaign.spent),
        max_impressions=campaign.max_impressions,
        max_daily_impressions=campaign.max_daily_impressions,
        max_clicks=campaign.max_clicks,
        max_daily_clicks=campaign.max_daily_clicks,
        frequency_cap=campaign.frequency_cap,
        frequency_hours=campaign.frequency_hours,
        dayparts=list(campaign.dayparts or []),
        pacing=campaign.pacing,
        target_sectors=list(campaign.target_sectors or []),
        target_tags=list(campaign.target_tags or []),
        target_languages=list(campaign.target_languages or []),
        target_workspaces=list(campaign.target_workspaces or []),
        target_placements=list(campaign.target_placements or []),
        landing_url=campaign.landing_url,
        billing=campaign.billing,
        invoice_number=campaign.invoice_number,
        paid=campaign.paid_at is not None,
        rejection_reason=campaign.rejection_reason,
        source=campaign.source,
        estimate=EstimateOut(
            units=quote.units,
            budget=_money(quote.budget),
            vat=_money(quote.vat),
            total=_money(quote.total),
        ),
        allowed_transitions=campaigns.allowed(
            campaign, moderator=bool(getattr(sdk.current_user, "is_admin", False))
        ),
        creatives=[creative_json(c) for c in campaign.creatives],
    )


class CampaignQuery(sdk.PageQuery):
    status: str | None = Field(
        default=None, pattern="^(draft|pending|approved|rejected|paused|ended)$"
    )


@sdk.api_operation(
    summary="List the campaigns",
    query=CampaignQuery,
    response=sdk.Page[CampaignOut],
    tags=TAGS,
    errors=(403,),
)
def list_campaigns(query: CampaignQuery) -> Any:
    _read_permission()
    statement = sdk.scoped(Campaign)
    if query.status:
        statement = statement.where(Campaign.status == query.status)
    return sdk.paginate(
        statement.options(selectinload(Campaign.creatives)),
        key=Campaign.id,
        descending=True,
        serialize=lambda rows: [campaign_json(c) for c in rows],
        query=query,
    )


@sdk.api_operation(summary="One campaign", response=CampaignOut, tags=TAGS, errors=(403, 404))
def get_campaign(campaign_id: int) -> CampaignOut:
    _read_permission()
    return campaign_json(sdk.get_or_404(Campaign, campaign_id))


class _Fields(sdk.ApiModel):
    budget: sdk.Money | None = Field(default=None, description="HT; flat pricing: omit it.")
    daily_budget: sdk.Money | None = None
    weight: int | None = Field(default=None, ge=1, le=100)
    ends_at: datetime | None = None
    max_impressions: int | None = Field(default=None, ge=1)
    max_daily_impressions: int | None = Field(default=None, ge=1)
    max_clicks: int | None = Field(default=None, ge=1)
    max_daily_clicks: int | None = Field(default=None, ge=1)
    frequency_cap: int | None = Field(default=None, ge=1)
    frequency_hours: int | None = Field(default=None, ge=1, le=720)
    dayparts: list[str] | None = Field(default=None, max_length=168)
    pacing: str | None = Field(default=None, pattern="^(even|asap)$")
    target_sectors: list[str] | None = Field(default=None, max_length=50)
    target_tags: list[str] | None = Field(default=None, max_length=30)
    target_languages: list[str] | None = Field(default=None, max_length=3)
    target_workspaces: list[str] | None = Field(default=None, max_length=200)
    target_placements: list[str] | None = Field(default=None, max_length=100)


class CampaignIn(_Fields):
    name: str = Field(min_length=1, max_length=200)
    landing_url: str = Field(min_length=1, max_length=1000)
    category: str = "other"
    priority: str = Field(default="standard", pattern=PRIORITY)
    pricing: str = Field(default="cpm", pattern=PRICING)
    starts_at: datetime
    ends_at: datetime  # type: ignore[assignment]


class CampaignPatch(_Fields):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    landing_url: str | None = Field(default=None, max_length=1000)
    category: str | None = None
    priority: str | None = Field(default=None, pattern=PRIORITY)
    pricing: str | None = Field(default=None, pattern=PRICING)
    starts_at: datetime | None = None


#: Fields that ``null`` clears in a PATCH; for the others ``null`` means "leave it".
NULLABLE = frozenset(
    {
        "daily_budget",
        "max_impressions",
        "max_daily_impressions",
        "max_clicks",
        "max_daily_clicks",
        "frequency_cap",
    }
)


def _service_data(body: Any, *, unset: bool) -> dict[str, Any]:
    data = body.model_dump(exclude_unset=unset)
    if unset:
        data = {k: v for k, v in data.items() if v is not None or k in NULLABLE}
    for name in ("starts_at", "ends_at"):
        if data.get(name) is not None:
            data[name] = sdk.to_utc(data[name])
    for name in ("budget", "daily_budget"):
        value = getattr(body, name)
        if name in data:
            data[name] = None if value is None else value.amount
    return data


@sdk.require_permission(MANAGE_CAMPAIGNS)
@sdk.api_operation(
    summary="Create a campaign (a draft)",
    description="The rate comes from the operator's rate card; the budget is at least its "
    "minimum. Advertisers choose `standard` or `remnant`: sponsorship is the régie's.",
    body=CampaignIn,
    response=CampaignOut,
    status=201,
    tags=TAGS,
    errors=(403, 422),
)
def create_campaign(body: CampaignIn) -> CampaignOut:
    data = _service_data(body, unset=False)
    if body.pricing == "flat":
        data.pop("budget", None)
    data = {k: v for k, v in data.items() if v is not None or k in ("budget",)}
    campaign = campaigns.create(data, actor=sdk.current_user)
    sdk.db.session.commit()
    return campaign_json(campaign)


@sdk.require_permission(MANAGE_CAMPAIGNS)
@sdk.api_operation(
    summary="Change a campaign",
    description="Any field of a draft or rejected campaign; of an approved or paused one only "
    "the end, budget (not once a prepaid invoice is issued), caps, pacing and targeting "
    "(409 `not_adjustable` otherwise).",
    body=CampaignPatch,
    response=CampaignOut,
    tags=TAGS,
    errors=(403, 404, 409, 422),
)
def update_campaign(campaign_id: int, body: CampaignPatch) -> CampaignOut:
    campaign = sdk.get_or_404(Campaign, campaign_id)
    campaigns.update(campaign, _service_data(body, unset=True), actor=sdk.current_user)
    return campaign_json(campaign)


class TransitionIn(sdk.ApiModel):
    transition: str = Field(description="`submit`, `approve`, `reject`, `pause` or `resume`.")
    reason: str = Field(default="", max_length=2000, description="Required to `reject`.")
    priority: str | None = Field(
        default=None,
        pattern="^(sponsorship|standard|remnant)$",
        description="`approve` only: the régie's priority (a contract is `sponsorship`).",
    )
    rate: sdk.Money | None = Field(default=None, description="`approve` only: a contract rate.")


@sdk.api_operation(
    summary="Move a campaign through its workflow",
    description="`submit`, `pause`, `resume` for the advertiser; `approve` and `reject` for "
    "platform administrators. Refused: 409 `invalid_transition` with `details.allowed`.",
    body=TransitionIn,
    response=CampaignOut,
    tags=TAGS,
    errors=(403, 404, 409, 422),
)
def campaign_transition(campaign_id: int, body: TransitionIn) -> CampaignOut:
    campaign = sdk.get_or_404(Campaign, campaign_id)
    moderator = bool(getattr(sdk.current_user, "is_admin", False))
    advertiser = sdk.has_permission(MANAGE_CAMPAIGNS)
    if body.transition in ("approve", "reject") and not moderator:
        raise sdk.ApiError(
            "forbidden", sdk._("Only the platform's moderators approve or reject campaigns."), 403
        )
    if body.transition not in ("approve", "reject") and not advertiser:
        raise sdk.ApiError("forbidden", sdk._("You may not manage campaigns."), 403)
    campaigns.transition(
        campaign,
        body.transition,
        actor=sdk.current_user,
        moderator=moderator,
        advertiser=advertiser,
        reason=body.reason,
        priority=body.priority,
        rate=body.rate.amount if body.rate is not None else None,
    )
    return campaign_json(campaign)


class InvoiceOut(sdk.ApiModel):
    number: str
    total: sdk.Money
    status: str
    url: str = Field(description="The workspace's invoice page, where it is paid.")


@sdk.require_permission(MANAGE_CAMPAIGNS)
@sdk.api_operation(
    summary="Issue the prepaid invoice of a campaign",
    description="Once per campaign (a second call answers the same invoice). The campaign "
    "runs once it is approved and this invoice paid.",
    response=InvoiceOut,
    tags=TAGS,
    errors=(403, 404, 409),
)
def campaign_invoice(campaign_id: int) -> InvoiceOut:
    campaign = sdk.get_or_404(Campaign, campaign_id)
    invoice = billing.pay(campaign, actor=sdk.current_user)
    return InvoiceOut(
        number=invoice.number,
        total=sdk.Money(invoice.total),
        status=invoice.status,
        url=sdk.external_url(
            "billing.invoice", workspace=sdk.current_workspace().slug, number=invoice.number
        ),
    )


# -- creatives --------------------------------------------------------------------------------
class CreativeUpload(sdk.ApiModel):
    format: str = Field(pattern="^(image|html5|native)$")
    size: str | None = None
    name: str = Field(default="", max_length=200)
    headline: str = Field(default="", max_length=200)
    body: str = Field(default="", max_length=1000)
    alt_text: str = Field(default="", max_length=200)
    click_url: str = Field(default="", max_length=1000)


def _form_fields() -> CreativeUpload:
    try:
        return CreativeUpload.model_validate(request.form.to_dict())
    except ValidationError as exc:
        fields: dict[str, list[str]] = {}
        for error in exc.errors():
            fields.setdefault(".".join(str(p) for p in error["loc"]), []).append(error["msg"])
        raise sdk.ApiError(
            "validation_error", sdk._("Some fields are not valid."), 422, {"fields": fields}
        ) from None


@sdk.api_operation(
    summary="List a campaign's creatives",
    response=sdk.Page[CreativeOut],
    tags=TAGS,
    errors=(403, 404),
)
def list_creatives(campaign_id: int) -> Any:
    _read_permission()
    campaign = sdk.get_or_404(Campaign, campaign_id)
    return {"items": [creative_json(c) for c in campaign.creatives], "next_cursor": None}


@sdk.api_operation(summary="One creative", response=CreativeOut, tags=TAGS, errors=(403, 404))
def get_creative(campaign_id: int, creative_id: int) -> CreativeOut:
    _read_permission()
    return creative_json(_creative(campaign_id, creative_id))


def _creative(campaign_id: int, creative_id: int) -> Creative:
    found = sdk.get_or_404(Creative, creative_id)
    if found.campaign_id != campaign_id:
        sdk.abort(404)
    return found


@sdk.require_permission(MANAGE_CAMPAIGNS)
@sdk.api_operation(
    summary="Upload a creative",
    description="`multipart/form-data`: `format` (`image`, `html5`, `native`), `size` (an IAB "
    "size; not for `native`), `file` (the image, the ZIP bundle, or a text ad's optional "
    "picture), `headline` and `body` (text ads), `alt_text` (images), `click_url`, `name`. "
    "Checked by content; refused: 422 `creative_rejected` with `details.reason`.",
    response=CreativeOut,
    status=201,
    tags=TAGS,
    errors=(403, 404, 409, 422),
)
def create_creative(campaign_id: int) -> CreativeOut:
    campaign = sdk.get_or_404(Campaign, campaign_id)
    fields = _form_fields()
    upload = request.files.get("file")
    creative = creatives.create(
        campaign,
        name=fields.name,
        fmt=fields.format,
        size=fields.size,
        click_url=fields.click_url,
        alt_text=fields.alt_text,
        headline=fields.headline,
        body=fields.body,
        upload=upload if upload is not None and upload.filename else None,
        actor=sdk.current_user,
    )
    sdk.db.session.commit()
    return creative_json(creative)


@sdk.require_permission(MANAGE_CAMPAIGNS)
@sdk.api_operation(
    summary="Delete a creative awaiting approval",
    description="An approved creative is kept for the reports: 409 `invalid_transition`.",
    status=204,
    tags=TAGS,
    errors=(403, 404, 409),
)
def delete_creative(campaign_id: int, creative_id: int) -> None:
    creatives.delete(_creative(campaign_id, creative_id))
