"""Reports of published reviews, and the operator's decision: remove the review or keep it."""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace.models import Order, Review, ReviewReport
from ent_plugins.marketplace.process import BUYER

from ent_core import sdk

REPORT_MAX = 1000


def report(review: Review, reporter: Any, text: str) -> ReviewReport:
    """Anyone signed in reports a published review, once while their report is open."""
    if review.published_at is None or review.status != "visible":
        raise sdk.UserError("not_found", sdk._("This review cannot be reported."), 404)
    text = (text or "").strip()
    if not text or len(text) > REPORT_MAX:
        message = sdk._("Say what is wrong, in 1,000 characters at most.")
        raise sdk.UserError("validation_error", message, 422, field="text")
    with sdk.in_workspace(review.workspace_id):
        already = sdk.db.session.scalar(
            sdk.db.select(ReviewReport.id).where(
                ReviewReport.review_id == review.id,
                ReviewReport.reporter_id == reporter.id,
                ReviewReport.status == "open",
            )
        )
        if already is not None:
            raise sdk.UserError("already_reported", sdk._("You already reported this review."), 409)
        row = ReviewReport(review_id=review.id, reporter_id=reporter.id, text=text)
        sdk.db.session.add(row)
        sdk.db.session.flush()
    sdk.audit("marketplace.review.reported", subject=f"review:{review.id}")
    return row


def published_review(review_id: int) -> Review | None:
    """A published, visible review of any workspace (reports come from public pages)."""
    with sdk.all_workspaces():
        return sdk.db.session.scalar(
            sdk.db.select(Review).where(
                Review.id == review_id,
                Review.published_at.is_not(None),
                Review.status == "visible",
                Review.workspace_id.in_(sdk.public_workspace_ids("marketplace")),
            )
        )


def open_reports() -> list[tuple[ReviewReport, Review]]:
    """The operator's queue, oldest first, across workspaces."""
    with sdk.all_workspaces():
        rows = sdk.db.session.execute(
            sdk.db.select(ReviewReport, Review)
            .join(Review, Review.id == ReviewReport.review_id)
            .where(ReviewReport.status == "open")
            .order_by(ReviewReport.created_at, ReviewReport.id)
        ).all()
    return [(r, v) for r, v in rows]


def open_count() -> int:
    with sdk.all_workspaces():
        return (
            sdk.db.session.scalar(
                sdk.db.select(sdk.db.func.count(ReviewReport.id)).where(
                    ReviewReport.status == "open"
                )
            )
            or 0
        )


def decide(report_id: int, action: str, actor: Any) -> Review:
    """``remove`` (the review disappears and its rating is taken back) or ``keep``; every
    open report of that review is closed by the decision (not committed)."""
    from ent_plugins.marketplace.reviews import count_rating

    if action not in ("remove", "keep"):
        raise sdk.UserError("validation_error", sdk._("Choose remove or keep."), 422, "action")
    with sdk.all_workspaces():
        found = sdk.db.session.get(ReviewReport, report_id)
    if found is None or found.status != "open":
        raise sdk.UserError("not_found", sdk._("This report was already decided."), 404)
    with sdk.in_workspace(found.workspace_id):
        review = sdk.db.session.get(Review, found.review_id)
        assert review is not None
        if action == "remove":
            removed = sdk.db.session.execute(
                sdk.db.update(Review)
                .where(Review.id == review.id, Review.status == "visible")
                .values(status="removed")
                .execution_options(synchronize_session=False)
            ).rowcount
            if removed == 1:
                review.status = "removed"
                if review.side == BUYER and review.published_at is not None:
                    order = sdk.db.session.get(Order, review.order_id)
                    assert order is not None
                    count_rating(order, review, -1)
        sdk.db.session.execute(
            sdk.db.update(ReviewReport)
            .where(ReviewReport.review_id == review.id, ReviewReport.status == "open")
            .values(status="upheld" if action == "remove" else "dismissed")
            .execution_options(synchronize_session=False)
        )
    sdk.audit(
        f"marketplace.review.{'removed' if action == 'remove' else 'kept'}",
        subject=f"review:{review.id}",
        details={"report": report_id},
    )
    return review
