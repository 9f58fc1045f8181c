"""The mail "your counterpart reviewed you": never the review itself before it is published,
so that the double blind holds in inboxes too."""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace.models import Order, Review
from ent_plugins.marketplace.permissions import HANDLE_ORDERS
from ent_plugins.marketplace.process import BUYER, SELLER
from ent_plugins.marketplace.review_links import order_url
from flask_babel import force_locale

from ent_core import sdk


def _recipients(order: Order, review: Review) -> list[Any]:
    if review.side == SELLER:
        return [order.buyer] if order.buyer is not None else []
    with sdk.all_workspaces():
        return list(sdk.workspace_members(order.workspace, permission=HANDLE_ORDERS))


def tell_counterpart(order: Order, review: Review) -> None:
    """Mail the reviewed side; what they read depends on whether both reviews are out."""
    from ent_plugins.marketplace.reviews import deadline

    side = BUYER if review.side == SELLER else SELLER
    link = order_url(order, side, absolute=True)
    closes = deadline(order) if review.published_at is None else None
    for person in _recipients(order, review):
        if person.id == review.author_id:
            continue
        # In the recipient's language, as the orders' mails (order_mail.notify).
        with force_locale(getattr(person, "locale", None) or "fr"):
            subject, body = _message(order, review, link, closes)
        sdk.send_mail(person.email, subject, body)


def _message(order: Order, review: Review, link: str, closes: Any) -> tuple[str, str]:
    subject = sdk._("Order %(reference)s: you have been reviewed", reference=order.reference)
    if review.published_at is not None:
        return subject, sdk._(
            "Both reviews of order %(reference)s are published: read what was said of you "
            "and answer it if you wish.\n\n%(link)s",
            reference=order.reference,
            link=link,
        )
    return subject, sdk._(
        "The other side of order %(reference)s reviewed you. Reviews stay hidden until both "
        "are written: write yours to read it, or it will be published on %(date)s.\n\n"
        "%(link)s",
        reference=order.reference,
        date=sdk.format_date(closes, workspace=order.workspace) if closes else "",
        link=link,
    )
