"""Inquiries: a buyer asks a seller for a quote; the seller quotes (again) or declines.

The seller's ``quote`` step carries its lines (label, quantity, unit price HT, VAT rate), how
many days it stays valid and a note (without ``lines``, a priced listing is quoted at its
price: the order's current lines); ``quote_lines`` checks them, the ``quote`` effect
(``order_effects``) writes them.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from ent_plugins.marketplace.checkout import LineRequest, announce, buyer_workspace_for, start_order
from ent_plugins.marketplace.models import Listing, Order, OrderMessage
from ent_plugins.marketplace.settings import settings

from ent_core import sdk

MAX_LINES = 20


def may_inquire(listing: Listing) -> bool:
    """Services and listings sold on quote are asked about; bookings are booked."""
    return listing.kind != "booking" and (listing.kind == "service" or listing.price is None)


def inquire(
    listing: Listing, message: str, *, buyer: Any, buyer_workspace_id: int | None = None
) -> Order:
    """Open an inquiry with the buyer's question (also the thread's first message)."""
    text = (message or "").strip()
    if not may_inquire(listing):
        raise sdk.UserError(
            "not_on_quote", sdk._("This listing is bought directly."), field="listing_id"
        )
    if not text:
        raise sdk.UserError("message_required", sdk._("Say what you need."), field="message")
    for_workspace = buyer_workspace_for(buyer, buyer_workspace_id, listing)
    with sdk.in_workspace(listing.workspace_id):
        order = start_order(
            listing,
            "inquiry",
            "inquiry",
            buyer=buyer,
            buyer_workspace_id=for_workspace,
            expires_at=sdk.utcnow() + timedelta(days=settings().inquiry_days),
            request_text=text[:5000],
        )
        # The listing the inquiry is about, at 0 until the seller quotes.
        from ent_plugins.marketplace.checkout import set_lines

        price = Decimal(listing.price) if listing.price is not None else Decimal("0.00")
        set_lines(
            order,
            [LineRequest(listing.title, 1, price, Decimal(listing.vat_rate), listing.id)],
        )
        sdk.db.session.add(
            OrderMessage(
                workspace_id=order.workspace_id,
                order_id=order.id,
                side="buyer",
                author_id=buyer.id,
                body=text[:5000],
            )
        )
        announce(order)
    return order


def _decimal(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, AttributeError):
        raise sdk.UserError("validation_error", sdk._("Type a number."), field=field) from None
    if not number.is_finite() or number < 0:
        raise sdk.UserError("validation_error", sdk._("Type a number."), field=field)
    return number


def quote_lines(order: Order, raw: Any) -> list[LineRequest]:
    """The quote's lines from the step's ``lines`` data, checked (422 ``validation_error``)."""
    if not isinstance(raw, list) or not raw:
        raise sdk.UserError(
            "validation_error", sdk._("A quote has at least one line."), field="lines"
        )
    if len(raw) > MAX_LINES:
        raise sdk.UserError("validation_error", sdk._("Too many lines."), field="lines")
    listing_id = next((line.listing_id for line in order.lines if line.listing_id), None)
    lines = []
    for item in raw:
        if not isinstance(item, dict):
            raise sdk.UserError("validation_error", sdk._("A line is not valid."), field="lines")
        label = str(item.get("label") or "").strip()
        if not label:
            raise sdk.UserError("validation_error", sdk._("Name every line."), field="lines")
        try:
            quantity = int(item.get("quantity") or 1)
        except (TypeError, ValueError):
            quantity = 0
        if not 1 <= quantity <= 100000:
            raise sdk.UserError(
                "validation_error", sdk._("Choose a quantity from 1."), field="lines"
            )
        unit_price = _decimal(item.get("unit_price"), "lines")
        vat_rate = _decimal(item.get("vat_rate", settings().default_vat_rate), "lines")
        if vat_rate > 1:
            raise sdk.UserError(
                "validation_error",
                sdk._("A VAT rate is a fraction (0.20 for 20 %)."),
                field="lines",
            )
        lines.append(LineRequest(label, quantity, unit_price, vat_rate, listing_id))
    return lines


def valid_days(raw: Any) -> int:
    """How long a quote stays valid: the seller's days or the platform's ``quote_days``."""
    if raw in (None, ""):
        return settings().quote_days
    try:
        days = int(raw)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= 365:
        raise sdk.UserError(
            "validation_error", sdk._("Choose from 1 to 365 days."), field="valid_days"
        )
    return days
