"""Buyers racing for the last units and places on PostgreSQL: 200 threads, each with its own
API client (token, session, transaction), released together by a barrier. The guarded
``UPDATE``s sell exactly what there is, and giving back happens once."""

from __future__ import annotations

from typing import Any

import pytest
from ent_plugins.marketplace.models import Listing, ListingSlot, Order
from ent_plugins.marketplace.order_timeouts import run_timeouts
from ent_plugins.marketplace.tests.transactions_kit import BUYER_ROOT, bookable, fresh, product

from ent_core import sdk
from ent_core.testing import race

pytestmark = pytest.mark.postgres
BUYERS = 200


def _orders() -> list[Order]:
    sdk.db.session.expire_all()
    with sdk.all_workspaces():
        return list(sdk.db.session.scalars(sdk.db.select(Order)))


def test_two_hundred_buyers_for_the_last_ten_items(
    seller: Any, user: Any, make_api_client: Any
) -> None:
    listing = product(seller, stock=10)
    clients = [make_api_client(user) for _ in range(BUYERS)]
    sdk.db.session.commit()
    body = {"listing_id": listing.id}
    statuses = race(BUYERS, lambda i: clients[i].post(BUYER_ROOT, json=body).status_code)
    assert statuses.count(201) == 10, statuses
    assert statuses.count(409) == BUYERS - 10, statuses
    assert len(_orders()) == 10
    assert fresh(Listing, listing.id).stock == 0


def test_two_hundred_buyers_for_a_slot_of_ten_places(
    seller: Any, user: Any, make_api_client: Any
) -> None:
    listing, slot = bookable(seller, capacity=10)
    clients = [make_api_client(user) for _ in range(BUYERS)]
    sdk.db.session.commit()
    body = {"listing_id": listing.id, "slot_id": slot.id}
    statuses = race(BUYERS, lambda i: clients[i].post(BUYER_ROOT, json=body).status_code)
    assert statuses.count(201) == 10, statuses
    assert fresh(ListingSlot, slot.id).taken == 10


def test_cancel_and_expire_racing_give_back_once(
    seller: Any, user: Any, make_api_client: Any, frozen_clock: Any
) -> None:
    from datetime import timedelta

    listing = product(seller, stock=10)
    buyer = make_api_client(user)
    orders = [buyer.post(BUYER_ROOT, json={"listing_id": listing.id}).json for _ in range(10)]
    assert fresh(Listing, listing.id).stock == 0
    clients = [make_api_client(user) for _ in range(10)]
    sdk.db.session.commit()
    frozen_clock.shift(timedelta(days=6))

    def work(i: int) -> Any:
        if i % 2:
            return run_timeouts()
        order = orders[i // 2]
        return (
            clients[i // 2]
            .post(f"{BUYER_ROOT}/{order['id']}/transitions", json={"transition": "cancel"})
            .status_code
        )

    race(20, work)
    assert {o.status for o in _orders()} <= {"cancelled", "expired"}
    assert fresh(Listing, listing.id).stock == 10
