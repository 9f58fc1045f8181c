"""Inquiries: ask, quote (again), decline or accept; the seller's response time."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from ent_plugins.marketplace.models import SellerProfile
from ent_plugins.marketplace.tests.transactions_kit import (
    BUYER_ROOT,
    SELLER_ROOT,
    on_quote,
    order_row,
)

from ent_core import sdk

pytestmark = pytest.mark.frozen_clock

QUOTE = {
    "transition": "quote",
    "note": "Livraison en 3 jours",
    "valid_days": 10,
    "lines": [
        {"label": "Vérification", "quantity": 2, "unit_price": "1500.00", "vat_rate": "0.20"},
        {"label": "Rapport", "quantity": 1, "unit_price": "300", "vat_rate": "0.20"},
    ],
}


def _ask(buyer_api: Any, listing: Any) -> dict[str, Any]:
    answer = buyer_api.post(
        BUYER_ROOT, json={"listing_id": listing.id, "message": "Pouvez-vous vérifier 20 pages ?"}
    )
    assert answer.status_code == 201, answer.json
    return answer.json


def test_an_inquiry_is_quoted_then_accepted(
    seller: Any, buyer_api: Any, seller_api: Any, frozen_clock: Any, mail_outbox: Any
) -> None:
    order = _ask(buyer_api, on_quote(seller))
    assert order["status"] == "inquiry"
    assert order["expires_at"].startswith("2026-06-22T09:00")
    assert any(m["to"] == "contact@factcheck-lab.ma" for m in mail_outbox)
    frozen_clock.shift(3600)
    quoted = seller_api.post(f"{SELLER_ROOT}/{order['id']}/transitions", json=QUOTE)
    assert quoted.status_code == 200, quoted.json
    body = quoted.json
    assert body["status"] == "quoted"
    assert body["subtotal"]["amount"] == "3300.00"
    assert body["total"]["amount"] == "3960.00"
    assert body["quote_note"] == "Livraison en 3 jours"
    assert body["expires_at"].startswith("2026-06-25T10:00")
    row = order_row(order["id"])
    assert row.commission == (Decimal("3300.00") * row.commission_rate).quantize(Decimal("0.01"))
    with sdk.in_workspace(seller.id):
        assert sdk.db.session.scalar(sdk.db.select(SellerProfile)).response_minutes == 60
    assert any(m["to"] == "owner@example.ma" and "devis" in m["text"] for m in mail_outbox)
    accepted = buyer_api.post(
        f"{BUYER_ROOT}/{order['id']}/transitions", json={"transition": "accept"}
    )
    assert accepted.json["status"] == "awaiting_payment"
    assert accepted.json["expires_at"].startswith("2026-06-20T10:00")


def test_a_quote_is_checked(seller: Any, buyer_api: Any, seller_api: Any) -> None:
    order = _ask(buyer_api, on_quote(seller))
    bad = seller_api.post(
        f"{SELLER_ROOT}/{order['id']}/transitions",
        json={"transition": "quote", "lines": [{"label": "", "unit_price": "x"}]},
    )
    assert bad.status_code == 422
    assert order_row(order["id"]).status == "inquiry"


def test_a_seller_may_quote_again_or_decline(seller: Any, buyer_api: Any, seller_api: Any) -> None:
    order = _ask(buyer_api, on_quote(seller))
    url = f"{SELLER_ROOT}/{order['id']}/transitions"
    assert seller_api.post(url, json=QUOTE).status_code == 200
    cheaper = {**QUOTE, "lines": [{"label": "Forfait", "quantity": 1, "unit_price": "2000"}]}
    again = seller_api.post(url, json=cheaper).json
    assert again["subtotal"]["amount"] == "2000.00"
    assert len(again["lines"]) == 1
    declined = seller_api.post(url, json={"transition": "decline", "note": "Trop chargés"})
    assert declined.json["status"] == "declined"
    assert order_row(order["id"]).closed_reason == "Trop chargés"


def test_the_seller_quotes_from_the_order_page(
    seller: Any, buyer_api: Any, seller_client: Any
) -> None:
    order = _ask(buyer_api, on_quote(seller))
    page = seller_client.get(f"/w/factcheck-lab/marketplace/orders/{order['id']}")
    assert page.status_code == 200
    assert "Pouvez-vous" in page.get_data(as_text=True)
    answer = seller_client.post(
        f"/w/factcheck-lab/marketplace/orders/{order['id']}/transitions",
        data={
            "transition": "quote",
            "line_label": ["Vérification", ""],
            "line_quantity": ["1", "1"],
            "line_unit_price": ["1200", ""],
            "line_vat_rate": ["0.20", "0.20"],
            "valid_days": "",
            "note": "Ok",
        },
    )
    assert answer.status_code == 303
    row = order_row(order["id"])
    assert row.status == "quoted"
    assert row.total == Decimal("1440.00")
