"""Timeouts: unpaid, unanswered and unaccepted orders expire; delivered ones complete."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from ent_plugins.marketplace.models import Listing
from ent_plugins.marketplace.order_timeouts import run_timeouts
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


def test_the_sweep_runs_every_minute() -> None:
    from ent_plugins.marketplace.plugin import ent_schedules

    [sweep] = [s for s in ent_schedules() if s.name == "marketplace.order_timeouts"]
    assert sweep.every == timedelta(minutes=1)


def test_unpaid_orders_expire_after_the_payment_days_and_give_stock_back(
    seller: Any, buyer_api: Any, frozen_clock: Any, mail_outbox: Any
) -> None:
    listing = product(seller, stock=2)
    order = buyer_api.post(BUYER_ROOT, json={"listing_id": listing.id, "quantity": 2}).json
    frozen_clock.shift(timedelta(days=5) - timedelta(minutes=1))
    assert run_timeouts() == 0
    frozen_clock.shift(timedelta(minutes=2))
    assert run_timeouts() == 1
    row = order_row(order["id"])
    assert row.status == "expired"
    assert [e.side for e in row.events] == ["system"]
    assert fresh(Listing, listing.id).stock == 2
    assert {m["to"] for m in mail_outbox if "a expiré" in m["text"]} == {
        "owner@example.ma",
        "contact@factcheck-lab.ma",
    }


def test_a_payment_being_confirmed_expires_only_after_its_deadline(
    seller: Any, buyer_api: Any, frozen_clock: Any
) -> None:
    order = buyer_api.post(BUYER_ROOT, json={"listing_id": product(seller).id}).json
    buyer_api.post(
        f"{BUYER_ROOT}/{order['id']}/transitions",
        json={"transition": "pay", "reference": "VIR-2026-118"},
    )
    assert order_row(order["id"]).status == "payment_pending"
    frozen_clock.shift(timedelta(days=4))
    assert run_timeouts() == 0
    frozen_clock.shift(timedelta(days=2))
    assert run_timeouts() == 1
    assert order_row(order["id"]).status == "expired"


def test_inquiries_and_quotes_expire(
    seller: Any, buyer_api: Any, seller_api: Any, frozen_clock: Any
) -> None:
    listing = on_quote(seller)
    unanswered = buyer_api.post(BUYER_ROOT, json={"listing_id": listing.id, "message": "?"}).json
    quoted = buyer_api.post(BUYER_ROOT, json={"listing_id": listing.id, "message": "??"}).json
    seller_api.post(
        f"{SELLER_ROOT}/{quoted['id']}/transitions",
        json={
            "transition": "quote",
            "valid_days": 30,
            "lines": [{"label": "A", "unit_price": "10"}],
        },
    )
    frozen_clock.shift(timedelta(days=8))
    assert run_timeouts() == 1
    assert order_row(unanswered["id"]).status == "expired"
    assert order_row(quoted["id"]).status == "quoted"


def test_delivered_orders_complete_on_their_own(
    seller: Any, buyer_api: Any, seller_api: Any, frozen_clock: Any
) -> None:
    listing = product(seller)
    order = buyer_api.post(BUYER_ROOT, json={"listing_id": listing.id}).json
    force(order["id"], status="paid")
    seller_api.post(f"{SELLER_ROOT}/{order['id']}/transitions", json={"transition": "deliver"})
    frozen_clock.shift(timedelta(days=7, minutes=1))
    assert run_timeouts() == 1
    row = order_row(order["id"])
    assert row.status == "completed"
    assert row.events[-1].side == "system"
    assert fresh(Listing, listing.id).sales_count == 1


@pytest.mark.redis
def test_a_real_worker_expires_due_orders_once(
    redis_jobs: Any, seller: Any, buyer_api: Any
) -> None:
    """Orders placed on the frozen day (June) are long due on the worker's real clock."""
    listing = product(seller, stock=3)
    orders = [buyer_api.post(BUYER_ROOT, json={"listing_id": listing.id}).json for _ in range(3)]
    assert fresh(Listing, listing.id).stock == 0
    sdk.enqueue(run_timeouts, job_id="marketplace-timeouts-1")
    sdk.enqueue(run_timeouts, job_id="marketplace-timeouts-2")
    redis_jobs.run_burst()
    assert {order_row(o["id"]).status for o in orders} == {"expired"}
    assert fresh(Listing, listing.id).stock == 3
    assert all(len(order_row(o["id"]).events) == 1 for o in orders)
