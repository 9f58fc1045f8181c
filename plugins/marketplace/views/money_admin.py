"""The operator's money pages (``/admin/marketplace/...``, platform administrators only):
payments to confirm, refunds, disputes and payouts due."""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace import payments, payouts, process, refunds
from ent_plugins.marketplace.models import Payout, Refund, SellerProfile
from ent_plugins.marketplace.money_forms import ActionForm, ReferenceForm, RefundForm
from flask import flash, redirect, render_template, request, url_for

from ent_core import sdk


def _back(endpoint: str) -> Any:
    target = request.form.get("next") or ""
    if target.startswith("/admin/marketplace/"):
        return redirect(target, 303)
    return redirect(url_for(endpoint), 303)


def _actor() -> Any:
    return sdk.current_user._get_current_object()


def money_payments() -> Any:
    with sdk.all_workspaces():
        return render_template(
            "marketplace/money/admin_payments.html",
            waiting=payments.awaiting_confirmation(),
            paid=payments.refundable(),
            owed=refunds.owed(),
            transfer_form=ReferenceForm(),
            refund_form=RefundForm(),
        )


def money_mark_paid(order_id: int) -> Any:
    with sdk.all_workspaces():
        order = payments.any_order(order_id)
        form = ReferenceForm()
        if not form.validate_on_submit():
            flash(sdk._("Give the transfer's bank reference."), "error")
            return _back("marketplace_admin.money_payments")
        with sdk.user_errors():
            payments.mark_paid(order, form.reference.data, _actor())
            sdk.db.session.commit()
            flash(sdk._("Order %(ref)s is paid.", ref=order.reference), "success")
    return _back("marketplace_admin.money_payments")


def money_refund(order_id: int) -> Any:
    """Refund in full or in part: the ``refund`` step, or a refund of a closed order."""
    with sdk.all_workspaces():
        order = payments.any_order(order_id)
        form = RefundForm()
        if not form.validate_on_submit():
            flash(sdk._("Say why the buyer is refunded."), "error")
            return _back("marketplace_admin.money_payments")
        with sdk.user_errors():
            if order.status in ("completed", "refunded"):
                refunds.refund_order(order, form.amount.data, form.reason.data, _actor())
            else:
                process.move(
                    order,
                    "refund",
                    side=process.OPERATOR,
                    actor=_actor(),
                    amount=form.amount.data,
                    reason=form.reason.data,
                )
            sdk.db.session.commit()
            flash(sdk._("Order %(ref)s is refunded.", ref=order.reference), "success")
    return _back("marketplace_admin.money_payments")


def _record_transfer(action: Any, row: Any, done: str, endpoint: str) -> Any:
    """A form with the transfer's bank reference: ``action(row, reference, actor)``."""
    form = ReferenceForm()
    if form.validate_on_submit():
        with sdk.user_errors():
            action(row, form.reference.data, _actor())
            sdk.db.session.commit()
            flash(done, "success")
    else:
        flash(sdk._("Give the transfer's bank reference."), "error")
    return _back(endpoint)


def money_refund_sent(refund_id: int) -> Any:
    with sdk.all_workspaces():
        refund = sdk.db.session.get(Refund, refund_id) or sdk.abort(404)
        return _record_transfer(
            refunds.mark_sent,
            refund,
            sdk._("The refund is marked sent."),
            "marketplace_admin.money_payments",
        )


def money_disputes() -> Any:
    with sdk.all_workspaces():
        return render_template(
            "marketplace/money/admin_disputes.html",
            disputed=refunds.disputed(),
            action_form=ActionForm(),
            refund_form=RefundForm(),
        )


def money_resolve(order_id: int) -> Any:
    """The dispute is decided for the seller: the order completes, nothing is refunded."""
    with sdk.all_workspaces():
        order = payments.any_order(order_id)
        if not ActionForm().validate_on_submit():
            sdk.abort(400)
        with sdk.user_errors():
            process.move(order, "resolve", side=process.OPERATOR, actor=_actor())
            sdk.db.session.commit()
            flash(sdk._("Order %(ref)s is completed.", ref=order.reference), "success")
    return _back("marketplace_admin.money_disputes")


def money_payouts_due() -> Any:
    with sdk.all_workspaces():
        due = payouts.due()
        ids = {p.workspace_id for p in due}
        profiles = {
            p.workspace_id: p
            for p in sdk.db.session.scalars(
                sdk.db.select(SellerProfile).where(SellerProfile.workspace_id.in_(ids))
            )
        }
        return render_template(
            "marketplace/money/admin_payouts.html",
            due=due,
            profiles=profiles,
            transfer_form=ReferenceForm(),
        )


def money_payout_paid(payout_id: int) -> Any:
    with sdk.all_workspaces():
        payout = sdk.db.session.get(Payout, payout_id) or sdk.abort(404)
        return _record_transfer(
            payouts.mark_paid,
            payout,
            sdk._("The payout is marked paid; the seller is told."),
            "marketplace_admin.money_payouts_due",
        )
