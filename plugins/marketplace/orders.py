"""Buyers' access to orders: the one place that crosses workspaces for buyers.

An order is a row of the seller's workspace. Its buyer sees it, and so do the members of the
workspace it was bought for who hold ``marketplace.buy`` there; everyone else gets 404, never
403 (an order's existence is not told). Also: orders' references and the listings a buyer may
order from (published, of an approved workspace with the marketplace on).
"""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace.models import Listing, Order
from ent_plugins.marketplace.permissions import BUY

from ent_core import sdk


def buying_workspaces(user: Any) -> list[Any]:
    """The workspaces ``user`` may buy for (``marketplace.buy``), as ``WorkspaceName``s."""
    if not getattr(user, "is_authenticated", False):
        return []
    # The SDK has no "workspaces of a person": read the membership ids, then let
    # ``workspace_members`` decide the permission (coordinator: an SDK helper would do).
    ids = sdk.db.session.scalars(
        sdk.db.text("SELECT workspace_id FROM membership WHERE user_id = :user"),
        {"user": user.id},
    ).all()
    names = sdk.workspace_names(list(ids))
    return [
        ws
        for ws in sorted(names.values(), key=lambda w: w.name.lower())
        if any(member.id == user.id for member in sdk.workspace_members(ws, permission=BUY))
    ]


def _visible_to(user: Any) -> Any:
    workspace_ids = [ws.id for ws in buying_workspaces(user)]
    condition = Order.buyer_id == user.id
    if workspace_ids:
        condition = sdk.db.or_(condition, Order.buyer_workspace_id.in_(workspace_ids))
    return condition


def buyer_orders(user: Any, *, status: str | None = None) -> Any:
    """A select of the orders ``user`` may see as a buyer, newest first (crosses workspaces)."""
    query = (
        sdk.db.select(Order)
        .where(_visible_to(user))
        .order_by(Order.id.desc())
        .execution_options(ent_all_workspaces=True)
    )
    if status:
        query = query.where(Order.status == status)
    return query


def order_for_buyer(order_id: int, user: Any) -> Order:
    """The order ``order_id`` if ``user`` may see it as a buyer, else 404."""
    if not getattr(user, "is_authenticated", False):
        sdk.abort(404)
    order = sdk.db.session.scalar(buyer_orders(user).where(Order.id == order_id))
    if order is None:
        sdk.abort(404)
    return order


def order_for_admin(order_id: int) -> Order:
    """Any order, for platform administrators (the operator's pages and files)."""
    with sdk.all_workspaces():
        order = sdk.db.session.get(Order, order_id)
    if order is None:
        sdk.abort(404)
    return order


def orderable_listing(listing_id: int) -> Listing:
    """A listing buyers may order from: published, of an approved workspace where the
    marketplace is on; else 404 (``UserError`` for a JSON caller is the view's concern)."""
    listing = sdk.db.session.scalar(
        sdk.db.select(Listing)
        .where(
            Listing.id == listing_id,
            Listing.status == "published",
            Listing.workspace_id.in_(sdk.public_workspace_ids("marketplace")),
        )
        .execution_options(ent_all_workspaces=True)
    )
    if listing is None:
        sdk.abort(404)
    return listing


def assign_reference(order: Order) -> None:
    """``MP-<year>-<id:06d>``: unique since the id is (set once the row has one)."""
    sdk.db.session.flush()
    order.reference = f"MP-{order.created_at.year}-{order.id:06d}"
    sdk.db.session.flush()


def temporary_reference() -> str:
    """Unique until ``assign_reference`` replaces it in the same transaction."""
    import secrets

    return f"MP-new-{secrets.token_hex(6)}"
