"""The cart and checkout pages (``/marketplace/cart``): one seller's items, bought at once."""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace import cart as the_cart
from ent_plugins.marketplace import pricing
from ent_plugins.marketplace.orders import buying_workspaces
from flask import flash, redirect, render_template, request, url_for

from ent_core import sdk


@sdk.login_required
def cart() -> Any:
    lines = the_cart.lines()
    seller_id = the_cart.seller_id()
    seller = sdk.workspace_names([seller_id]).get(seller_id) if seller_id else None
    return render_template(
        "marketplace/cart/cart.html",
        lines=lines,
        totals=pricing.order_amounts([line.amounts for line in lines]),
        seller=seller,
        workspaces=[w for w in buying_workspaces(sdk.current_user) if w.id != seller_id],
    )


def _int(name: str) -> int | None:
    value = request.form.get(name, "")
    return int(value) if value.strip().isdigit() else None


@sdk.login_required
def cart_add() -> Any:
    listing_id = _int("listing_id")
    if listing_id is None:
        sdk.abort(404)
    try:
        the_cart.add(
            listing_id,
            _int("variant_id"),
            _int("quantity") or 1,
            replace=request.form.get("replace") == "1",
        )
    except sdk.UserError as refused:
        if refused.code != "other_seller":
            raise
        return render_template(
            "marketplace/cart/replace.html",
            message=refused.message,
            listing_id=listing_id,
            variant_id=_int("variant_id"),
            quantity=_int("quantity") or 1,
        ), 409
    flash(sdk._("Added to your cart."), "success")
    return redirect(url_for("marketplace_buyer.cart"), 303)


@sdk.login_required
def cart_remove(index: int) -> Any:
    the_cart.remove(index)
    return redirect(url_for("marketplace_buyer.cart"), 303)


@sdk.login_required
def checkout() -> Any:
    order = the_cart.check_out(sdk.current_user, _int("buyer_workspace_id"))
    sdk.db.session.commit()
    the_cart.clear()
    flash(sdk._("Your order %(reference)s is placed.", reference=order.reference), "success")
    return redirect(url_for("marketplace_buyer.order", order_id=order.id), 303)
