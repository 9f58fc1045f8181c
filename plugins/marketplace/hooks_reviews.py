"""The reviews part's answers to the marketplace's shared hooks (parts.py): routes, the
schedule that publishes reviews at their deadline, the promotion event, the panels."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ent_plugins.marketplace.listing_promotion import EVENT_TYPES
from ent_plugins.marketplace.review_panels import (  # noqa: F401 - the shared panels
    listing_panel,
    order_panel,
    seller_listing_panel,
    seller_panel,
)

from ent_core import sdk

P = ["POST"]


def routes(bps: Any) -> None:
    from ent_plugins.marketplace.api import reviews as api
    from ent_plugins.marketplace.views import reviews as views

    seller = bps.members.add_url_rule
    seller(
        "/orders/<int:order_id>/reviews", "reviews_seller_review", views.seller_review, methods=P
    )
    seller(
        "/orders/<int:order_id>/reviews/reply",
        "reviews_seller_reply",
        views.seller_reply,
        methods=P,
    )
    seller("/listings/<int:listing_id>/promote", "reviews_promote", views.promote, methods=P)
    buyer = bps.buyer.add_url_rule
    buyer("/orders/<int:order_id>/reviews", "reviews_buyer_review", views.buyer_review, methods=P)
    buyer(
        "/orders/<int:order_id>/reviews/reply", "reviews_buyer_reply", views.buyer_reply, methods=P
    )
    buyer(
        "/reviews/<int:review_id>/report", "reviews_report", views.report, methods=["GET", "POST"]
    )
    bps.market.add_url_rule("/trust", "trust", views.trust_page)
    bps.admin.add_url_rule("/reviews", "reviews", views.admin_reviews)
    bps.admin.add_url_rule(
        "/reviews/reports/<int:report_id>", "reviews_decide", views.admin_decide, methods=P
    )
    rule = bps.api.add_url_rule
    rule("/orders/<int:order_id>/reviews", "reviews_list", api.seller_list)
    rule("/orders/<int:order_id>/reviews", "reviews_write", api.seller_write, methods=P)
    rule("/orders/<int:order_id>/reviews/reply", "reviews_reply", api.seller_reply, methods=P)
    bps.extra.append(api.buyer_api)


def schedules() -> list[Any]:
    from ent_plugins.marketplace.reviews import publish_due

    return [sdk.Schedule("marketplace.reviews.publish", publish_due, timedelta(hours=1))]


def event_types() -> list[Any]:
    return list(EVENT_TYPES)


def admin_sections() -> list[tuple[Any, str, int | None]]:
    from ent_plugins.marketplace.review_reports import open_count

    return [(sdk._("Reported reviews"), "marketplace_admin.reviews", open_count())]


def trust_signals(workspace: Any) -> list[Any]:
    from ent_plugins.marketplace.trust import trust_signals as marketplace_signals

    return marketplace_signals(workspace)
