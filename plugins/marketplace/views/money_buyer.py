"""The buyer's side of money: declaring a transfer, downloading what was bought."""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace import downloads, process
from ent_plugins.marketplace.money_forms import PayForm
from ent_plugins.marketplace.orders import order_for_buyer
from flask import flash, redirect, render_template, url_for

from ent_core import sdk


def _order_page(order_id: int) -> Any:
    return redirect(url_for("marketplace_buyer.order", order_id=order_id), 303)


@sdk.login_required
def money_pay(order_id: int) -> Any:
    """``POST /marketplace/orders/<id>/pay``: the buyer made the transfer (``pay``)."""
    with sdk.all_workspaces():
        order = order_for_buyer(order_id, sdk.current_user)
        form = PayForm()
        if not form.validate_on_submit():
            flash(sdk._("Give your transfer's reference."), "error")
            return _order_page(order.id)
        with sdk.user_errors():
            process.move(
                order,
                "pay",
                side=process.BUYER,
                actor=sdk.current_user._get_current_object(),
                provider=form.provider.data or "bank_transfer",
                reference=form.reference.data,
            )
            sdk.db.session.commit()
            flash(
                sdk._("Thank you: the platform confirms your payment when it arrives."),
                "success",
            )
    return _order_page(order.id)


@sdk.login_required
def money_download(token: str) -> Any:
    """``GET /marketplace/downloads/<token>``: a purchased file, for its buyer only."""
    try:
        file_token, file_name = downloads.take(token, sdk.current_user)
    except downloads.DownloadRefused as refused:
        sdk.db.session.rollback()
        status = refused.status or 403
        return render_template("marketplace/money/download_refused.html", message=refused), status
    sdk.db.session.commit()
    return sdk.send_upload(file_token, download_name=file_name, as_attachment=True)
