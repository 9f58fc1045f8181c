"""Trust signals on the seller's storefront and listings (core, training, marketplace),
the page that explains them, and "Promote this listing" where the ads module listens."""

from __future__ import annotations

from typing import Any

import pytest
from ent_plugins.marketplace.tests.conftest import make_listing
from reviews_kit import english, panel

from ent_core import sdk
from ent_core.testing import enable

pytestmark = pytest.mark.frozen_clock


def _profile(seller: Any, **figures: Any) -> None:
    from ent_plugins.marketplace.models import SellerProfile

    with sdk.in_workspace(seller.id):
        sdk.db.session.add(SellerProfile(**figures))
        sdk.db.session.commit()


def test_the_marketplace_answers_with_sales_and_answer_time(app: Any, seller: Any) -> None:
    _profile(seller, completed_orders=12, response_minutes=150)
    with english(app):
        signals = {s.code: s for s in sdk.trust_signals(seller)}
    assert list(signals)[:2] == ["vetted", "charter"]  # the core first
    assert signals["completed_orders"].label == "12 completed sales"
    assert signals["response_time"].label == "Answers in 2 hours"


def test_the_storefront_and_the_listing_show_the_signals(app: Any, seller: Any) -> None:
    _profile(seller, completed_orders=1, response_minutes=20)
    storefront = panel(app, "seller_panel", workspace=seller)
    for text in ("Vetted by the platform", "Signed the ethics charter", "1 completed sale"):
        assert text in storefront
    assert "Answers in 20 minutes" in storefront
    assert "/marketplace/trust" in storefront
    listing = panel(app, "listing_panel", listing=make_listing(seller))
    assert "1 completed sale" in listing and "No review yet." in listing


def test_no_signal_where_the_marketplace_is_off(app: Any, seller: Any, seller_api: Any) -> None:
    _profile(seller, completed_orders=3)
    off = seller_api.delete("/api/v1/workspaces/factcheck-lab/plugins/marketplace")
    assert off.status_code == 204
    with english(app):
        codes = [s.code for s in sdk.trust_signals(seller)]
    assert "completed_orders" not in codes
    assert panel(app, "seller_panel", workspace=seller) == ""


def test_the_trust_page_explains_each_mark(client: Any) -> None:
    page = client.get("/marketplace/trust?lang=en")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for anchor in ("vetted", "charter", "certificates", "completed_orders", "response_time"):
        assert f'id="{anchor}"' in text


@pytest.fixture
def shop(make_workspace: Any, seller_owner: Any) -> Any:
    """A seller with the ads module on too (entitled from the start, as a real plan would)."""
    workspace = make_workspace("atlas-shop", owner=seller_owner, plugins=("marketplace", "ads"))
    sdk.db.session.commit()
    return workspace


def test_promote_shows_only_where_ads_listens(
    app: Any, seller: Any, shop: Any, seller_owner: Any, seller_client: Any, make_api_client: Any
) -> None:
    quiet = make_listing(seller)
    promote = f"/w/factcheck-lab/marketplace/listings/{quiet.id}/promote"
    assert panel(app, "seller_listing_panel", seller_owner, listing=quiet) == ""
    assert seller_client.post(promote).status_code == 404

    listing = make_listing(shop)
    shown = panel(app, "seller_listing_panel", seller_owner, listing=listing)
    assert "Promote this listing" in shown
    promote = f"/w/atlas-shop/marketplace/listings/{listing.id}/promote"
    assert seller_client.post(promote).status_code == 303
    found = make_api_client(seller_owner).get("/api/v1/workspaces/atlas-shop/ads/campaigns")
    (campaign,) = found.json["items"]
    assert campaign["status"] == "draft"
    assert campaign["source"] == f"marketplace:listing:{listing.id}"
    assert campaign["landing_url"].endswith(f"/marketplace/listings/{listing.id}")


def test_a_draft_listing_is_not_promoted(shop: Any, seller_client: Any) -> None:
    draft = make_listing(shop, status="draft", published_at=None)
    resp = seller_client.post(f"/w/atlas-shop/marketplace/listings/{draft.id}/promote")
    assert resp.status_code == 404


def test_event_listing_promotion_requested(
    shop: Any, seller_client: Any, event_listener: Any
) -> None:
    enable(shop, "listener")
    sdk.db.session.commit()
    listing = make_listing(shop)
    resp = seller_client.post(f"/w/atlas-shop/marketplace/listings/{listing.id}/promote")
    assert resp.status_code == 303
    (heard, *_) = event_listener.heard("listing.promotion_requested")
    assert heard.payload["listing_id"] == listing.id
    assert heard.payload["title"] == listing.title
    assert heard.payload["category"] == "fact-checking"
    assert heard.payload["price"] == "1500.00"
    assert heard.payload["url"].startswith("http")
