"""Purchases: the cart of one seller, checkout, stock taken and given back."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from ent_plugins.marketplace.models import Listing, ListingVariant
from ent_plugins.marketplace.tests.transactions_kit import (
    BUYER_ROOT,
    fresh,
    on_quote,
    order_row,
    product,
    variant,
)

from ent_core import sdk

pytestmark = pytest.mark.frozen_clock


def test_buying_through_the_api_takes_stock_and_prices_the_order(
    seller: Any, buyer_api: Any
) -> None:
    listing = product(seller, stock=5)
    answer = buyer_api.post(BUYER_ROOT, json={"listing_id": listing.id, "quantity": 2})
    assert answer.status_code == 201, answer.json
    order = answer.json
    assert order["process"] == "purchase"
    assert order["status"] == "awaiting_payment"
    assert order["reference"] == f"MP-2026-{order['id']:06d}"
    assert order["subtotal"] == {"amount": "400.00", "currency": "MAD"}
    assert order["vat"] == {"amount": "80.00", "currency": "MAD"}
    assert order["total"] == {"amount": "480.00", "currency": "MAD"}
    assert order["seller"] == {"slug": "factcheck-lab", "name": "FactCheck Lab"}
    assert order["allowed"] == ["pay", "cancel"]
    assert order["expires_at"].startswith("2026-06-20T09:00")
    assert fresh(Listing, listing.id).stock == 3
    row = order_row(order["id"])
    assert row.commission_rate == Decimal("0.1000") or row.commission == (
        row.subtotal * row.commission_rate
    ).quantize(Decimal("0.01"))


def test_nobody_buys_more_than_the_stock(seller: Any, buyer_api: Any) -> None:
    listing = product(seller, stock=1)
    answer = buyer_api.post(BUYER_ROOT, json={"listing_id": listing.id, "quantity": 2})
    assert answer.status_code == 409
    assert answer.json["error"]["code"] == "out_of_stock"
    assert fresh(Listing, listing.id).stock == 1


def test_a_variant_counts_its_own_stock(seller: Any, buyer_api: Any) -> None:
    listing = product(seller, stock=None)
    a3 = variant(listing, "A3", stock=1, price=Decimal("350.00"))
    answer = buyer_api.post(
        BUYER_ROOT, json={"listing_id": listing.id, "variant_id": a3.id, "quantity": 1}
    )
    assert answer.status_code == 201, answer.json
    assert answer.json["subtotal"]["amount"] == "350.00"
    assert fresh(ListingVariant, a3.id).stock == 0
    again = buyer_api.post(
        BUYER_ROOT, json={"listing_id": listing.id, "variant_id": a3.id, "quantity": 1}
    )
    assert again.json["error"]["code"] == "out_of_stock"


def test_cancelling_gives_the_stock_back_once(seller: Any, buyer_api: Any) -> None:
    listing = product(seller, stock=3)
    order = buyer_api.post(BUYER_ROOT, json={"listing_id": listing.id, "quantity": 3}).json
    assert fresh(Listing, listing.id).stock == 0
    url = f"{BUYER_ROOT}/{order['id']}/transitions"
    assert buyer_api.post(url, json={"transition": "cancel"}).status_code == 200
    again = buyer_api.post(url, json={"transition": "cancel"})
    assert again.status_code == 409
    assert again.json["error"]["details"]["allowed"] == []
    assert fresh(Listing, listing.id).stock == 3


def test_on_quote_listings_are_not_bought(
    seller: Any, buyer_api: Any, signed_in_client: Any
) -> None:
    listing = on_quote(seller)
    answer = buyer_api.post(BUYER_ROOT, json={"listing_id": listing.id})
    assert answer.json["error"]["code"] == "on_quote"
    page = signed_in_client.post(
        "/marketplace/cart/items", data={"listing_id": listing.id, "quantity": 1}
    )
    assert page.status_code == 303
    assert signed_in_client.get("/marketplace/cart").get_data(as_text=True).count("Enquête") == 0


def test_the_cart_holds_one_seller_and_checks_out_for_a_workspace(
    seller: Any, newsroom: Any, signed_in_client: Any, make_workspace: Any, make_user: Any
) -> None:
    first = product(seller, stock=4)
    second = product(seller, stock=4, title="Affiche")
    other_seller = make_workspace(
        "atlas-data", owner=make_user("owner@atlas.ma"), plugins=("marketplace",)
    )
    sdk.db.session.commit()
    elsewhere = product(other_seller, stock=4)
    client = signed_in_client
    assert (
        client.post(
            "/marketplace/cart/items", data={"listing_id": first.id, "quantity": 2}
        ).status_code
        == 303
    )
    assert (
        client.post(
            "/marketplace/cart/items", data={"listing_id": second.id, "quantity": 1}
        ).status_code
        == 303
    )
    refused = client.post(
        "/marketplace/cart/items", data={"listing_id": elsewhere.id, "quantity": 1}
    )
    assert refused.status_code == 409
    assert "Remplacer" in refused.get_data(as_text=True)
    page = client.get("/marketplace/cart").get_data(as_text=True)
    assert "Le Matin Tech" in page  # the newsroom its owner may buy for
    placed = client.post("/marketplace/cart/checkout", data={"buyer_workspace_id": newsroom.id})
    assert placed.status_code == 303
    order_id = int(placed.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    row = order_row(order_id)
    assert row.buyer_workspace_id == newsroom.id
    assert [line.quantity for line in row.lines] == [2, 1]
    assert row.total == Decimal("720.00")
    assert fresh(Listing, first.id).stock == 2
    assert "Votre panier est vide" in client.get("/marketplace/cart").get_data(as_text=True)


def test_replacing_the_cart_with_another_sellers_item(
    seller: Any, signed_in_client: Any, make_workspace: Any, make_user: Any
) -> None:
    first = product(seller)
    other_seller = make_workspace(
        "atlas-data", owner=make_user("owner@atlas.ma"), plugins=("marketplace",)
    )
    sdk.db.session.commit()
    elsewhere = product(other_seller, title="Jeu de données")
    client = signed_in_client
    client.post("/marketplace/cart/items", data={"listing_id": first.id, "quantity": 1})
    client.post(
        "/marketplace/cart/items",
        data={"listing_id": elsewhere.id, "quantity": 1, "replace": "1"},
    )
    page = client.get("/marketplace/cart").get_data(as_text=True)
    assert "Jeu de données" in page and "Rapport imprimé" not in page


def test_buying_for_a_workspace_one_may_not_buy_for_is_refused(
    seller: Any, buyer_api: Any, make_workspace: Any, make_user: Any
) -> None:
    stranger = make_workspace("autre", owner=make_user("x@autre.ma"))
    sdk.db.session.commit()
    listing = product(seller)
    answer = buyer_api.post(
        BUYER_ROOT, json={"listing_id": listing.id, "buyer_workspace_id": stranger.id}
    )
    assert answer.status_code == 403


def test_unpublished_listings_are_not_found(seller: Any, buyer_api: Any) -> None:
    listing = product(seller, status="draft")
    assert buyer_api.post(BUYER_ROOT, json={"listing_id": listing.id}).status_code == 404
