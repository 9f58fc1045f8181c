"""Mails about orders: the other side hears of every step, in its own language.

Buyers are mailed at their address in their saved language; sellers through the members of
the seller's workspace who answer orders (``marketplace.handle_orders``). Each mail links to
the recipient's page of the order.
"""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace.models import Order
from ent_plugins.marketplace.permissions import HANDLE_ORDERS
from flask_babel import force_locale

from ent_core import sdk

BUYER, SELLER = "buyer", "seller"


def _what(name: str) -> str:
    """One sentence per step, translated in the recipient's language (inside force_locale)."""
    sentences = {
        "placed": sdk._("A new order was placed."),
        "quote": sdk._("The seller sent a quote."),
        "decline": sdk._("The seller declined the inquiry."),
        "accept": sdk._("The buyer accepted the quote."),
        "pay": sdk._("The buyer reported a payment."),
        "confirm_payment": sdk._("The payment is confirmed."),
        "deliver": sdk._("The order was delivered."),
        "complete": sdk._("The order is completed."),
        "cancel": sdk._("The order was cancelled."),
        "dispute": sdk._("A dispute was opened on the order."),
        "resolve": sdk._("The dispute was resolved."),
        "refund": sdk._("The order was refunded."),
        "expire": sdk._("The order expired."),
        "message": sdk._("A new message was posted on the order."),
    }
    return sentences.get(name, sdk._("The order changed."))


def _buyer_recipients(order: Order) -> list[tuple[Any, str]]:
    buyer = order.buyer
    if buyer is None or not buyer.email:
        return []
    return [(buyer, sdk.external_url("marketplace_buyer.order", order_id=order.id))]


def _seller_recipients(order: Order) -> list[tuple[Any, str]]:
    names = sdk.workspace_names([order.workspace_id])
    seller = names.get(order.workspace_id)
    if seller is None:
        return []
    url = sdk.external_url("marketplace.order", workspace=seller.slug, order_id=order.id)
    return [(member, url) for member in sdk.workspace_members(seller, permission=HANDLE_ORDERS)]


def notify(order: Order, name: str, *, to: tuple[str, ...], note: str = "") -> None:
    """Mail the sides in ``to`` that ``name`` happened to ``order``."""
    recipients: list[tuple[Any, str]] = []
    if BUYER in to:
        recipients += _buyer_recipients(order)
    if SELLER in to:
        recipients += _seller_recipients(order)
    mails = []
    for person, url in recipients:
        with force_locale(getattr(person, "locale", None) or "fr"):
            subject = sdk._("Order %(reference)s", reference=order.reference)
            body = [_what(name)]
            if note:
                body.append(note)
            body.append(
                sdk._("Total: %(total)s", total=sdk.Money(order.total, order.currency).format())
            )
            body.append(sdk._("See the order: %(url)s", url=url))
            mails.append(sdk.Mail(person.email, f"{subject}: {_what(name)}", "\n\n".join(body)))
    if mails:
        sdk.send_mails(mails)
