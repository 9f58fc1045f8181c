"""Pages of the reviews part: writing a review or a reply (seller and buyer), reporting a
review, the operator's queue of reported reviews, the public page explaining trust marks,
and "Promote this listing".

The forms live on the order's and the listing's pages (``order_panel``, ``listing_panel``);
these views take their posts, and re-render the form alone when something must be fixed.
"""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace import review_reports, reviews
from ent_plugins.marketplace.listing_promotion import may_promote, request_promotion
from ent_plugins.marketplace.models import Listing, Order
from ent_plugins.marketplace.orders import order_for_buyer
from ent_plugins.marketplace.permissions import HANDLE_ORDERS, MANAGE_LISTINGS
from ent_plugins.marketplace.process import BUYER, SELLER
from ent_plugins.marketplace.review_forms import ActionForm, ReplyForm, ReportForm, ReviewForm
from ent_plugins.marketplace.review_links import order_url, seller_listing_url
from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_date

from ent_core import sdk


def _form_page(form: Any, title: str, order: Order | None = None, refused: Any = None) -> Any:
    """The form alone with what to fix: 422, or the refusal's own status (409 for a second)."""
    status = refused.error.status if refused is not None and refused.error else 422
    if request.method == "GET":
        status = 200
    page = render_template("marketplace/reviews/form.html", form=form, title=title, order=order)
    return page, status


def _review(order: Order, side: str) -> Any:
    def act(form: Any) -> None:
        reviews.submit(order, side, sdk.current_user, form.rating.data, form.text.data or "")

    title = sdk._("Review order %(reference)s", reference=order.reference)
    return _post(order, side, ReviewForm(), title, act, sdk._("Thank you: your review is saved."))


def _reply(order: Order, side: str) -> Any:
    def act(form: Any) -> None:
        reviews.reply(order, side, sdk.current_user, form.text.data)

    title = sdk._("Reply to the review of order %(reference)s", reference=order.reference)
    return _post(order, side, ReplyForm(), title, act, sdk._("Your reply is published."))


def _post(order: Order, side: str, form: Any, title: str, act: Any, done: str) -> Any:
    """Validate, act, commit and go back to the order's page; else the form with its errors."""
    if not form.validate_on_submit():
        return _form_page(form, title, order)
    with sdk.user_errors(form) as refused:
        act(form)
        sdk.db.session.commit()
        flash(done, "success")
        return redirect(order_url(order, side), 303)
    return _form_page(form, title, order, refused)


@sdk.require_permission(HANDLE_ORDERS)
def seller_review(order_id: int) -> Any:
    return _review(sdk.get_or_404(Order, order_id), SELLER)


@sdk.require_permission(HANDLE_ORDERS)
def seller_reply(order_id: int) -> Any:
    return _reply(sdk.get_or_404(Order, order_id), SELLER)


def _buyer_order(order_id: int) -> Order:
    return order_for_buyer(order_id, sdk.current_user)


@sdk.login_required
def buyer_review(order_id: int) -> Any:
    order = _buyer_order(order_id)
    with sdk.in_workspace(order.workspace_id):
        return _review(order, BUYER)


@sdk.login_required
def buyer_reply(order_id: int) -> Any:
    order = _buyer_order(order_id)
    with sdk.in_workspace(order.workspace_id):
        return _reply(order, BUYER)


@sdk.login_required
def report(review_id: int) -> Any:
    review = review_reports.published_review(review_id)
    if review is None:
        sdk.abort(404)
    form = ReportForm()
    refused = None
    if form.validate_on_submit():
        with sdk.user_errors(form) as refused:
            review_reports.report(review, sdk.current_user, form.text.data)
            sdk.db.session.commit()
            flash(sdk._("Thank you: the platform's team will look at this review."), "success")
            return redirect(url_for("marketplace_public.trust"), 303)
    return _form_page(form, sdk._("Report a review"), refused=refused)


def admin_reviews() -> Any:
    rows = review_reports.open_reports()
    names = sdk.workspace_names({review.workspace_id for _, review in rows})
    return render_template(
        "marketplace/reviews/admin.html",
        rows=rows,
        names=names,
        form=ActionForm(),
        # Reviews of every workspace: the platform's dates (Flask-Babel's zone) on this page.
        day=format_date,
    )


def admin_decide(report_id: int) -> Any:
    form = ActionForm()
    if not form.validate_on_submit():
        sdk.abort(400)
    action = request.form.get("action", "")
    with sdk.user_errors(form):
        review_reports.decide(report_id, action, sdk.current_user)
        sdk.db.session.commit()
        flash(
            sdk._("The review is removed.") if action == "remove" else sdk._("The review stays."),
            "success",
        )
    for error in form.form_errors:
        flash(error, "error")
    return redirect(url_for("marketplace_admin.reviews"), 303)


def trust_page() -> Any:
    return render_template("marketplace/reviews/trust.html")


@sdk.require_permission(MANAGE_LISTINGS)
def promote(listing_id: int) -> Any:
    """Shown and accepted only where a module listens, so it never leads nowhere."""
    listing = sdk.get_or_404(Listing, listing_id)
    if not ActionForm().validate_on_submit():
        sdk.abort(400)
    if not may_promote(listing):
        sdk.abort(404)
    request_promotion(listing, sdk.current_user)
    sdk.db.session.commit()
    flash(
        sdk._("A draft campaign is ready: find it under Advertising, check it and submit it."),
        "success",
    )
    return redirect(seller_listing_url(listing, listing.workspace.slug), 303)
