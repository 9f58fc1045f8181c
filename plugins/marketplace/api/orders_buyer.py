"""The buyer's orders through the API: ``/api/v1/marketplace/orders`` (behind the charter
gate; bearer tokens). Placing a purchase, an inquiry or a booking; reading and moving one's
orders; their thread."""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace.api import orders_json as shared
from ent_plugins.marketplace.booking import book
from ent_plugins.marketplace.checkout import purchase
from ent_plugins.marketplace.inquiry import inquire
from ent_plugins.marketplace.models import Order
from ent_plugins.marketplace.orders import buyer_orders, order_for_buyer, orderable_listing
from pydantic import Field

from ent_core import sdk


def _signed_in() -> Any:
    if not getattr(sdk.current_user, "is_authenticated", False):
        raise sdk.ApiError("unauthorized", sdk._("Sign in first."), 401)
    return sdk.current_user


def _file_url(attachment: Any) -> str:
    return sdk.external_url(
        "marketplace_buyer.order_file",
        order_id=attachment.message.order_id,
        attachment_id=attachment.id,
    )


class OrderIn(sdk.ApiModel):
    listing_id: int
    variant_id: int | None = None
    quantity: int = Field(default=1, ge=1, le=1000)
    message: str | None = Field(default=None, max_length=5000, description="An inquiry.")
    slot_id: int | None = Field(default=None, description="A booking.")
    buyer_workspace_id: int | None = Field(
        default=None, description="Buy for this workspace (you hold `marketplace.buy` there)."
    )


class OrderQuery(sdk.PageQuery):
    status: str | None = Field(default=None, max_length=20)


@sdk.api_operation(
    summary="Place an order",
    description="A purchase (`listing_id`, `variant_id`, `quantity`), an inquiry "
    "(`listing_id`, `message`) or a booking (`listing_id`, `slot_id`). 409 `out_of_stock` "
    "or `slot_full` when nothing is left.",
    body=OrderIn,
    response=shared.OrderOut,
    status=201,
    tags=shared.TAGS,
    errors=(401, 404, 409, 422),
)
def place_order(body: OrderIn) -> shared.OrderOut:
    buyer = _signed_in()
    listing = orderable_listing(body.listing_id)
    if body.slot_id is not None:
        order = book(listing, body.slot_id, buyer=buyer, buyer_workspace_id=body.buyer_workspace_id)
    elif body.message is not None:
        order = inquire(
            listing, body.message, buyer=buyer, buyer_workspace_id=body.buyer_workspace_id
        )
    else:
        order = purchase(
            listing,
            [(body.variant_id, body.quantity)],
            buyer=buyer,
            buyer_workspace_id=body.buyer_workspace_id,
        )
    sdk.db.session.commit()
    return shared.order_json(order, "buyer")


@sdk.api_operation(
    summary="List my orders", query=OrderQuery, response=sdk.Page[shared.OrderOut], tags=shared.TAGS
)
def my_orders(query: OrderQuery) -> Any:
    buyer = _signed_in()
    return sdk.paginate(
        buyer_orders(buyer, status=query.status).order_by(None),
        key=Order.id,
        descending=True,
        serialize=lambda rows: [shared.order_json(o, "buyer") for o in rows],
        query=query,
    )


@sdk.api_operation(
    summary="One of my orders", response=shared.OrderOut, tags=shared.TAGS, errors=(401, 404)
)
def my_order(order_id: int) -> shared.OrderOut:
    return shared.order_json(order_for_buyer(order_id, _signed_in()), "buyer")


@sdk.api_operation(
    summary="Take a step of my order",
    description="`accept`, `pay`, `complete`, `cancel`, `dispute`. Refused: 409 "
    "`invalid_transition` with `details.allowed`.",
    body=shared.TransitionIn,
    response=shared.OrderOut,
    tags=shared.TAGS,
    errors=(401, 403, 404, 409, 422),
)
def my_order_transition(order_id: int, body: shared.TransitionIn) -> shared.OrderOut:
    return shared.take_step(order_for_buyer(order_id, _signed_in()), "buyer", body)


@sdk.api_operation(summary="My order's messages", tags=shared.TAGS, errors=(401, 404))
def my_order_messages(order_id: int) -> Any:
    return shared.thread_json(order_for_buyer(order_id, _signed_in()), _file_url)


@sdk.api_operation(
    summary="Post a message on my order (JSON `body`, or multipart with `files`)",
    response=shared.MessageOut,
    status=201,
    tags=shared.TAGS,
    errors=(401, 404, 422),
)
def my_order_message_new(order_id: int) -> shared.MessageOut:
    return shared.post_message(order_for_buyer(order_id, _signed_in()), "buyer", _file_url)
