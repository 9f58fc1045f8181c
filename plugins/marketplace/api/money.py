"""Money through the API.

The seller's payouts: ``GET /api/v1/workspaces/<slug>/marketplace/payouts`` (paginated) and
``.../payouts/<id>`` (with its orders), ``marketplace.manage_payouts``. The operator confirms
a transfer with ``POST /api/v1/admin/marketplace/orders/<id>/payment`` (``{"reference"}``):
the same checks as the payments page (the provider's ``confirm``, platform administrators
only), answering the order's new status.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ent_plugins.marketplace import payments
from ent_plugins.marketplace.models import Order, Payout
from ent_plugins.marketplace.permissions import MANAGE_PAYOUTS
from flask import Blueprint
from pydantic import Field

from ent_core import sdk

TAGS = ("marketplace",)

admin_api = Blueprint(
    "marketplace_money_admin_api", __name__, url_prefix="/api/v1/admin/marketplace"
)


class PayoutOrderOut(sdk.ApiModel):
    id: int
    reference: str
    total: sdk.Money
    refunded: sdk.Money
    commission: sdk.Money
    completed_at: datetime | None


class PayoutOut(sdk.ApiModel):
    id: int
    period_start: date
    period_end: date
    status: str = Field(description="`open`, `due` (closed, to be sent) or `paid`.")
    gross: sdk.Money = Field(description="What buyers paid (TTC) less refunds.")
    commission: sdk.Money = Field(description="The platform's commission, HT.")
    commission_vat: sdk.Money
    net: sdk.Money = Field(description="What is sent to the seller's account.")
    invoice_number: str | None = Field(description="The commission invoice (billing).")
    paid_at: datetime | None
    paid_reference: str
    orders: list[PayoutOrderOut] | None = Field(
        default=None, description="The orders it pays (on one payout only)."
    )


class PaymentIn(sdk.ApiModel):
    reference: str = Field(min_length=1, max_length=120, description="The bank reference.")


class PaymentOut(sdk.ApiModel):
    id: int
    reference: str
    status: str
    paid_at: datetime | None


def _money(amount: Any, currency: str) -> sdk.Money:
    return sdk.Money(amount, currency)


def payout_json(payout: Payout, orders: list[Order] | None = None) -> PayoutOut:
    c = payout.currency
    return PayoutOut(
        id=payout.id,
        period_start=payout.period_start,
        period_end=payout.period_end,
        status=payout.status,
        gross=_money(payout.gross, c),
        commission=_money(payout.commission, c),
        commission_vat=_money(payout.commission_vat, c),
        net=_money(payout.net, c),
        invoice_number=payout.invoice_number,
        paid_at=payout.paid_at,
        paid_reference=payout.paid_reference,
        orders=None
        if orders is None
        else [
            PayoutOrderOut(
                id=o.id,
                reference=o.reference,
                total=_money(o.total, o.currency),
                refunded=_money(o.refunded, o.currency),
                commission=_money(o.commission, o.currency),
                completed_at=o.completed_at,
            )
            for o in orders
        ],
    )


@sdk.require_permission(MANAGE_PAYOUTS)
@sdk.api_operation(
    summary="List the seller's payouts",
    description="Newest period first; each with its figures and commission invoice.",
    query=sdk.PageQuery,
    response=sdk.Page[PayoutOut],
    tags=TAGS,
    errors=(403,),
)
def money_list_payouts(query: sdk.PageQuery) -> Any:
    return sdk.paginate(
        sdk.scoped(Payout),
        key=Payout.id,
        descending=True,
        query=query,
        serialize=lambda rows: [payout_json(r) for r in rows],
    )


@sdk.require_permission(MANAGE_PAYOUTS)
@sdk.api_operation(
    summary="One payout of the seller, with its orders",
    response=PayoutOut,
    tags=TAGS,
    errors=(403, 404),
)
def money_get_payout(payout_id: int) -> Any:
    payout = sdk.db.session.scalar(sdk.scoped(Payout).where(Payout.id == payout_id))
    if payout is None:
        raise sdk.ApiError("not_found", sdk._("No such payout."), 404)
    orders = sdk.db.session.scalars(
        sdk.scoped(Order).where(Order.payout_id == payout.id).order_by(Order.id)
    ).all()
    return payout_json(payout, list(orders))


@sdk.api_operation(
    summary="Confirm an order's payment (platform administrators)",
    description=(
        "The transfer arrived: the order moves to `paid` (`confirm_payment`, side "
        "`operator`), digital goods to `delivered`. 403 `forbidden` unless a platform "
        "administrator, 409 `invalid_transition` when the order is not awaiting payment, "
        "422 `validation_error` without a reference."
    ),
    body=PaymentIn,
    response=PaymentOut,
    tags=TAGS,
    errors=(403, 404, 409, 422),
)
def money_confirm_payment(order_id: int, body: PaymentIn) -> Any:
    if not sdk.current_user.is_admin:
        raise sdk.ApiError("forbidden", sdk._("Only platform administrators may do this."), 403)
    with sdk.all_workspaces():
        order = sdk.db.session.scalar(sdk.db.select(Order).where(Order.id == order_id))
        if order is None:
            raise sdk.ApiError("not_found", sdk._("No such order."), 404)
        payments.mark_paid(order, body.reference, sdk.current_user._get_current_object())
        sdk.db.session.commit()
        return PaymentOut(
            id=order.id, reference=order.reference, status=order.status, paid_at=order.paid_at
        )
