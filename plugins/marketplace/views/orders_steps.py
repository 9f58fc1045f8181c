"""What the order pages share: taking a step from a form, and the page's context."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel.numbers import format_percent
from ent_plugins.marketplace import parts, process
from ent_plugins.marketplace.catalogues import ORDER_STATUSES, PROCESSES, TRANSITION_LABELS
from ent_plugins.marketplace.models import Order
from ent_plugins.marketplace.order_messages import messages
from flask import request
from flask_babel import get_locale

from ent_core import sdk

#: Steps the order pages do not offer as buttons: paying is the money part's panel.
NOT_BUTTONS = ("pay",)


def form_data() -> tuple[str, str, dict[str, Any]]:
    """The step's name, its note and its data from a posted form (quote lines as lists)."""
    form = request.form
    name = form.get("transition", "")
    note = form.get("note", "").strip()[:2000]
    data: dict[str, Any] = {
        key: value
        for key, value in form.items()
        if key not in ("transition", "note", "csrf_token") and not key.startswith("line_")
    }
    labels = form.getlist("line_label")
    if labels:
        data["lines"] = [
            {"label": label, "quantity": quantity, "unit_price": price, "vat_rate": rate}
            for label, quantity, price, rate in zip(
                labels,
                form.getlist("line_quantity"),
                form.getlist("line_unit_price"),
                form.getlist("line_vat_rate"),
                strict=False,
            )
            if label.strip() or price.strip()
        ]
    return name, note, data


def take_step(order: Order, side: str) -> None:
    """Apply the posted step for ``side`` and commit (a refusal is a ``UserError``)."""
    name, note, data = form_data()
    with sdk.in_workspace(order.workspace_id):
        process.move(order, name, side=side, actor=sdk.current_user, note=note, **data)
        sdk.db.session.commit()


def post_from_form(order: Order, side: str, page: str) -> Any:
    """Post the form's message (and files) on ``order`` for ``side``; back to its ``page``."""
    from ent_plugins.marketplace.order_messages import post
    from flask import flash, redirect, url_for

    body, files = request.form.get("body", ""), request.files.getlist("files")
    post(order, side, sdk.current_user, body, files)
    sdk.db.session.commit()
    flash(sdk._("Your message was sent."), "success")
    return redirect(url_for(page, order_id=order.id) + "#thread", 303)


def page_context(order: Order, side: str) -> dict[str, Any]:
    """What the order page shows, the same on both sides."""
    with sdk.in_workspace(order.workspace_id):
        events = list(order.events)
        lines = list(order.lines)
        thread = messages(order)
        buttons = [n for n in process.allowed(order, side) if n not in NOT_BUTTONS]
    seller = sdk.workspace_names([order.workspace_id]).get(order.workspace_id)
    return {
        "order": order,
        "side": side,
        "lines": lines,
        "events": events,
        "thread": thread,
        "buttons": buttons,
        "statuses": ORDER_STATUSES,
        "processes": PROCESSES,
        "labels": TRANSITION_LABELS,
        "seller": seller,
        "panels": parts.markup("order_panel", order=order, side=side),
        "percent": vat_percent,
    }


def vat_percent(rate: Decimal) -> str:
    """A VAT rate as the reader's language writes it ("20 %", "20٪"), not "20.00 %"."""
    return format_percent(rate, locale=get_locale() or "fr", decimal_quantization=False)
