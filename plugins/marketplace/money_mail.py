"""Mails about an order's money: paid, refunded, payout sent (in the reader's words)."""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace.models import Order
from ent_plugins.marketplace.permissions import HANDLE_ORDERS, MANAGE_PAYOUTS

from ent_core import sdk


def _buyer_link(order: Order) -> str:
    return sdk.external_url("marketplace_buyer.order", order_id=order.id)


def _seller_addresses(workspace: Any, permission: str) -> list[str]:
    return [m.email for m in sdk.workspace_members(workspace, permission=permission)]


def paid(order: Order) -> None:
    money = sdk.Money(order.total, order.currency).format()
    if order.buyer is not None:
        sdk.send_mail(
            order.buyer.email,
            sdk._("Payment received for order %(ref)s", ref=order.reference),
            sdk._(
                "We received your payment of %(amount)s for order %(ref)s.\n%(url)s",
                amount=money,
                ref=order.reference,
                url=_buyer_link(order),
            ),
        )
    for address in _seller_addresses(order.workspace, HANDLE_ORDERS):
        sdk.send_mail(
            address,
            sdk._("Order %(ref)s is paid", ref=order.reference),
            sdk._(
                "The buyer's payment of %(amount)s for order %(ref)s arrived: deliver it.\n%(url)s",
                amount=money,
                ref=order.reference,
                url=sdk.external_url(
                    "marketplace.order", workspace=order.workspace.slug, order_id=order.id
                ),
            ),
        )


def refunded(order: Order, amount: Any) -> None:
    if order.buyer is None:
        return
    sdk.send_mail(
        order.buyer.email,
        sdk._("Refund for order %(ref)s", ref=order.reference),
        sdk._(
            "%(amount)s of order %(ref)s is refunded to you.\n%(url)s",
            amount=sdk.Money(amount, order.currency).format(),
            ref=order.reference,
            url=_buyer_link(order),
        ),
    )


def payout_paid(payout: Any) -> None:
    for address in _seller_addresses(payout.workspace, MANAGE_PAYOUTS):
        sdk.send_mail(
            address,
            sdk._("Marketplace payout sent"),
            sdk._(
                "We sent %(amount)s for %(start)s to %(end)s (transfer %(ref)s).\n%(url)s",
                amount=sdk.Money(payout.net, payout.currency).format(),
                start=payout.period_start.isoformat(),
                end=payout.period_end.isoformat(),
                ref=payout.paid_reference,
                url=sdk.external_url("marketplace.money_payouts", workspace=payout.workspace.slug),
            ),
        )
