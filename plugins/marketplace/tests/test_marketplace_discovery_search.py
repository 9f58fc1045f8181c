"""Visibility, filters, sorts and full-text search of the public marketplace."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from ent_plugins.marketplace.tests.conftest import make_listing
from ent_plugins.marketplace.tests.discovery_kit import ids, picture, set_status, translate

from ent_core import sdk


def _found(api: Any, **params: Any) -> list[int]:
    answer = api.get("/api/v1/marketplace/listings", query_string=params)
    assert answer.status_code == 200, answer.get_json()
    return ids(answer.get_json()["items"])


@pytest.mark.parametrize("status", ["draft", "pending", "rejected", "removed", "withdrawn"])
def test_only_published_listings_show(client: Any, seller: Any, status: str) -> None:
    listing = make_listing(seller, "Cachée")
    set_status(listing, status)
    assert client.get(f"/marketplace/listings/{listing.id}").status_code == 404
    assert listing.id not in _found(client)
    assert "Cachée" not in client.get("/marketplace/").get_data(as_text=True)


@pytest.mark.parametrize("status", ["pending", "suspended"])
def test_listings_of_unapproved_or_suspended_workspaces_hide(
    client: Any, seller: Any, status: str
) -> None:
    listing = make_listing(seller)
    with sdk.all_workspaces():
        seller.status = status
        sdk.db.session.commit()
    assert client.get(f"/marketplace/listings/{listing.id}").status_code == 404
    assert _found(client) == []
    assert client.get("/marketplace/sellers/factcheck-lab").status_code == 404


def test_module_off_hides_listings_at_once(client: Any, seller: Any, seller_api: Any) -> None:
    listing = make_listing(seller)
    image = picture(listing)
    assert client.get(f"/marketplace/images/{image.id}").status_code == 200
    assert (
        seller_api.delete("/api/v1/workspaces/factcheck-lab/plugins/marketplace").status_code == 204
    )
    assert client.get(f"/marketplace/listings/{listing.id}").status_code == 404
    assert client.get(f"/api/v1/marketplace/listings/{listing.id}").status_code == 404
    assert client.get(f"/marketplace/images/{image.id}").status_code == 404
    assert client.get(f"/marketplace/images/{image.id}/thumb").status_code == 404
    assert _found(client) == []


def test_images_of_hidden_listings_are_not_served(client: Any, seller: Any) -> None:
    listing = make_listing(seller)
    image = picture(listing)
    assert client.get(f"/marketplace/images/{image.id}/thumb").status_code == 200
    set_status(listing, "draft")
    assert client.get(f"/marketplace/images/{image.id}").status_code == 404
    assert client.get("/marketplace/images/999999").status_code == 404


def test_search_in_french_ignores_accents(client: Any, seller: Any) -> None:
    found = make_listing(seller, "Vérification d'une enquête électorale")
    make_listing(seller, "Studio de podcast", category="podcast-studio")
    assert _found(client, q="enquete electorale") == [found.id]
    assert _found(client, q="ÉLECTORALE") == [found.id]
    assert _found(client, q="electo") == [found.id]  # a word's beginning
    assert _found(client, q="verification") == [found.id]
    html = client.get("/marketplace/search?q=électorale").get_data(as_text=True)
    assert "Vérification d&#39;une enquête électorale" in html
    assert "Studio de podcast" not in html


def test_search_in_arabic_ignores_marks_and_letter_variants(client: Any, seller: Any) -> None:
    listing = make_listing(seller, "Fact-checking", language="en")
    translate(listing, "ar", "التحقق من الأخبار", "خدمة تَحَقُّق سريعة")
    assert _found(client, q="الاخبار") == [listing.id]
    assert _found(client, q="تحقق") == [listing.id]
    assert _found(client, q="كتاب") == []


def test_filters(client: Any, seller: Any) -> None:
    cheap = make_listing(seller, "Petit", price=Decimal("100.00"), location="Rabat")
    dear = make_listing(seller, "Grand", price=Decimal("5000.00"), location="Casablanca")
    quote = make_listing(seller, "Sur devis", price=None, kind="product", delivery="digital")
    assert set(_found(client, price_min="50", price_max="200")) == {cheap.id}
    assert set(_found(client, location="casa")) == {dear.id}
    assert set(_found(client, kind="product")) == {quote.id}
    assert set(_found(client, category="fact-checking")) == {cheap.id, dear.id, quote.id}
    assert _found(client, category="podcast-studio") == []
    assert set(_found(client, sector="it")) == {cheap.id, dear.id, quote.id}
    assert _found(client, sector="green") == []


def test_minimum_rating_and_sorts(client: Any, seller: Any) -> None:
    low = make_listing(seller, "Bas", price=Decimal("300.00"), rating_sum=4, rating_count=2)
    high = make_listing(seller, "Haut", price=Decimal("100.00"), rating_sum=9, rating_count=2)
    none = make_listing(seller, "Neuf", price=Decimal("200.00"))
    assert _found(client, min_rating="4") == [high.id]

    def order(sort: str) -> list[str]:
        html = client.get(f"/marketplace/search?sort={sort}").get_data(as_text=True)
        return sorted(("Bas", "Haut", "Neuf"), key=html.index)

    assert order("price_asc") == ["Haut", "Neuf", "Bas"]
    assert order("price_desc") == ["Bas", "Neuf", "Haut"]
    assert order("rating") == ["Haut", "Bas", "Neuf"]
    assert order("newest") == ["Neuf", "Haut", "Bas"]
    assert {low.id, high.id, none.id} == set(_found(client))


def test_search_pages(client: Any, seller: Any) -> None:
    from ent_plugins.marketplace import search

    for n in range(search.PAGE_SIZE + 2):
        make_listing(seller, f"Offre {n:02d}")
    first = client.get("/marketplace/search?q=offre").get_data(as_text=True)
    assert 'rel="next"' in first
    second = client.get("/marketplace/search?q=offre&page=2").get_data(as_text=True)
    assert "Offre 00" in second and "Offre 00" not in first
    assert 'rel="prev"' in second and 'rel="next"' not in second
