"""The orders a buyer reviews, and what sellers said of a buyer: the reviews part's only
reads across workspaces for buyers.

``order_for_buyer`` is a stand-in for the transactions part's ``orders.order_for_buyer``:
at merge, the coordinator points the callers there and deletes it.
"""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace.models import Order, Review
from ent_plugins.marketplace.permissions import BUY
from ent_plugins.marketplace.process import SELLER

from ent_core import sdk


def order_for_buyer(order_id: int, user: Any) -> Order | None:
    """The order if ``user`` placed it, or may buy for the workspace it was placed for."""
    if not getattr(user, "is_authenticated", False):
        return None
    with sdk.all_workspaces():
        order = sdk.db.session.get(Order, order_id)
        if order is None:
            return None
        if order.buyer_id == user.id:
            return order
        if order.buyer_workspace is not None:
            buyers = sdk.workspace_members(order.buyer_workspace, permission=BUY)
            if any(member.id == user.id for member in buyers):
                return order
    return None


def reviews_of_buyer(buyer_id: int | None, limit: int = 10) -> list[tuple[Review, Any]]:
    """Published reviews sellers wrote of this buyer, newest first, with the seller's
    workspace: what a seller may read before dealing with them (Airbnb's host view)."""
    if buyer_id is None:
        return []
    with sdk.all_workspaces():
        rows = sdk.db.session.execute(
            sdk.db.select(Review, Order.workspace_id)
            .join(Order, Order.id == Review.order_id)
            .where(
                Order.buyer_id == buyer_id,
                Review.side == SELLER,
                Review.status == "visible",
                Review.published_at.is_not(None),
            )
            .order_by(Review.published_at.desc(), Review.id.desc())
            .limit(limit)
        ).all()
    names = sdk.workspace_names({ws for _, ws in rows})
    return [(review, names.get(ws)) for review, ws in rows]
