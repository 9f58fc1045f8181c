"""Classified ads through the API.

A workspace's ads: ``/api/v1/workspaces/<slug>/ads/classifieds`` (list, create, read, update,
``.../<id>/transitions`` with ``withdraw``, ``renew``, ``boost``). The boards, read-only and
public like the sector portal: ``GET /api/v1/classifieds?sector=&kind=&cursor=``.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import Decimal
from typing import Any

from ent_plugins.ads import classified_boards as boards
from ent_plugins.ads import classifieds as service
from ent_plugins.ads.models import ClassifiedAd
from ent_plugins.ads.permissions import POST_CLASSIFIEDS
from flask import jsonify, request
from pydantic import Field
from sqlalchemy.orm import selectinload

from ent_core import sdk

TAGS = ("ads",)
KIND_PATTERN = "^(job|service|event|equipment|property|other)$"


class ImageOut(sdk.ApiModel):
    url: str = Field(description="Absolute address of the picture (public once the ad is).")
    alt: str


class ClassifiedOut(sdk.ApiModel):
    id: int
    sector: str = Field(description="The board: a sector code.")
    kind: str = Field(description="`job`, `service`, `event`, `equipment`, `property`, `other`.")
    title: str
    body: str
    body_format: str = Field(description="`text` or `markdown`.")
    language: str
    price: sdk.Money | None
    location: str
    contact_email: str
    contact_phone: str
    status: str = Field(
        description="`unpaid`, `pending`, `published`, `rejected`, `withdrawn`, `expired`, "
        "`removed`."
    )
    rejection_reason: str
    free: bool = Field(description="Posted within the plan's free monthly quota.")
    invoice_number: str | None = Field(description="The invoice that pays for posting it.")
    published_at: datetime | None
    expires_at: datetime | None
    boosted_until: datetime | None
    renewals: int
    images: list[ImageOut]
    allowed_transitions: list[str]
    url: str | None = Field(description="Its public page, while the board shows it.")


class PublicClassifiedOut(sdk.ApiModel):
    id: int
    sector: str
    kind: str
    title: str
    summary: str = Field(description="The text as plain text, cut near 300 characters.")
    language: str
    price: sdk.Money | None
    location: str
    workspace: str = Field(description="The name of the workspace that posted it.")
    published_at: datetime | None
    expires_at: datetime | None
    boosted: bool
    images: list[ImageOut]
    url: str = Field(description="Its public page (contact details are there, on request).")


class ClassifiedIn(sdk.ApiModel):
    sector: str = Field(max_length=40)
    kind: str = Field(pattern=KIND_PATTERN)
    title: str = Field(min_length=1, max_length=service.TITLE_MAX)
    body: str = Field(min_length=1, max_length=service.BODY_MAX)
    body_format: str = Field(default="text", pattern="^(text|markdown)$")
    language: str = Field(default="fr", pattern="^(fr|ar|en)$")
    price: sdk.Money | None = None
    location: str = Field(default="", max_length=120)
    contact_email: str = Field(default="", max_length=254)
    contact_phone: str = Field(default="", max_length=40)
    pay: bool = Field(
        default=False,
        description="Beyond the free quota, invoice the workspace and publish once paid "
        "(without it: 409 `quota_exceeded`).",
    )


class ClassifiedPatch(sdk.ApiModel):
    sector: str | None = Field(default=None, max_length=40)
    kind: str | None = Field(default=None, pattern=KIND_PATTERN)
    title: str | None = Field(default=None, min_length=1, max_length=service.TITLE_MAX)
    body: str | None = Field(default=None, min_length=1, max_length=service.BODY_MAX)
    body_format: str | None = Field(default=None, pattern="^(text|markdown)$")
    language: str | None = Field(default=None, pattern="^(fr|ar|en)$")
    price: sdk.Money | None = None
    location: str | None = Field(default=None, max_length=120)
    contact_email: str | None = Field(default=None, max_length=254)
    contact_phone: str | None = Field(default=None, max_length=40)


class CreatedOut(sdk.ApiModel):
    classified: ClassifiedOut
    invoice_number: str | None = Field(
        description="Set when the ad was posted beyond the quota: it is published once paid."
    )


class TransitionIn(sdk.ApiModel):
    transition: str = Field(description="`withdraw`, `renew` or `boost`.")
    pay: bool = Field(default=False, description="`renew` beyond the free quota: invoice it.")


class TransitionOut(sdk.ApiModel):
    classified: ClassifiedOut
    invoice_number: str | None = Field(
        description="`boost`, or `renew` beyond the quota: the invoice to pay."
    )


class PublicQuery(sdk.PageQuery):
    sector: str | None = Field(default=None, max_length=40)
    kind: str | None = Field(default=None, pattern=KIND_PATTERN)


def _money(amount: Decimal | None) -> sdk.Money | None:
    return None if amount is None else sdk.Money(amount)


def _images(ad: ClassifiedAd, public: bool) -> list[ImageOut]:
    if public:
        return [ImageOut(url=boards.image_url(i), alt=i.alt_text) for i in ad.images]
    return [
        ImageOut(
            url=sdk.external_url(
                "ads.classified_image", workspace=ad.workspace.slug, image_id=i.id
            ),
            alt=i.alt_text,
        )
        for i in ad.images
    ]


def classified_json(ad: ClassifiedAd) -> ClassifiedOut:
    visible = ad.status == "published" and service.boostable(ad)
    return ClassifiedOut(
        id=ad.id,
        sector=ad.sector,
        kind=ad.kind,
        title=ad.title,
        body=ad.body,
        body_format=ad.body_format,
        language=ad.language,
        price=_money(ad.price),
        location=ad.location,
        contact_email=ad.contact_email,
        contact_phone=ad.contact_phone,
        status=ad.status,
        rejection_reason=ad.rejection_reason,
        free=ad.free,
        invoice_number=ad.invoice_number,
        published_at=ad.published_at,
        expires_at=ad.expires_at,
        boosted_until=ad.boosted_until,
        renewals=ad.renewals,
        images=_images(ad, False),
        allowed_transitions=service.allowed_transitions(ad),
        url=boards.ad_url(ad) if visible else None,
    )


def _fields(body: Any, ad: ClassifiedAd | None = None) -> service.AdFields:
    values = body.model_dump(exclude_unset=ad is not None)
    values.pop("pay", None)
    if "price" in values:
        if body.price is not None and body.price.currency != "MAD":
            raise sdk.UserError(
                "validation_error", sdk._("Give the price in dirhams (MAD)."), 422, field="price"
            )
        values["price"] = body.price.amount if body.price is not None else None
    if ad is None:
        return service.AdFields(**values)
    current = {name: getattr(ad, name) for name in service.AdFields.__dataclass_fields__}
    current.update(values)
    return service.AdFields(**current)


@sdk.require_permission(POST_CLASSIFIEDS)
@sdk.api_operation(
    summary="List the workspace's classified ads",
    query=sdk.PageQuery,
    response=sdk.Page[ClassifiedOut],
    tags=TAGS,
    errors=(403,),
)
def list_classifieds(query: sdk.PageQuery) -> Any:
    statement = sdk.scoped(ClassifiedAd).options(selectinload(ClassifiedAd.images))
    return sdk.paginate(
        statement,
        key=ClassifiedAd.id,
        descending=True,
        query=query,
        serialize=lambda rows: [classified_json(r) for r in rows],
    )


@sdk.require_permission(POST_CLASSIFIEDS)
@sdk.api_operation(
    summary="Post a classified ad",
    description=(
        "Takes one unit of the plan's monthly quota `classified_ads_per_month`. Beyond it: "
        "409 `quota_exceeded` (`details.quota`, `limit`, `used`, `price`), or with "
        '`"pay": true` the ad waits as `unpaid` and `invoice_number` names the invoice; it is '
        "published (or queued for moderation) once paid. Pictures: through the members' page."
    ),
    body=ClassifiedIn,
    response=CreatedOut,
    status=201,
    tags=TAGS,
    errors=(403, 409, 422),
)
def create_classified(body: ClassifiedIn) -> Any:
    ad, invoice = service.create_classified(
        sdk.current_workspace(), sdk.current_user, _fields(body), pay=body.pay
    )
    sdk.db.session.commit()
    return CreatedOut(
        classified=classified_json(ad), invoice_number=invoice.number if invoice else None
    )


@sdk.require_permission(POST_CLASSIFIEDS)
@sdk.api_operation(
    summary="Read a classified ad", response=ClassifiedOut, tags=TAGS, errors=(403, 404)
)
def get_classified(classified_id: int) -> Any:
    return classified_json(sdk.get_or_404(ClassifiedAd, classified_id))


@sdk.require_permission(POST_CLASSIFIEDS)
@sdk.api_operation(
    summary="Change a classified ad",
    description="Under pre-moderation a published ad goes back to the moderators.",
    body=ClassifiedPatch,
    response=ClassifiedOut,
    tags=TAGS,
    errors=(403, 404, 409, 422),
)
def patch_classified(classified_id: int, body: ClassifiedPatch) -> Any:
    ad = sdk.get_or_404(ClassifiedAd, classified_id)
    service.update_classified(ad, _fields(body, ad))
    sdk.db.session.commit()
    return classified_json(ad)


@sdk.require_permission(POST_CLASSIFIEDS)
@sdk.api_operation(
    summary="Withdraw, renew or boost a classified ad",
    description=(
        "`renew` (an expired ad, or one within 3 days of expiry) takes a unit of the monthly "
        'quota like a new ad; beyond it 409 `quota_exceeded`, or with `"pay": true` an '
        "invoice. `boost` always issues an invoice; it applies when paid."
    ),
    body=TransitionIn,
    response=TransitionOut,
    tags=TAGS,
    errors=(403, 404, 409),
)
def classified_transition(classified_id: int, body: TransitionIn) -> Any:
    ad = sdk.get_or_404(ClassifiedAd, classified_id)
    invoice = None
    if body.transition not in service.allowed_transitions(ad):
        raise service.invalid(ad)
    if body.transition == "withdraw":
        service.withdraw(ad)
    elif body.transition == "renew":
        invoice = service.renew(ad, sdk.current_user, pay=body.pay)
    else:
        invoice = service.boost(ad, sdk.current_user)
    sdk.db.session.commit()
    return TransitionOut(
        classified=classified_json(ad), invoice_number=invoice.number if invoice else None
    )


def public_json(rows: list[ClassifiedAd]) -> list[PublicClassifiedOut]:
    return [
        PublicClassifiedOut(
            id=ad.id,
            sector=ad.sector,
            kind=ad.kind,
            title=ad.title,
            summary=boards.summary(ad),
            language=ad.language,
            price=_money(ad.price),
            location=ad.location,
            workspace=ad.workspace.name,
            published_at=ad.published_at,
            expires_at=ad.expires_at,
            boosted=service.boosted(ad),
            images=_images(ad, True),
            url=boards.ad_url(ad),
        )
        for ad in rows
    ]


@sdk.api_operation(
    summary="The classified ads of the sector boards (public)",
    description=(
        "What the boards at `/classifieds/` show, newest posted first, without contact details; "
        "no token needed. Filters: `sector`, `kind`. Cacheable: an ETag, and a 304 for an "
        "unchanged page."
    ),
    query=PublicQuery,
    response=sdk.Page[PublicClassifiedOut],
    tags=TAGS,
    auth=False,
)
@sdk.all_workspaces()
def public_classifieds(query: PublicQuery) -> Any:
    statement = boards.public_ads(query.sector, query.kind)
    page = sdk.paginate(
        statement,
        key=ClassifiedAd.id,
        descending=True,
        query=query,
        serialize=lambda rows: [item.model_dump(mode="json") for item in public_json(rows)],
    )
    response = jsonify(page)
    response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
    response.headers["Cache-Control"] = "public, no-cache"
    return response.make_conditional(request)
