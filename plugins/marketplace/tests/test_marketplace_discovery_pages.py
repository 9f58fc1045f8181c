"""The public marketplace's pages: home, listing, storefront, languages, escaping."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from ent_plugins.marketplace.tests.conftest import make_listing
from ent_plugins.marketplace.tests.discovery_kit import translate


def test_home_shows_categories_with_counts_and_newest(client: Any, seller: Any) -> None:
    make_listing(seller, "Audit de désinformation")
    page = client.get("/marketplace/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Audit de désinformation" in html
    assert "Vérification des faits" in html
    assert 'type="application/atom+xml"' in html


def test_listing_page_shows_prices_seller_and_markdown(client: Any, seller: Any) -> None:
    listing = make_listing(seller, price=Decimal("1000.00"))
    html = client.get(f"/marketplace/listings/{listing.id}?lang=fr").get_data(as_text=True)
    assert "<strong>chaque</strong>" in html
    assert "1 000,00" in html.replace("\u202f", " ").replace("\xa0", " ")
    assert "1 200,00" in html.replace("\u202f", " ").replace("\xa0", " ")
    assert "/marketplace/sellers/factcheck-lab" in html


def test_listing_on_quote_and_sold_out(client: Any, seller: Any) -> None:
    listing = make_listing(seller, price=None, stock=0, kind="product", delivery="physical")
    html = client.get(f"/marketplace/listings/{listing.id}?lang=en").get_data(as_text=True)
    assert "On quote" in html
    assert "Sold out" in html


def test_listing_reads_in_the_readers_language(client: Any, seller: Any) -> None:
    listing = make_listing(seller, "Vérification rapide")
    translate(listing, "ar", "تحقق سريع", "نص عربي")
    html = client.get(f"/marketplace/listings/{listing.id}?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in html
    assert "تحقق سريع" in html
    french = client.get(f"/marketplace/listings/{listing.id}?lang=fr").get_data(as_text=True)
    assert "Vérification rapide" in french


def test_pages_render_in_three_languages(client: Any, seller: Any) -> None:
    listing = make_listing(seller)
    for lang in ("fr", "en", "ar"):
        for url in (
            "/marketplace/",
            "/marketplace/search?q=enquete",
            "/marketplace/c/fact-checking",
            "/marketplace/sectors/it",
            f"/marketplace/listings/{listing.id}",
            "/marketplace/sellers/factcheck-lab",
        ):
            page = client.get(f"{url}{'&' if '?' in url else '?'}lang={lang}")
            assert page.status_code == 200, (url, lang)
            if lang == "ar":
                assert 'dir="rtl"' in page.get_data(as_text=True)


def test_titles_and_text_are_escaped(client: Any, seller: Any) -> None:
    listing = make_listing(
        seller, "<script>alert(1)</script>", description="<img src=x onerror=alert(1)>"
    )
    for url in (
        "/marketplace/",
        f"/marketplace/listings/{listing.id}",
        "/marketplace/search?q=alert",
    ):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html
        assert "<img src=x onerror" not in html
        assert "&lt;script&gt;" in html


def test_storefront_shows_profile_and_listings(
    client: Any, seller: Any, seller_client: Any
) -> None:
    make_listing(seller, "Formation OSINT")
    form = seller_client.get("/w/factcheck-lab/marketplace/storefront")
    assert form.status_code == 200
    saved = seller_client.post(
        "/w/factcheck-lab/marketplace/storefront",
        data={
            "tagline": "Les faits, rien que les faits",
            "about": "**Depuis 2019**",
            "location": "Rabat",
        },
    )
    assert saved.status_code == 303
    html = client.get("/marketplace/sellers/factcheck-lab").get_data(as_text=True)
    assert "Les faits, rien que les faits" in html
    assert "<strong>Depuis 2019</strong>" in html
    assert "Rabat" in html
    assert "Formation OSINT" in html


def test_storefront_form_refuses_too_long_text(seller_client: Any) -> None:
    page = seller_client.post(
        "/w/factcheck-lab/marketplace/storefront", data={"tagline": "x" * 201}
    )
    assert page.status_code == 422


def test_unknown_category_sector_and_seller_answer_404(client: Any, seller: Any) -> None:
    assert client.get("/marketplace/c/nope").status_code == 404
    assert client.get("/marketplace/sectors/nope").status_code == 404
    assert client.get("/marketplace/sellers/nope").status_code == 404


def test_pages_show_the_other_parts_panels_in_the_sellers_workspace(
    client: Any, seller: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ent_plugins.marketplace import parts
    from markupsafe import Markup

    seen: list[Any] = []

    def panel(**context: Any) -> Markup:
        seen.append(context)
        return Markup('<p class="other-part">Panel</p>')

    real = parts.answering
    monkeypatch.setattr(
        parts,
        "answering",
        lambda name: iter([panel]) if name.endswith("_panel") else real(name),
    )
    listing = make_listing(seller)
    assert "other-part" in client.get(f"/marketplace/listings/{listing.id}").text
    assert "other-part" in client.get("/marketplace/sellers/factcheck-lab").text
    assert seen[0]["listing"].id == listing.id
    assert seen[1]["workspace"].slug == "factcheck-lab"
