"""The buyer's pages: their orders across sellers, one order, its steps, thread and files."""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace.booking import book
from ent_plugins.marketplace.catalogues import ORDER_STATUSES, PROCESSES
from ent_plugins.marketplace.inquiry import inquire
from ent_plugins.marketplace.order_messages import attachment
from ent_plugins.marketplace.orders import (
    buyer_orders,
    order_for_admin,
    order_for_buyer,
    orderable_listing,
)
from ent_plugins.marketplace.views.orders_steps import page_context, post_from_form, take_step
from flask import flash, redirect, render_template, request, url_for

from ent_core import sdk


@sdk.login_required
def orders() -> Any:
    status = request.args.get("status") or None
    rows = sdk.db.session.scalars(buyer_orders(sdk.current_user, status=status).limit(200)).all()
    sellers = sdk.workspace_names({o.workspace_id for o in rows})
    return render_template(
        "marketplace/orders/buyer_list.html",
        orders=rows,
        sellers=sellers,
        status=status,
        statuses=ORDER_STATUSES,
        processes=PROCESSES,
    )


@sdk.login_required
def order(order_id: int) -> Any:
    found = order_for_buyer(order_id, sdk.current_user)
    return render_template("marketplace/orders/order.html", **page_context(found, "buyer"))


@sdk.login_required
def order_step(order_id: int) -> Any:
    found = order_for_buyer(order_id, sdk.current_user)
    take_step(found, "buyer")
    flash(sdk._("Done."), "success")
    return redirect(url_for("marketplace_buyer.order", order_id=found.id), 303)


@sdk.login_required
def order_message(order_id: int) -> Any:
    found = order_for_buyer(order_id, sdk.current_user)
    return post_from_form(found, "buyer", "marketplace_buyer.order")


@sdk.login_required
def order_file(order_id: int, attachment_id: int) -> Any:
    """A file of the thread: the buyer's side, or a platform administrator."""
    if getattr(sdk.current_user, "is_admin", False):
        found = order_for_admin(order_id)
    else:
        found = order_for_buyer(order_id, sdk.current_user)
    item = attachment(found, attachment_id)
    return sdk.send_upload(item.file_token, download_name=item.file_name, as_attachment=True)


def _for_workspace() -> int | None:
    value = request.form.get("buyer_workspace_id", "")
    return int(value) if value.isdigit() else None


@sdk.login_required
def ask_quote(listing_id: int) -> Any:
    listing = orderable_listing(listing_id)
    placed = inquire(
        listing,
        request.form.get("message", ""),
        buyer=sdk.current_user,
        buyer_workspace_id=_for_workspace(),
    )
    sdk.db.session.commit()
    flash(sdk._("Your request was sent to the seller."), "success")
    return redirect(url_for("marketplace_buyer.order", order_id=placed.id), 303)


@sdk.login_required
def book_slot(listing_id: int) -> Any:
    listing = orderable_listing(listing_id)
    slot = request.form.get("slot_id", "")
    if not slot.isdigit():
        raise sdk.UserError("unknown_slot", sdk._("Choose a slot."), field="slot_id")
    placed = book(listing, int(slot), buyer=sdk.current_user, buyer_workspace_id=_for_workspace())
    sdk.db.session.commit()
    flash(sdk._("Your place is held: pay to keep it."), "success")
    return redirect(url_for("marketplace_buyer.order", order_id=placed.id), 303)
