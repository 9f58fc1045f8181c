"""Every step of the table, allowed and refused, for the buyer and the seller (through the
API), and what completing and delivering do."""

from __future__ import annotations

from typing import Any

import pytest
from ent_plugins.marketplace import process
from ent_plugins.marketplace.catalogues import ORDER_STATUSES
from ent_plugins.marketplace.models import Listing, SellerProfile
from ent_plugins.marketplace.tests.transactions_kit import (
    BUYER_ROOT,
    SELLER_ROOT,
    force,
    fresh,
    on_quote,
    order_row,
    product,
)

from ent_core import sdk

pytestmark = pytest.mark.frozen_clock

SIDES = ("buyer", "seller")
QUOTE_DATA = {"lines": [{"label": "Forfait", "quantity": 1, "unit_price": "900"}]}
#: What each step needs besides its name (the money part checks the payment's reference).
STEP_DATA: dict[str, dict[str, Any]] = {"quote": QUOTE_DATA, "pay": {"reference": "VIR-118"}}


def _process_of(t: process.Transition) -> str:
    return t.processes[0] if t.processes else "purchase"


ALLOWED_CASES = [
    (name, source, side)
    for name, t in process.TRANSITIONS.items()
    for source in t.sources
    for side in SIDES
]
REFUSED_STATES = [
    (name, status)
    for name, t in process.TRANSITIONS.items()
    for status in ORDER_STATUSES
    if status not in t.sources
]


def _order_in(seller: Any, buyer_api: Any, process_name: str, status: str) -> int:
    if process_name == "inquiry":
        listing = on_quote(seller)
        body = {"listing_id": listing.id, "message": "Un devis ?"}
    else:
        listing = product(seller, stock=5)
        body = {"listing_id": listing.id}
    answer = buyer_api.post(BUYER_ROOT, json=body)
    assert answer.status_code == 201, answer.json
    force(answer.json["id"], status=status)
    return answer.json["id"]


def _step(client: Any, side: str, order_id: int, name: str) -> Any:
    root = BUYER_ROOT if side == "buyer" else SELLER_ROOT
    data = STEP_DATA.get(name, {})
    return client.post(f"{root}/{order_id}/transitions", json={"transition": name, **data})


@pytest.mark.parametrize(("name", "source", "side"), ALLOWED_CASES)
def test_each_step_from_each_source_for_each_side(
    seller: Any, buyer_api: Any, seller_api: Any, name: str, source: str, side: str
) -> None:
    t = process.TRANSITIONS[name]
    order_id = _order_in(seller, buyer_api, _process_of(t), source)
    answer = _step(buyer_api if side == "buyer" else seller_api, side, order_id, name)
    if side in t.sides:
        assert answer.status_code == 200, answer.json
        assert answer.json["status"] == t.target
        assert order_row(order_id).status == t.target
    else:
        assert answer.status_code == 403, answer.json
        assert answer.json["error"]["code"] == "forbidden"
        assert order_row(order_id).status == source


@pytest.mark.parametrize(("name", "status"), REFUSED_STATES)
def test_each_step_is_refused_from_other_states(
    seller: Any, buyer_api: Any, seller_api: Any, name: str, status: str
) -> None:
    t = process.TRANSITIONS[name]
    side = next((s for s in SIDES if s in t.sides), "buyer")
    order_id = _order_in(seller, buyer_api, _process_of(t), status)
    answer = _step(buyer_api if side == "buyer" else seller_api, side, order_id, name)
    assert answer.status_code == 409, answer.json
    assert answer.json["error"]["code"] == "invalid_transition"
    assert answer.json["error"]["details"]["allowed"] == process.allowed(order_row(order_id), side)
    assert order_row(order_id).status == status


def test_delivering_then_completing_counts_the_sale(
    seller: Any, buyer_api: Any, seller_api: Any, frozen_clock: Any, mail_outbox: Any
) -> None:
    listing = product(seller, stock=5)
    order = buyer_api.post(BUYER_ROOT, json={"listing_id": listing.id, "quantity": 2}).json
    force(order["id"], status="paid")
    frozen_clock.shift(7200)
    delivered = _step(seller_api, "seller", order["id"], "deliver").json
    assert delivered["expires_at"].startswith("2026-06-22T11:00")
    row = order_row(order["id"])
    assert row.delivered_at is not None and row.first_answer_at is not None
    assert any("livrée" in m["text"] and m["to"] == "owner@example.ma" for m in mail_outbox)
    assert _step(buyer_api, "buyer", order["id"], "complete").json["status"] == "completed"
    assert order_row(order["id"]).completed_at is not None
    assert fresh(Listing, listing.id).sales_count == 2
    with sdk.in_workspace(seller.id):
        profile = sdk.db.session.scalar(sdk.db.select(SellerProfile))
    assert profile.completed_orders == 1
    assert profile.response_minutes == 120
