"""The seller's payouts (``/w/<slug>/marketplace/payouts``, ``marketplace.manage_payouts``):
periods, their orders and figures, the commission invoice, the account paid to."""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace import payouts
from ent_plugins.marketplace.models import Order, Payout, SellerProfile
from ent_plugins.marketplace.money_forms import PayoutAccountForm
from ent_plugins.marketplace.permissions import MANAGE_PAYOUTS
from flask import flash, redirect, render_template, url_for

from ent_core import sdk


def _profile() -> SellerProfile:
    profile = sdk.db.session.scalar(sdk.scoped(SellerProfile))
    return profile if profile is not None else SellerProfile()


@sdk.require_permission(MANAGE_PAYOUTS)
def money_payouts() -> Any:
    workspace = sdk.current_workspace()
    profile = _profile()
    form = PayoutAccountForm(obj=profile)
    status = 200
    if form.validate_on_submit():
        with sdk.user_errors(form):
            profile.payout_rib = payouts.valid_rib(form.payout_rib.data)
            profile.payout_holder = form.payout_holder.data.strip()
            sdk.db.session.add(profile)
            sdk.audit("marketplace.payout_account.changed", subject=f"workspace:{workspace.id}")
            sdk.db.session.commit()
            flash(sdk._("Payouts will be sent to this account."), "success")
            return redirect(url_for("marketplace.money_payouts", workspace=workspace.slug), 303)
        status = 422
    elif form.errors:
        status = 422
    rows = sdk.db.session.scalars(
        sdk.scoped(Payout).order_by(Payout.period_start.desc(), Payout.id.desc())
    ).all()
    return render_template(
        "marketplace/money/payouts.html",
        payouts=rows,
        running=payouts.running_orders(workspace.id),
        owed_back=payouts.owed_back(workspace.id),
        form=form,
        profile=profile,
    ), status


@sdk.require_permission(MANAGE_PAYOUTS)
def money_payout(payout_id: int) -> Any:
    payout = sdk.get_or_404(Payout, payout_id)
    orders = sdk.db.session.scalars(
        sdk.scoped(Order).where(Order.payout_id == payout.id).order_by(Order.completed_at)
    ).all()
    return render_template(
        "marketplace/money/payout.html", payout=payout, orders=orders, share=payouts.order_share
    )
