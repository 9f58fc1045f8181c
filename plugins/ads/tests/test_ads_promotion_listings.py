""" "Promote this listing": the marketplace announces ``listing.promotion_requested`` and the
ads module drafts a campaign whose landing page is the listing's public page."""

from __future__ import annotations

from typing import Any

import pytest

from ent_core import sdk

pytestmark = pytest.mark.frozen_clock
URL = "https://ent.example/marketplace/listings/7"


@pytest.fixture
def shop(make_workspace: Any, user: Any) -> Any:
    workspace = make_workspace("atlas-shop", plugins=("marketplace", "ads"))
    sdk.db.session.commit()
    return workspace


def _request(shop: Any, user: Any, **changes: Any) -> None:
    payload = {
        "listing_id": 7,
        "title": "Vérification d'une enquête",
        "url": URL,
        "summary": "Nous vérifions chaque affirmation de votre enquête.",
        "category": "fact-checking",
        "sector": "it",
        "price": "1500.00",
        "image_key": None,
        "requested_by": user.id,
        **changes,
    }
    with sdk.working_in(shop):
        sdk.emit("listing.promotion_requested", workspace=shop, **payload)
        sdk.db.session.commit()


def test_a_listing_promotion_drafts_one_campaign(
    shop: Any, user: Any, make_api_client: Any
) -> None:
    _request(shop, user)
    _request(shop, user)  # a second request while the draft waits adds nothing
    found = make_api_client(user).get("/api/v1/workspaces/atlas-shop/ads/campaigns").json
    (campaign,) = found["items"]
    assert campaign["status"] == "draft"
    assert campaign["name"] == "Vérification d'une enquête"
    assert campaign["landing_url"] == URL
    assert campaign["source"] == "marketplace:listing:7"
    assert campaign["category"] == "technology"
    (creative,) = campaign["creatives"]
    assert creative["format"] == "native"
    assert creative["body"].startswith("Nous vérifions")
    assert creative["url"] is None


def test_a_listing_outside_a_known_sector_is_a_media_campaign(
    shop: Any, user: Any, make_api_client: Any
) -> None:
    _request(shop, user, listing_id=8, sector="culture")
    (campaign,) = (
        make_api_client(user).get("/api/v1/workspaces/atlas-shop/ads/campaigns").json["items"]
    )
    assert campaign["category"] == "media"
