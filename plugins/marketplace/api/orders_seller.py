"""The seller's orders through the workspace API:
``/api/v1/workspaces/<slug>/marketplace/orders``."""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace.api import orders_json as shared
from ent_plugins.marketplace.models import Order
from ent_plugins.marketplace.permissions import HANDLE_ORDERS
from pydantic import Field

from ent_core import sdk


class OrderQuery(sdk.PageQuery):
    status: str | None = Field(default=None, max_length=20)


def _file_url(attachment: Any) -> str:
    return sdk.external_url(
        "marketplace.seller_order_file",
        workspace=sdk.current_workspace().slug,
        order_id=attachment.message.order_id,
        attachment_id=attachment.id,
    )


@sdk.require_permission(HANDLE_ORDERS)
@sdk.api_operation(
    summary="List the seller's orders",
    query=OrderQuery,
    response=sdk.Page[shared.OrderOut],
    tags=shared.TAGS,
)
def list_orders(query: OrderQuery) -> Any:
    statement = sdk.scoped(Order)
    if query.status:
        statement = statement.where(Order.status == query.status)
    return sdk.paginate(
        statement,
        key=Order.id,
        descending=True,
        serialize=lambda rows: [shared.order_json(o, "seller") for o in rows],
        query=query,
    )


@sdk.require_permission(HANDLE_ORDERS)
@sdk.api_operation(
    summary="One order", response=shared.OrderOut, tags=shared.TAGS, errors=(403, 404)
)
def get_order(order_id: int) -> shared.OrderOut:
    return shared.order_json(sdk.get_or_404(Order, order_id), "seller")


@sdk.require_permission(HANDLE_ORDERS)
@sdk.api_operation(
    summary="Take a step of an order (seller)",
    description="`quote` (with `lines` and `valid_days`), `decline`, `deliver`, `cancel`, "
    "`dispute`. Refused: 409 `invalid_transition` with `details.allowed`.",
    body=shared.TransitionIn,
    response=shared.OrderOut,
    tags=shared.TAGS,
    errors=(403, 404, 409, 422),
)
def order_transition(order_id: int, body: shared.TransitionIn) -> shared.OrderOut:
    return shared.take_step(sdk.get_or_404(Order, order_id), "seller", body)


@sdk.require_permission(HANDLE_ORDERS)
@sdk.api_operation(summary="An order's messages", tags=shared.TAGS, errors=(403, 404))
def order_messages(order_id: int) -> Any:
    return shared.thread_json(sdk.get_or_404(Order, order_id), _file_url)


@sdk.require_permission(HANDLE_ORDERS)
@sdk.api_operation(
    summary="Post a message on an order (JSON `body`, or multipart with `files`)",
    response=shared.MessageOut,
    status=201,
    tags=shared.TAGS,
    errors=(403, 404, 422),
)
def order_message_new(order_id: int) -> shared.MessageOut:
    return shared.post_message(sdk.get_or_404(Order, order_id), "seller", _file_url)
