"""Reviews through the pages: the forms of the order's panel, reports and the operator's
decision, the ratings on the listing's and the seller's panels."""

from __future__ import annotations

from typing import Any

import pytest
from ent_plugins.marketplace.tests.conftest import make_listing
from reviews_kit import (
    BUYER_API,
    BUYER_PAGE,
    SELLER_API,
    SELLER_PAGE,
    completed_order,
    english,
    figures,
    panel,
)

from ent_core import sdk

pytestmark = pytest.mark.frozen_clock


@pytest.fixture
def listing(seller: Any) -> Any:
    return make_listing(seller)


@pytest.fixture
def order(seller: Any, user: Any, newsroom: Any, listing: Any) -> Any:
    return completed_order(seller, user, listing)


def test_both_sides_review_through_the_order_panel(
    app: Any, order: Any, seller_client: Any, signed_in_client: Any, seller_owner: Any, user: Any
) -> None:
    page = panel(app, "order_panel", seller_owner, order=order, side="seller")
    assert "Publish my review" in page
    resp = seller_client.post(SELLER_PAGE.format(id=order.id), data={"rating": "5", "text": "Top"})
    assert resp.status_code == 303

    page = panel(app, "order_panel", user, order=order, side="buyer")
    assert "The other side reviewed you: write yours to read it." in page
    assert "Top" not in page
    resp = signed_in_client.post(
        BUYER_PAGE.format(id=order.id), data={"rating": "4", "text": "Bien"}
    )
    assert resp.status_code == 303
    page = panel(app, "order_panel", user, order=order, side="buyer")
    assert "Top" in page and "Reply once" in page and "Publish my review" not in page


def test_a_form_without_rating_shows_what_to_fix(order: Any, signed_in_client: Any) -> None:
    resp = signed_in_client.post(BUYER_PAGE.format(id=order.id) + "?lang=en", data={"text": "x"})
    assert resp.status_code == 422
    assert "Give a rating from 1 to 5." in resp.get_data(as_text=True)
    again = signed_in_client.post(BUYER_PAGE.format(id=order.id), data={"rating": "3"})
    assert again.status_code == 303
    second = signed_in_client.post(BUYER_PAGE.format(id=order.id), data={"rating": "3"})
    assert second.status_code == 409


def test_a_stranger_cannot_review_a_buyers_order(order: Any, app: Any, make_user: Any) -> None:
    from ent_core.testing import sign_in

    stranger = sign_in(app.test_client(), make_user("curieux@example.ma"))
    assert stranger.post(BUYER_PAGE.format(id=order.id), data={"rating": "1"}).status_code == 404


def test_sellers_read_what_other_sellers_said_of_a_buyer(
    app: Any,
    order: Any,
    user: Any,
    make_workspace: Any,
    make_user: Any,
    make_api_client: Any,
    seller_owner: Any,
    buyer_api: Any,
) -> None:
    other_owner = make_user("ventes@atlas.ma")
    other = make_workspace("atlas", owner=other_owner, plugins=("marketplace",))
    sdk.db.session.commit()
    earlier = completed_order(other, user, make_listing(other), reference="MP-2026-000002")
    atlas = make_api_client(other_owner)
    url = f"/api/v1/workspaces/atlas/marketplace/orders/{earlier.id}/reviews"
    assert atlas.post(url, json={"rating": 2, "text": "Paie en retard"}).status_code == 201
    page = panel(app, "order_panel", seller_owner, order=order, side="seller")
    assert "Paie en retard" not in page  # not published yet
    buyer_api.post(BUYER_API.format(id=earlier.id), json={"rating": 5})
    page = panel(app, "order_panel", seller_owner, order=order, side="seller")
    assert ("Paie en retard" in page and "Atlas" in page.title()) or "atlas" in page


def _published_pair(order: Any, seller_api: Any, buyer_api: Any, text: str) -> int:
    resp = buyer_api.post(BUYER_API.format(id=order.id), json={"rating": 1, "text": text})
    seller_api.post(SELLER_API.format(id=order.id), json={"rating": 4})
    return int(resp.json["id"])


def test_the_listing_panel_shows_the_average_and_the_reviews_with_replies(
    app: Any, order: Any, listing: Any, seller_api: Any, buyer_api: Any
) -> None:
    _published_pair(order, seller_api, buyer_api, "Trop lent")
    seller_api.post(SELLER_API.format(id=order.id) + "/reply", json={"text": "Nous avons corrigé"})
    page = panel(app, "listing_panel", listing=listing)
    assert "1.0" in page and "1 review" in page
    assert "Trop lent" in page and "Nous avons corrigé" in page
    assert "Report this review" not in page  # anonymous visitors do not report
    storefront = panel(app, "seller_panel", workspace=listing.workspace)
    assert "Trop lent" in storefront and "Reviews of this seller" in storefront


@pytest.fixture
def apis(seller_api: Any, buyer_api: Any) -> tuple[Any, Any]:
    return seller_api, buyer_api


def test_a_reported_review_is_removed_by_the_operator(
    app: Any,
    order: Any,
    listing: Any,
    apis: Any,
    seller_client: Any,
    operator_client: Any,
    signed_in_client: Any,
) -> None:
    review_id = _published_pair(order, *apis, "Arnaque totale")
    assert figures(listing) == (1, 1, 1, 1)
    report = f"/marketplace/reviews/{review_id}/report"
    resp = seller_client.post(report, data={"text": "Diffamatoire"})
    assert resp.status_code == 303
    assert seller_client.post(report, data={"text": "Encore"}).status_code == 409
    assert signed_in_client.get("/admin/marketplace/reviews").status_code == 403

    queue = operator_client.get("/admin/marketplace/reviews?lang=en").get_data(as_text=True)
    assert "Arnaque totale" in queue and "Diffamatoire" in queue
    from ent_plugins.marketplace.hooks_reviews import admin_sections

    with english(app):
        assert [(str(s[0]), s[1], s[2]) for s in admin_sections()] == [
            ("Reported reviews", "marketplace_admin.reviews", 1)
        ]
    from ent_plugins.marketplace.models import ReviewReport

    with sdk.all_workspaces():
        report_id = sdk.db.session.scalar(sdk.db.select(ReviewReport.id))
    decide = f"/admin/marketplace/reviews/reports/{report_id}"
    assert operator_client.post(decide, data={"action": "remove"}).status_code == 303
    assert figures(listing) == (0, 0, 0, 0)
    assert "Arnaque totale" not in panel(app, "listing_panel", listing=listing)
    assert seller_client.post(report, data={"text": "x"}).status_code == 404


def test_the_operator_may_keep_a_reported_review(
    app: Any, order: Any, listing: Any, apis: Any, seller_client: Any, operator_client: Any
) -> None:
    review_id = _published_pair(order, *apis, "Bof")
    seller_client.post(f"/marketplace/reviews/{review_id}/report", data={"text": "Injuste"})
    from ent_plugins.marketplace.models import ReviewReport

    with sdk.all_workspaces():
        report_id = sdk.db.session.scalar(sdk.db.select(ReviewReport.id))
    resp = operator_client.post(
        f"/admin/marketplace/reviews/reports/{report_id}", data={"action": "keep"}
    )
    assert resp.status_code == 303
    assert figures(listing) == (1, 1, 1, 1)
    assert "Bof" in panel(app, "listing_panel", listing=listing)
    assert "No review is reported." in operator_client.get(
        "/admin/marketplace/reviews?lang=en"
    ).get_data(as_text=True)
