"""The transactions part's answers to the marketplace's shared hooks: order pages and API,
the cart, the buy / ask-a-quote / book forms of a listing, timeouts, the seller's card."""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace import order_effects  # noqa: F401 - registers the steps' effects
from ent_plugins.marketplace.order_timeouts import schedules as _schedules
from markupsafe import Markup

from ent_core import sdk

GET, POST = ["GET"], ["POST"]


def routes(bps: Any) -> None:
    from ent_plugins.marketplace.api import orders_buyer, orders_seller
    from ent_plugins.marketplace.views import cart
    from ent_plugins.marketplace.views import orders_buyer as buyer
    from ent_plugins.marketplace.views import orders_seller as seller
    from flask import Blueprint

    oid = "/orders/<int:order_id>"
    rule = bps.members.add_url_rule
    rule("/orders/", endpoint="orders", view_func=seller.seller_orders)
    rule(oid, endpoint="order", view_func=seller.seller_order)
    rule(f"{oid}/transitions", view_func=seller.seller_order_step, methods=POST)
    rule(f"{oid}/messages", view_func=seller.seller_order_message, methods=POST)
    rule(f"{oid}/files/<int:attachment_id>", view_func=seller.seller_order_file)

    page = bps.buyer.add_url_rule
    page("/cart", endpoint="cart", view_func=cart.cart)
    page("/cart/items", endpoint="cart_add", view_func=cart.cart_add, methods=POST)
    page(
        "/cart/items/<int:index>/remove",
        endpoint="cart_remove",
        view_func=cart.cart_remove,
        methods=POST,
    )
    page("/cart/checkout", endpoint="checkout", view_func=cart.checkout, methods=POST)
    page("/orders/", endpoint="orders", view_func=buyer.orders)
    page(oid, endpoint="order", view_func=buyer.order)
    page(f"{oid}/transitions", endpoint="order_step", view_func=buyer.order_step, methods=POST)
    page(f"{oid}/messages", endpoint="order_message", view_func=buyer.order_message, methods=POST)
    page(f"{oid}/files/<int:attachment_id>", endpoint="order_file", view_func=buyer.order_file)
    page(
        "/listings/<int:listing_id>/inquiries",
        endpoint="ask_quote",
        view_func=buyer.ask_quote,
        methods=POST,
    )
    page(
        "/listings/<int:listing_id>/bookings",
        endpoint="book",
        view_func=buyer.book_slot,
        methods=POST,
    )

    api = bps.api.add_url_rule
    api("/orders", view_func=orders_seller.list_orders, methods=GET)
    api(oid, view_func=orders_seller.get_order, methods=GET)
    api(f"{oid}/transitions", view_func=orders_seller.order_transition, methods=POST)
    api(f"{oid}/messages", view_func=orders_seller.order_messages, methods=GET)
    api(f"{oid}/messages", view_func=orders_seller.order_message_new, methods=POST)

    buyer_api = Blueprint(
        "marketplace_buyer_api", __name__, url_prefix="/api/v1/marketplace/orders"
    )
    mine = buyer_api.add_url_rule
    mine("", view_func=orders_buyer.place_order, methods=POST)
    mine("", view_func=orders_buyer.my_orders, methods=GET)
    mine("/<int:order_id>", view_func=orders_buyer.my_order, methods=GET)
    mine("/<int:order_id>/transitions", view_func=orders_buyer.my_order_transition, methods=POST)
    mine("/<int:order_id>/messages", view_func=orders_buyer.my_order_messages, methods=GET)
    mine("/<int:order_id>/messages", view_func=orders_buyer.my_order_message_new, methods=POST)
    bps.extra.append(buyer_api)


def schedules() -> list[Any]:
    return _schedules()


def listing_panel(listing: Any) -> Markup | None:
    """Buy (to the cart), ask for a quote, or book a slot, as the listing allows."""
    from ent_plugins.marketplace.booking import free_slots
    from ent_plugins.marketplace.inquiry import may_inquire
    from ent_plugins.marketplace.orders import buying_workspaces
    from flask import render_template

    if listing.status != "published":
        return None
    user = sdk.current_user
    signed_in = bool(getattr(user, "is_authenticated", False))
    workspaces = [w for w in buying_workspaces(user) if w.id != listing.workspace_id]
    return Markup(  # noqa: S704 - our template, rendered with autoescape
        render_template(
            "marketplace/orders/_listing_panel.html",
            listing=listing,
            signed_in=signed_in,
            buyable=listing.price is not None and listing.kind != "booking",
            inquirable=may_inquire(listing),
            slots=free_slots(listing) if listing.kind == "booking" else [],
            variants=[v for v in listing.variants if v.active],
            workspaces=workspaces,
        )
    )


def home_sections(workspace: Any) -> list[tuple[Any, str, int | None]]:
    """The seller's card: orders waiting for the seller (inquiries to quote, paid to deliver)."""
    from ent_plugins.marketplace.models import Order

    with sdk.in_workspace(workspace.id):
        waiting = sdk.db.session.scalar(
            sdk.db.select(sdk.db.func.count(Order.id)).where(Order.status.in_(("inquiry", "paid")))
        )
    return [(sdk._l("Orders waiting for you"), "marketplace.orders", int(waiting or 0))]
