"""What sellers said of a buyer: the reviews part's only read across workspaces for buyers
(the buyer's own orders come from ``orders.order_for_buyer``)."""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace.models import Order, Review
from ent_plugins.marketplace.process import SELLER

from ent_core import sdk


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
