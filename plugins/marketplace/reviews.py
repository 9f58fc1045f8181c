"""Reviews after a completed order: double-blind, one per side, published together.

Airbnb's and Sharetribe's rule: neither side reads the other's review before writing its own,
so a review is nobody's answer to another. Each review stays visible to its author only until
both are in, or until ``settings.review_days`` after completion (the schedule publishes what
was written). Publishing is a guarded ``UPDATE ... WHERE published_at IS NULL``: the buyer's
rating feeds the listing's and the seller's figures exactly once, whichever comes first.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ent_plugins.marketplace import listing_rating
from ent_plugins.marketplace.models import Listing, Order, Review, SellerProfile
from ent_plugins.marketplace.process import BUYER, SELLER
from ent_plugins.marketplace.settings import settings
from sqlalchemy.exc import IntegrityError

from ent_core import sdk

SIDES = (BUYER, SELLER)
TEXT_MAX = 2000
REPLY_MAX = 1000


def counterpart(side: str) -> str:
    return SELLER if side == BUYER else BUYER


def deadline(order: Order) -> datetime | None:
    """When the review window closes (both reviews are then published as they are)."""
    completed = order.completed_at or (order.updated_at if order.status == "completed" else None)
    if completed is None:
        return None
    return completed + timedelta(days=settings().review_days)


def order_reviews(order: Order) -> dict[str, Review]:
    """The order's reviews by author's side (the order's workspace must be current)."""
    rows = sdk.db.session.scalars(sdk.db.select(Review).where(Review.order_id == order.id)).all()
    return {r.side: r for r in rows}


def readable(review: Review | None, side: str) -> bool:
    """Whether ``side`` may read ``review``: its own, or a published one not removed."""
    if review is None:
        return False
    return review.side == side or (review.published_at is not None and review.status == "visible")


def may_review(order: Order, side: str) -> bool:
    closes = deadline(order)
    return (
        order.status == "completed"
        and closes is not None
        and sdk.utcnow() < closes
        and side not in order_reviews(order)
    )


def _refuse(code: str, message: str, status: int = 409, field: str | None = None) -> None:
    raise sdk.UserError(code, message, status, field=field)


def submit(order: Order, side: str, author: Any, rating: Any, text: str) -> Review:
    """``side`` reviews the other (not committed); 409 ``already_reviewed`` for a second."""
    if order.status != "completed":
        _refuse("not_reviewable", sdk._("Reviews open once the order is completed."))
    closes = deadline(order)
    if closes is not None and sdk.utcnow() >= closes:
        _refuse("review_closed", sdk._("The time to review this order is over."))
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        _refuse("validation_error", sdk._("Give a rating from 1 to 5."), 422, "rating")
    text = (text or "").strip()
    if len(text) > TEXT_MAX:
        _refuse("validation_error", sdk._("The review is too long."), 422, "text")
    if side in order_reviews(order):
        _refuse("already_reviewed", sdk._("You already reviewed this order."))
    review = Review(
        workspace_id=order.workspace_id,
        order_id=order.id,
        listing_id=next((line.listing_id for line in order.lines if line.listing_id), None),
        side=side,
        author_id=getattr(author, "id", None),
        rating=rating,
        text=text,
    )
    try:
        with sdk.db.session.begin_nested():
            sdk.db.session.add(review)
    except IntegrityError:  # another request of the same side won the race
        _refuse("already_reviewed", sdk._("You already reviewed this order."))
    sdk.audit("marketplace.review.submitted", subject=f"order:{order.id}", details={"side": side})
    if len(order_reviews(order)) == len(SIDES):
        publish(order)
    from ent_plugins.marketplace.review_mail import tell_counterpart

    tell_counterpart(order, review)
    return review


def publish(order: Order) -> int:
    """Publish the order's unpublished reviews; how many this call published (not committed)."""
    published = 0
    now = sdk.utcnow()
    for review in order_reviews(order).values():
        moved = sdk.db.session.execute(
            sdk.db.update(Review)
            .where(Review.id == review.id, Review.published_at.is_(None))
            .values(published_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if moved == 1:
            review.published_at = now
            published += 1
            if review.side == BUYER and review.status == "visible":
                count_rating(order, review, +1)
    return published


def count_rating(order: Order, review: Review, sign: int) -> None:
    """Add (or take back) a buyer's rating on the listing's and the seller's figures."""
    values = {"rating_sum": sign * review.rating, "rating_count": sign}
    if review.listing_id is not None:
        listing_rating.set_rating(
            review.listing_id,
            Listing.rating_sum + sign * review.rating,
            Listing.rating_count + sign,
            Listing.rating_count + sign >= 0,
        )
    counted = sdk.db.session.execute(
        sdk.db.update(SellerProfile)
        .where(SellerProfile.workspace_id == order.workspace_id)
        .values({k: getattr(SellerProfile, k) + v for k, v in values.items()})
        .execution_options(synchronize_session=False)
    ).rowcount
    if counted == 0 and sign > 0:
        sdk.db.session.add(
            SellerProfile(workspace_id=order.workspace_id, rating_sum=review.rating, rating_count=1)
        )
        sdk.db.session.flush()


def publish_due() -> int:
    """The schedule: publish the reviews of orders whose review window closed; idempotent."""
    window = timedelta(days=settings().review_days)
    with sdk.all_workspaces():
        orders = sdk.db.session.scalars(
            sdk.db.select(Order)
            .join(Review, Review.order_id == Order.id)
            .where(
                Review.published_at.is_(None),
                Order.completed_at.is_not(None),
                Order.completed_at <= sdk.utcnow() - window,
            )
            .distinct()
        ).all()
    published = 0
    for order in orders:
        with sdk.in_workspace(order.workspace_id):
            published += publish(order)
            sdk.db.session.commit()
    return published


def reply(order: Order, side: str, author: Any, text: str) -> Review:
    """``side`` answers the review it received, once, after publication (not committed)."""
    review = order_reviews(order).get(counterpart(side))
    if not readable(review, side) or review is None:
        _refuse("not_published", sdk._("There is no published review to answer yet."))
        raise AssertionError  # for type checkers: _refuse raised
    text = (text or "").strip()
    if not text or len(text) > REPLY_MAX:
        _refuse(
            "validation_error", sdk._("Write a reply of at most 1,000 characters."), 422, "text"
        )
    now = sdk.utcnow()
    moved = sdk.db.session.execute(
        sdk.db.update(Review)
        .where(Review.id == review.id, Review.replied_at.is_(None))
        .values(reply=text, replied_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        _refuse("already_replied", sdk._("You already replied to this review."))
    review.reply, review.replied_at = text, now
    sdk.audit("marketplace.review.replied", subject=f"review:{review.id}")
    return review
