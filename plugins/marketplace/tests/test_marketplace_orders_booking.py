"""Bookings: a place held while paying, extended by paying, given back on expiry."""

from __future__ import annotations

from typing import Any

import pytest
from ent_plugins.marketplace.models import ListingSlot
from ent_plugins.marketplace.order_timeouts import run_timeouts
from ent_plugins.marketplace.tests.transactions_kit import BUYER_ROOT, bookable, fresh, order_row

pytestmark = pytest.mark.frozen_clock


def test_booking_holds_a_place_and_paying_keeps_it(
    seller: Any, buyer_api: Any, frozen_clock: Any
) -> None:
    listing, slot = bookable(seller, capacity=1, hold_minutes=20)
    answer = buyer_api.post(BUYER_ROOT, json={"listing_id": listing.id, "slot_id": slot.id})
    assert answer.status_code == 201, answer.json
    assert answer.json["status"] == "awaiting_payment"
    assert answer.json["expires_at"].startswith("2026-06-15T09:20")
    assert fresh(ListingSlot, slot.id).taken == 1
    full = buyer_api.post(BUYER_ROOT, json={"listing_id": listing.id, "slot_id": slot.id})
    assert full.status_code == 409
    assert full.json["error"]["code"] == "slot_full"
    frozen_clock.shift(600)
    paid = buyer_api.post(
        f"{BUYER_ROOT}/{answer.json['id']}/transitions",
        json={"transition": "pay", "provider": "bank_transfer", "reference": "VIR-1"},
    )
    assert paid.status_code == 200, paid.json
    assert paid.json["expires_at"].startswith("2026-06-20T09:10")
    frozen_clock.shift(3600)
    assert run_timeouts() == 0
    assert fresh(ListingSlot, slot.id).taken == 1


def test_an_unpaid_hold_expires_and_frees_the_place_once(
    seller: Any, buyer_api: Any, frozen_clock: Any, mail_outbox: Any
) -> None:
    listing, slot = bookable(seller, capacity=2)
    order = buyer_api.post(BUYER_ROOT, json={"listing_id": listing.id, "slot_id": slot.id}).json
    assert order["expires_at"].startswith("2026-06-15T09:15")
    frozen_clock.shift(16 * 60)
    assert run_timeouts() == 1
    assert run_timeouts() == 0
    assert order_row(order["id"]).status == "expired"
    assert fresh(ListingSlot, slot.id).taken == 0
    assert any("a expiré" in m["text"] for m in mail_outbox)


def test_the_listing_panel_lists_free_slots(seller: Any, app_ctx: Any, user: Any) -> None:
    from ent_plugins.marketplace import parts

    listing, slot = bookable(seller, capacity=3)
    from flask_login import login_user

    with app_ctx.test_request_context("/marketplace/"):
        login_user(user)
        html = str(parts.markup("listing_panel", listing=listing))
    assert f'value="{slot.id}"' in html
    assert "3 places restantes" in html
