"""Orders in JSON, and what both sides' APIs share: steps, threads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ent_plugins.marketplace import process
from ent_plugins.marketplace.models import Order, OrderMessage
from ent_plugins.marketplace.order_messages import messages, post
from flask import request
from pydantic import ConfigDict, Field

from ent_core import sdk

TAGS = ("marketplace",)


class PartyOut(sdk.ApiModel):
    slug: str | None = None
    name: str


class LineOut(sdk.ApiModel):
    label: str
    quantity: int
    unit_price: sdk.Money
    vat_rate: str
    net: sdk.Money
    vat: sdk.Money
    total: sdk.Money
    listing_id: int | None
    variant_id: int | None
    slot_id: int | None


class OrderOut(sdk.ApiModel):
    id: int
    reference: str
    process: str = Field(description="`purchase`, `inquiry` or `booking`.")
    status: str
    seller: PartyOut
    buyer: PartyOut
    request: str
    quote_note: str
    lines: list[LineOut]
    subtotal: sdk.Money = Field(description="HT.")
    vat: sdk.Money
    total: sdk.Money = Field(description="TTC: what the buyer pays.")
    expires_at: datetime | None
    created_at: datetime
    allowed: list[str] = Field(description="The steps the caller's side may take now.")
    url: str


class AttachmentOut(sdk.ApiModel):
    id: int
    file_name: str
    content_type: str
    size: int
    url: str


class MessageOut(sdk.ApiModel):
    id: int
    side: str
    author: str | None
    body: str
    created_at: datetime
    attachments: list[AttachmentOut]


def _money(order: Order, amount: Any) -> sdk.Money:
    return sdk.Money(amount, order.currency)


def order_json(order: Order, side: str) -> OrderOut:
    with sdk.in_workspace(order.workspace_id):
        seller = sdk.workspace_names([order.workspace_id]).get(order.workspace_id)
        buyer_name = order.buyer.display_name if order.buyer is not None else ""
        if order.buyer_workspace_id:
            named = sdk.workspace_names([order.buyer_workspace_id]).get(order.buyer_workspace_id)
            buyer_name = named.name if named else buyer_name
        if side == "seller":
            url = sdk.external_url("marketplace.order", workspace=seller.slug, order_id=order.id)
        else:
            url = sdk.external_url("marketplace_buyer.order", order_id=order.id)
        return OrderOut(
            id=order.id,
            reference=order.reference,
            process=order.process,
            status=order.status,
            seller=PartyOut(slug=seller.slug, name=seller.name),
            buyer=PartyOut(name=buyer_name),
            request=order.request,
            quote_note=order.quote_note,
            lines=[
                LineOut(
                    label=line.label,
                    quantity=line.quantity,
                    unit_price=_money(order, line.unit_price),
                    vat_rate=str(line.vat_rate),
                    net=_money(order, line.net),
                    vat=_money(order, line.vat),
                    total=_money(order, line.total),
                    listing_id=line.listing_id,
                    variant_id=line.variant_id,
                    slot_id=line.slot_id,
                )
                for line in order.lines
            ],
            subtotal=_money(order, order.subtotal),
            vat=_money(order, order.vat),
            total=_money(order, order.total),
            expires_at=order.expires_at,
            created_at=order.created_at,
            allowed=process.allowed(order, side),
            url=url,
        )


class TransitionIn(sdk.ApiModel):
    """``{"transition": ..., "note": ...}``; other members are the step's data (``lines``,
    ``valid_days``, ``provider``, ``reference``...)."""

    model_config = ConfigDict(extra="allow")
    transition: str = Field(description="A step of the process, e.g. `quote`, `accept`.")
    note: str = Field(default="", max_length=2000)


def take_step(order: Order, side: str, body: TransitionIn) -> OrderOut:
    with sdk.in_workspace(order.workspace_id):
        process.move(
            order,
            body.transition,
            side=side,
            actor=sdk.current_user,
            note=body.note,
            **(body.model_extra or {}),
        )
        sdk.db.session.commit()
        return order_json(order, side)


def message_json(message: OrderMessage, file_url: Any) -> MessageOut:
    return MessageOut(
        id=message.id,
        side=message.side,
        author=message.author.display_name if message.author is not None else None,
        body=message.body,
        created_at=message.created_at,
        attachments=[
            AttachmentOut(
                id=a.id,
                file_name=a.file_name,
                content_type=a.content_type,
                size=a.size,
                url=file_url(a),
            )
            for a in message.attachments
        ],
    )


def thread_json(order: Order, file_url: Any) -> dict[str, Any]:
    with sdk.in_workspace(order.workspace_id):
        return {
            "items": [message_json(m, file_url).model_dump(mode="json") for m in messages(order)],
            "next_cursor": None,
        }


def post_message(order: Order, side: str, file_url: Any) -> MessageOut:
    """A message from a JSON body ``{"body"}`` or a multipart form (``body``, ``files``)."""
    if request.is_json:
        payload = request.get_json(silent=True) or {}
        body, files = str(payload.get("body") or ""), []
    else:
        body, files = request.form.get("body", ""), request.files.getlist("files")
    message = post(order, side, sdk.current_user, body, files)
    sdk.db.session.commit()
    with sdk.in_workspace(order.workspace_id):
        return message_json(message, file_url)
