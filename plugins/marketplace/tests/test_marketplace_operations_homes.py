"""The seller's marketplace home, its dashboard card, and the operator's home on /admin/."""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace.tests.conftest import make_listing

from ent_core import sdk


def test_a_new_seller_sees_the_three_steps_before_the_first_sale(seller_client: Any) -> None:
    page = seller_client.get("/w/factcheck-lab/marketplace/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Getting started" in html or "Premiers pas" in html
    assert html.count('class="step todo"') == 3
    for page in ("storefront", "listings/new", "payouts"):  # each step links its page
        assert f'href="/w/factcheck-lab/marketplace/{page}"' in html


def test_the_steps_follow_what_exists(seller_client: Any, seller: Any) -> None:
    from ent_plugins.marketplace.models import SellerProfile

    make_listing(seller)
    with sdk.all_workspaces():
        sdk.db.session.add(
            SellerProfile(workspace_id=seller.id, tagline="Vérifier avant de publier")
        )
        sdk.db.session.commit()
    html = seller_client.get("/w/factcheck-lab/marketplace/").get_data(as_text=True)
    assert html.count('class="step done"') == 2
    assert html.count('class="step todo"') == 1
    with sdk.all_workspaces():
        profile = sdk.db.session.scalar(sdk.db.select(SellerProfile))
        profile.payout_rib = "011780000012345678901234"
        sdk.db.session.commit()
    html = seller_client.get("/w/factcheck-lab/marketplace/").get_data(as_text=True)
    assert 'class="step' not in html


def test_the_parts_cards_show_with_their_counts(
    seller_client: Any, monkeypatch: Any, app_ctx: Any
) -> None:
    from ent_plugins.marketplace import seller_home

    monkeypatch.setattr(
        seller_home,
        "collect",
        lambda name, *a: [("Ventes <b>", "marketplace.index", 4), ("Absent", "nowhere.page", None)],
    )
    html = seller_client.get("/w/factcheck-lab/marketplace/").get_data(as_text=True)
    assert "Ventes &lt;b&gt;" in html
    assert "<strong>4</strong>" in html
    assert "<span>Absent</span>" in html  # a part not merged yet: no link, no error


def test_the_dashboard_shows_the_marketplace_card(seller_client: Any) -> None:
    html = seller_client.get("/w/factcheck-lab/").get_data(as_text=True)
    assert "/w/factcheck-lab/marketplace/" in html


def test_a_workspace_without_the_marketplace_has_no_home_nor_card(
    signed_in_client: Any, newsroom: Any
) -> None:
    assert signed_in_client.get("/w/matin-tech/marketplace/").status_code == 404
    html = signed_in_client.get("/w/matin-tech/").get_data(as_text=True)
    assert "/marketplace/" not in html


def test_the_operator_home_and_its_link_on_admin(operator_client: Any) -> None:
    admin = operator_client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/marketplace/"' in admin
    page = operator_client.get("/admin/marketplace/")
    assert page.status_code == 200
    assert 'href="/admin/marketplace/categories"' in page.get_data(as_text=True)


def test_the_operator_home_is_for_platform_administrators(
    signed_in_client: Any, seller_client: Any
) -> None:
    assert seller_client.get("/admin/marketplace/").status_code == 403
    assert seller_client.get("/admin/marketplace/categories").status_code == 403


def test_the_home_reads_in_arabic(seller_client: Any) -> None:
    html = seller_client.get("/w/factcheck-lab/marketplace/?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in html
    assert "بقيت 3 خطوات قبل أول بيع لك." in html
