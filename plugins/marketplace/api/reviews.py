"""Reviews through the API, for both sides of an order.

The seller: ``/api/v1/workspaces/<slug>/marketplace/orders/<id>/reviews`` (GET, POST) and
``.../reviews/reply`` (POST). The buyer: the same under ``/api/v1/marketplace/orders/<id>/``
(blueprint ``marketplace_reviews_api``, signed in with a token, behind the charter gate).
The other side's review is simply absent from the list until it is published.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ent_plugins.marketplace import reviews
from ent_plugins.marketplace.models import Order, Review
from ent_plugins.marketplace.orders import order_for_buyer
from ent_plugins.marketplace.permissions import HANDLE_ORDERS
from ent_plugins.marketplace.process import BUYER, SELLER
from flask import Blueprint
from pydantic import Field

from ent_core import sdk

TAGS = ("marketplace",)

#: The buyers' side of reviews; ``routes`` appends it to ``bps.extra``.
buyer_api = Blueprint("marketplace_reviews_api", __name__, url_prefix="/api/v1/marketplace")


class ReviewOut(sdk.ApiModel):
    id: int
    side: str = Field(description="The author's side: `buyer` (of the seller) or `seller`.")
    rating: int = Field(description="1 to 5.")
    text: str
    reply: str = Field(description="The reviewed side's answer, once.")
    replied_at: datetime | None
    submitted_at: datetime
    published_at: datetime | None = Field(
        description="`null` while only its author may read it (double-blind)."
    )


class ReviewsOut(sdk.ApiModel):
    items: list[ReviewOut]
    next_cursor: str | None = None
    can_review: bool = Field(description="Whether the caller's side may still write its review.")
    closes_at: datetime | None = Field(description="When unwritten reviews can no longer come.")


class ReviewIn(sdk.ApiModel):
    rating: int = Field(ge=1, le=5)
    text: str = Field(default="", max_length=reviews.TEXT_MAX)


class ReplyIn(sdk.ApiModel):
    text: str = Field(min_length=1, max_length=reviews.REPLY_MAX)


def review_json(review: Review) -> ReviewOut:
    return ReviewOut(
        id=review.id,
        side=review.side,
        rating=review.rating,
        text=review.text,
        reply=review.reply,
        replied_at=review.replied_at,
        submitted_at=review.submitted_at,
        published_at=review.published_at,
    )


def _list(order: Order, side: str) -> ReviewsOut:
    found = reviews.order_reviews(order)
    shown = [found[s] for s in reviews.SIDES if reviews.readable(found.get(s), side)]
    return ReviewsOut(
        items=[review_json(r) for r in shown],
        can_review=reviews.may_review(order, side),
        closes_at=reviews.deadline(order),
    )


def _submit(order: Order, side: str, body: ReviewIn) -> ReviewOut:
    review = reviews.submit(order, side, sdk.current_user, body.rating, body.text)
    sdk.db.session.commit()
    return review_json(review)


def _reply(order: Order, side: str, body: ReplyIn) -> ReviewOut:
    review = reviews.reply(order, side, sdk.current_user, body.text)
    sdk.db.session.commit()
    return review_json(review)


LIST = {
    "summary": "List an order's reviews",
    "response": ReviewsOut,
    "tags": TAGS,
    "errors": (403, 404),
}
WRITE = {
    "summary": "Review the other side of a completed order",
    "description": "Once per side: a second answers 409 `already_reviewed`; before completion "
    "409 `not_reviewable`, after the window 409 `review_closed`.",
    "body": ReviewIn,
    "response": ReviewOut,
    "status": 201,
    "tags": TAGS,
    "errors": (403, 404, 409, 422),
}
REPLY = {
    "summary": "Reply to the review the other side wrote",
    "description": "Once, after publication: 409 `already_replied`, 409 `not_published`.",
    "body": ReplyIn,
    "response": ReviewOut,
    "tags": TAGS,
    "errors": (403, 404, 409, 422),
}


@sdk.require_permission(HANDLE_ORDERS)
@sdk.api_operation(**LIST, operation_id="marketplace_seller_order_reviews")  # type: ignore[arg-type]
def seller_list(order_id: int) -> Any:
    return _list(sdk.get_or_404(Order, order_id), SELLER)


@sdk.require_permission(HANDLE_ORDERS)
@sdk.api_operation(**WRITE, operation_id="marketplace_seller_review")  # type: ignore[arg-type]
def seller_write(order_id: int, body: ReviewIn) -> Any:
    return _submit(sdk.get_or_404(Order, order_id), SELLER, body)


@sdk.require_permission(HANDLE_ORDERS)
@sdk.api_operation(**REPLY, operation_id="marketplace_seller_review_reply")  # type: ignore[arg-type]
def seller_reply(order_id: int, body: ReplyIn) -> Any:
    return _reply(sdk.get_or_404(Order, order_id), SELLER, body)


def _buyer_order(order_id: int) -> Order:
    if not sdk.current_user.is_authenticated:
        raise sdk.ApiError("unauthorized", sdk._("A valid bearer token is required."), 401)
    return order_for_buyer(order_id, sdk.current_user)


@sdk.api_operation(**LIST, operation_id="marketplace_buyer_order_reviews")  # type: ignore[arg-type]
def buyer_list(order_id: int) -> Any:
    order = _buyer_order(order_id)
    with sdk.in_workspace(order.workspace_id):
        return _list(order, BUYER)


@sdk.api_operation(**WRITE, operation_id="marketplace_buyer_review")  # type: ignore[arg-type]
def buyer_write(order_id: int, body: ReviewIn) -> Any:
    order = _buyer_order(order_id)
    with sdk.in_workspace(order.workspace_id):
        return _submit(order, BUYER, body)


@sdk.api_operation(**REPLY, operation_id="marketplace_buyer_review_reply")  # type: ignore[arg-type]
def buyer_reply(order_id: int, body: ReplyIn) -> Any:
    order = _buyer_order(order_id)
    with sdk.in_workspace(order.workspace_id):
        return _reply(order, BUYER, body)


buyer_api.add_url_rule("/orders/<int:order_id>/reviews", view_func=buyer_list)
buyer_api.add_url_rule("/orders/<int:order_id>/reviews", view_func=buyer_write, methods=["POST"])
buyer_api.add_url_rule(
    "/orders/<int:order_id>/reviews/reply", view_func=buyer_reply, methods=["POST"]
)
