"""Atom feeds, the public API, the portal's items and the boxes in other pages' slots."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import feedparser
from ent_plugins.marketplace.tests.conftest import make_listing
from ent_plugins.marketplace.tests.discovery_kit import ids, picture, set_status

from ent_core import sdk
from ent_core.testing import sql_statements


def _aged(seller: Any, title: str, days: int, **fields: Any) -> Any:
    return make_listing(seller, title, published_at=sdk.utcnow() - timedelta(days=days), **fields)


def test_feeds_list_new_listings_newest_first(client: Any, seller: Any) -> None:
    _aged(seller, "Ancienne", 2)
    _aged(seller, "Récente", 1)
    _aged(seller, "Podcast", 0, category="podcast-studio")
    answer = client.get("/marketplace/feed.atom")
    assert answer.status_code == 200
    assert answer.mimetype == "application/atom+xml"
    parsed = feedparser.parse(answer.data)
    assert not parsed.bozo, parsed.bozo_exception
    assert [e.title for e in parsed.entries] == ["Podcast", "Récente", "Ancienne"]
    assert "/marketplace/listings/" in parsed.entries[0].link
    per_category = feedparser.parse(client.get("/marketplace/c/fact-checking/feed.atom").data)
    assert [e.title for e in per_category.entries] == ["Récente", "Ancienne"]
    again = client.get("/marketplace/feed.atom", headers={"If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/marketplace/c/nope/feed.atom").status_code == 404
    page = client.get("/marketplace/c/fact-checking").get_data(as_text=True)
    assert 'href="/marketplace/c/fact-checking/feed.atom"' in page


def test_feeds_leave_out_hidden_listings(client: Any, seller: Any) -> None:
    listing = make_listing(seller, "Retirée")
    set_status(listing, "withdrawn")
    assert b"Retir" not in client.get("/marketplace/feed.atom").data


def test_api_lists_pages_with_a_cursor(client: Any, seller: Any) -> None:
    made = [make_listing(seller, f"Offre {n}") for n in range(5)]
    first = client.get("/api/v1/marketplace/listings?limit=2").get_json()
    assert ids(first["items"]) == [made[4].id, made[3].id]
    second = client.get(
        f"/api/v1/marketplace/listings?limit=2&cursor={first['next_cursor']}"
    ).get_json()
    assert ids(second["items"]) == [made[2].id, made[1].id]
    third = client.get(
        f"/api/v1/marketplace/listings?limit=2&cursor={second['next_cursor']}"
    ).get_json()
    assert ids(third["items"]) == [made[0].id] and third["next_cursor"] is None
    bad = client.get("/api/v1/marketplace/listings?cursor=forged")
    assert bad.status_code == 400
    assert bad.get_json()["error"]["code"] == "invalid_cursor"


def test_api_listing_json(client: Any, seller: Any) -> None:
    listing = make_listing(seller, price=Decimal("1000.00"), rating_sum=9, rating_count=2)
    image = picture(listing)
    body = client.get(f"/api/v1/marketplace/listings/{listing.id}").get_json()
    assert body["price"] == {"amount": "1000.00", "currency": "MAD"}
    assert body["price_with_vat"] == {"amount": "1200.00", "currency": "MAD"}
    assert body["rating"] == {"average": 4.5, "count": 2}
    assert body["seller"]["slug"] == "factcheck-lab"
    assert body["seller"]["url"].endswith("/marketplace/sellers/factcheck-lab")
    assert body["url"].endswith(f"/marketplace/listings/{listing.id}")
    assert body["images"][0]["url"].endswith(f"/marketplace/images/{image.id}")
    quote = make_listing(seller, price=None)
    body = client.get(f"/api/v1/marketplace/listings/{quote.id}").get_json()
    assert body["price"] is None and body["price_with_vat"] is None
    set_status(quote, "draft")
    missing = client.get(f"/api/v1/marketplace/listings/{quote.id}")
    assert missing.status_code == 404
    assert missing.get_json()["error"]["code"] == "not_found"


def test_api_categories_count_visible_listings(client: Any, seller: Any) -> None:
    make_listing(seller)
    set_status(make_listing(seller), "draft")
    items = client.get("/api/v1/marketplace/categories?lang=en").get_json()["items"]
    checking = next(c for c in items if c["code"] == "fact-checking")
    assert checking["listings"] == 1
    assert checking["name"] == "Fact-checking"
    assert checking["names"]["ar"] == "التحقق من الأخبار"


def test_api_is_documented(client: Any) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "/api/v1/marketplace/listings" in paths
    assert "/api/v1/marketplace/listings/{listing_id}" in paths
    assert "/api/v1/marketplace/categories" in paths


def test_portal_items_are_new_listings(app_ctx: Any, seller: Any) -> None:
    from ent_plugins.marketplace import plugin

    old = _aged(seller, "Ancienne", 3)
    new = _aged(seller, "Nouvelle", 1)
    items = plugin.ent_portal_items(sector="it", limit=5, before=None)
    assert [i.key for i in items] == [
        f"marketplace:listing:{new.id}",
        f"marketplace:listing:{old.id}",
    ]
    assert items[0].url.endswith(f"/marketplace/listings/{new.id}")
    assert items[0].workspace_name == "FactCheck Lab"
    before = plugin.ent_portal_items(sector="it", limit=5, before=new.published_at)
    assert [i.title for i in before] == ["Ancienne"]
    assert plugin.ent_portal_items(sector="green", limit=5, before=None) == []


def test_portal_sidebar_shows_the_latest_listings(client: Any, seller: Any) -> None:
    make_listing(seller, "Sur le portail")
    page = client.get("/portal/it/")
    assert page.status_code == 200
    assert "marketplace-box" in page.text
    assert "Sur le portail" in page.text


def test_publication_sites_show_the_box_only_where_the_marketplace_is_on(
    client: Any, seller: Any, make_workspace: Any
) -> None:
    make_listing(seller, "Chez un voisin")
    make_workspace("presse-souss", sectors=("it",), plugins=("publishing", "marketplace"))
    make_workspace("presse-rif", sectors=("it",), plugins=("publishing",))
    sdk.db.session.commit()
    assert "Chez un voisin" in client.get("/s/presse-souss/publishing/").text
    assert "Chez un voisin" not in client.get("/s/presse-rif/publishing/").text


def test_the_sellers_home_links_the_storefront(seller_client: Any) -> None:
    page = seller_client.get("/w/factcheck-lab/marketplace/").get_data(as_text=True)
    assert 'href="/w/factcheck-lab/marketplace/storefront"' in page


def test_sql_statements_do_not_grow_with_listings(client: Any, seller: Any) -> None:
    def counts() -> list[int]:
        found = []
        for url in ("/marketplace/", "/marketplace/search?q=offre", "/api/v1/marketplace/listings"):
            client.get(url)  # a steady request: the home's counts and ranking are cached
            with sql_statements() as seen:
                assert client.get(url).status_code == 200
            found.append(len(seen))
        return found

    for n in range(2):
        picture(make_listing(seller, f"Offre {n}", rating_sum=4, rating_count=1))
    few = counts()
    for n in range(2, 12):
        picture(make_listing(seller, f"Offre {n}", rating_sum=5, rating_count=1))
    assert counts() == few
