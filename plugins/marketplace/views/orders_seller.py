"""The seller's pages of orders, in the seller's workspace: list, one order, steps, thread."""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace.catalogues import ORDER_STATUSES, PROCESSES
from ent_plugins.marketplace.models import Order
from ent_plugins.marketplace.order_messages import attachment
from ent_plugins.marketplace.permissions import HANDLE_ORDERS
from ent_plugins.marketplace.views.orders_steps import page_context, post_from_form, take_step
from flask import flash, redirect, render_template, request, url_for

from ent_core import sdk


@sdk.require_permission(HANDLE_ORDERS)
def seller_orders() -> Any:
    status = request.args.get("status") or None
    query = sdk.scoped(Order).order_by(Order.id.desc()).limit(200)
    if status in ORDER_STATUSES:
        query = query.where(Order.status == status)
    return render_template(
        "marketplace/orders/seller_list.html",
        orders=sdk.db.session.scalars(query).all(),
        status=status,
        statuses=ORDER_STATUSES,
        processes=PROCESSES,
    )


@sdk.require_permission(HANDLE_ORDERS)
def seller_order(order_id: int) -> Any:
    found = sdk.get_or_404(Order, order_id)
    return render_template("marketplace/orders/order.html", **page_context(found, "seller"))


@sdk.require_permission(HANDLE_ORDERS)
def seller_order_step(order_id: int) -> Any:
    found = sdk.get_or_404(Order, order_id)
    take_step(found, "seller")
    flash(sdk._("Done."), "success")
    return redirect(url_for("marketplace.order", order_id=found.id), 303)


@sdk.require_permission(HANDLE_ORDERS)
def seller_order_message(order_id: int) -> Any:
    found = sdk.get_or_404(Order, order_id)
    return post_from_form(found, "seller", "marketplace.order")


@sdk.require_permission(HANDLE_ORDERS)
def seller_order_file(order_id: int, attachment_id: int) -> Any:
    found = sdk.get_or_404(Order, order_id)
    item = attachment(found, attachment_id)
    return sdk.send_upload(item.file_token, download_name=item.file_name, as_attachment=True)
