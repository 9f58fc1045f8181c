"""What campaigns, moderation and payment add to the platform through hooks (plugin.py calls
these, one line each): events heard, the monthly invoicing schedule, the admin page's link."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import render_template
from markupsafe import Markup

from ent_core import sdk


def subscriptions() -> list[Any]:
    """``invoice.paid`` (a prepaid campaign may run) and ``article.promotion_requested``."""
    from ent_plugins.ads import billing, promotion

    return [*billing.subscriptions(), *promotion.subscriptions()]


def schedules() -> list[Any]:
    """Every six hours (a missed run is caught up by the next): invoice last month's
    delivery to advertisers on monthly terms, once each."""
    from ent_plugins.ads.billing import invoice_all_months

    return [sdk.Schedule("ads.monthly_invoices", invoice_all_months, timedelta(hours=6))]


def slot_markup(slot: str, context: dict[str, Any]) -> Any:
    """The moderation queue's card on /admin/ (the platform slot ``admin.tools``)."""
    if slot != "admin.tools":
        return None
    return Markup(render_template("ads/admin/_tool.html"))  # noqa: S704 - our template
