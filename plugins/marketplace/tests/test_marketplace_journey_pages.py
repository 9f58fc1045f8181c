"""What the browser journey found on the order pages, fixed and kept so: the quote's lines are
groups a person (and a screen reader) tells apart, so are the reasons of declining and of
cancelling; the reviews' "stay hidden" hint goes once they are published; the VAT rate reads
as the language writes it; the payment's date is in the same time as the page's history; a
seller answering within the minute "answers in 1 minute"."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from ent_plugins.marketplace.tests.conftest import make_listing
from ent_plugins.marketplace.tests.money_kit import make_order
from ent_plugins.marketplace.tests.reviews_kit import BUYER_API, SELLER_API, completed_order
from ent_plugins.marketplace.tests.transactions_kit import BUYER_ROOT, on_quote

from ent_core import sdk

pytestmark = pytest.mark.frozen_clock


def test_the_quote_form_names_each_line(seller: Any, seller_client: Any, buyer_api: Any) -> None:
    asked = buyer_api.post(BUYER_ROOT, json={"listing_id": on_quote(seller).id, "message": "?"})
    assert asked.status_code == 201, asked.json
    page = seller_client.get(f"/w/factcheck-lab/marketplace/orders/{asked.json['id']}?lang=en")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for n in range(1, 6):
        assert f"<legend>Line {n}</legend>" in html
    assert html.count('class="actions quote-line"') == 5
    assert 'name="line_label" maxlength="250" dir="auto"' in html  # French in Arabic too
    # Declining and cancelling are two forms: each field says which one it explains.
    assert "Why you decline (the other side reads it)" in html
    assert "Why you cancel (the other side reads it)" in html


def test_vat_rate_and_payment_date_as_the_reader_reads_them(
    seller: Any, user: Any, buyer_client: Any
) -> None:
    listing = make_listing(seller)
    order = make_order(
        seller, user, listing, status="paid", paid_at=datetime(2026, 6, 15, 8, 5, tzinfo=UTC)
    )
    page = buyer_client.get(f"/marketplace/orders/{order.id}?lang=fr")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "20.00 %" not in html
    assert "20\xa0%" in html
    assert "Payé le 15 juin 2026, 09:05" in html  # Casablanca's time, as the history's


def test_the_hidden_reviews_hint_goes_once_both_are_published(
    seller: Any, user: Any, buyer_client: Any, buyer_api: Any, seller_api: Any
) -> None:
    order = completed_order(seller, user, make_listing(seller))
    hint = "Reviews stay hidden until both are written"
    page = f"/marketplace/orders/{order.id}?lang=en"
    assert buyer_api.post(BUYER_API.format(id=order.id), json={"rating": 5}).status_code == 201
    assert hint in buyer_client.get(page).get_data(as_text=True)
    assert seller_api.post(SELLER_API.format(id=order.id), json={"rating": 4}).status_code == 201
    assert hint not in buyer_client.get(page).get_data(as_text=True)


def test_an_answer_within_the_minute_reads_one_minute(
    seller: Any, user: Any, buyer_client: Any
) -> None:
    from ent_plugins.marketplace.models import SellerProfile

    with sdk.in_workspace(seller.id):
        sdk.db.session.add(SellerProfile(response_minutes=0))
        sdk.db.session.commit()
    page = buyer_client.get(f"/marketplace/listings/{make_listing(seller).id}?lang=en")
    html = page.get_data(as_text=True)
    assert "Answers in 1 minute" in html
    assert "0 minutes" not in html


def test_the_payment_panel_names_the_amount_as_it_stands(
    seller: Any, user: Any, buyer_api: Any, buyer_client: Any
) -> None:
    """No amount before a quote; "to pay" while unpaid; "paid" once paid."""
    asked = buyer_api.post(BUYER_ROOT, json={"listing_id": on_quote(seller).id, "message": "?"})
    html = buyer_client.get(f"/marketplace/orders/{asked.json['id']}?lang=en").get_data(
        as_text=True
    )
    assert "Amount to pay" not in html and "Amount paid" not in html
    listing = make_listing(seller)
    unpaid = make_order(seller, user, listing, status="awaiting_payment")
    html = buyer_client.get(f"/marketplace/orders/{unpaid.id}?lang=en").get_data(as_text=True)
    assert "Amount to pay, VAT included:" in html
    paid = make_order(seller, user, listing, status="paid", paid_at=sdk.utcnow())
    html = buyer_client.get(f"/marketplace/orders/{paid.id}?lang=en").get_data(as_text=True)
    assert "Amount paid, VAT included:" in html and "Amount to pay" not in html


def test_the_history_reads_as_french_writes_it(
    seller: Any, buyer_api: Any, buyer_client: Any
) -> None:
    asked = buyer_api.post(BUYER_ROOT, json={"listing_id": on_quote(seller).id, "message": "?"})
    html = buyer_client.get(f"/marketplace/orders/{asked.json['id']}?lang=fr").get_data(
        as_text=True
    )
    assert " : passée</li>" in html  # a space before the colon, as French puts it
