"""What the reviews part shows on the pages other parts own: an order's reviews and forms,
a listing's and a seller's ratings, reviews and trust signals, the "Promote" button."""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace import reviews
from ent_plugins.marketplace.listing_promotion import may_promote
from ent_plugins.marketplace.models import Listing, Order, Review, SellerProfile
from ent_plugins.marketplace.process import BUYER, SELLER
from ent_plugins.marketplace.review_forms import ActionForm, ReplyForm, ReportForm, ReviewForm
from ent_plugins.marketplace.review_orders import reviews_of_buyer
from ent_plugins.marketplace.trust import public_seller
from flask import render_template
from markupsafe import Markup

from ent_core import sdk

SHOWN = 10


def _render(name: str, workspace: Any, **context: Any) -> Markup:
    """``day(value)`` shows a date in the seller's time zone: these pages have no workspace."""
    context["day"] = lambda value: sdk.format_date(value, workspace=workspace)
    return Markup(render_template(f"marketplace/reviews/{name}", **context))  # noqa: S704 - ours


def order_panel(order: Order, side: str) -> Markup | None:
    """Both reviews as ``side`` may read them, the forms it may use; a seller also reads what
    other sellers said of this buyer."""
    if order.status != "completed" or side not in reviews.SIDES:
        return None
    with sdk.in_workspace(order.workspace_id):
        found = reviews.order_reviews(order)
        context = {
            "order": order,
            "side": side,
            "mine": found.get(side),
            "theirs": found.get(reviews.counterpart(side)),
            "theirs_readable": reviews.readable(found.get(reviews.counterpart(side)), side),
            "can_review": reviews.may_review(order, side),
            "closes_at": reviews.deadline(order),
            "review_form": ReviewForm(formdata=None),
            "reply_form": ReplyForm(formdata=None),
            "history": [
                (r, name) for r, name in reviews_of_buyer(order.buyer_id) if r.order_id != order.id
            ]
            if side == SELLER
            else [],
        }
        return _render("_order_panel.html", order.workspace, **context)


def _published_of_buyers(where: Any) -> list[Review]:
    return list(
        sdk.db.session.scalars(
            sdk.db.select(Review)
            .where(
                where,
                Review.side == BUYER,
                Review.status == "visible",
                Review.published_at.is_not(None),
            )
            .order_by(Review.published_at.desc(), Review.id.desc())
            .limit(SHOWN)
        )
    )


def _reviews_block(
    rating_sum: int, rating_count: int, rows: list[Review], workspace: Any, title: str
) -> Markup:
    return _render(
        "_reviews.html",
        workspace,
        average=(rating_sum / rating_count) if rating_count else None,
        count=rating_count,
        rows=rows,
        title=title,
        signals=sdk.trust_signals(workspace),
        report_form=ReportForm(formdata=None),
    )


def listing_panel(listing: Listing) -> Markup | None:
    if not public_seller(listing.workspace_id):
        return None
    with sdk.in_workspace(listing.workspace_id):
        rows = _published_of_buyers(Review.listing_id == listing.id)
    return _reviews_block(
        listing.rating_sum,
        listing.rating_count,
        rows,
        listing.workspace,
        sdk._("Reviews of this listing"),
    )


def seller_panel(workspace: Any) -> Markup | None:
    if not public_seller(workspace.id):
        return None
    with sdk.in_workspace(workspace.id):
        profile = sdk.db.session.scalar(sdk.db.select(SellerProfile))
        rows = _published_of_buyers(Review.workspace_id == workspace.id)
    return _reviews_block(
        profile.rating_sum if profile else 0,
        profile.rating_count if profile else 0,
        rows,
        workspace,
        sdk._("Reviews of this seller"),
    )


def seller_listing_panel(listing: Listing) -> Markup | None:
    if not may_promote(listing):
        return None
    return _render(
        "_promote.html", listing.workspace, listing=listing, form=ActionForm(formdata=None)
    )
