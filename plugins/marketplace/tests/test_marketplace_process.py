"""The transactions' state machine: every step checked by state, process and side."""

from __future__ import annotations

from typing import Any

import pytest
from ent_plugins.marketplace import process
from ent_plugins.marketplace.models import Order, OrderEvent

from ent_core import sdk


def _order(seller: Any, process_name: str, status: str) -> Order:
    with sdk.all_workspaces():
        order = Order(
            workspace_id=seller.id,
            reference=f"T-{process_name[:3]}-{status[:12]}",
            process=process_name,
            status=status,
        )
        sdk.db.session.add(order)
        sdk.db.session.commit()
    return order


def test_a_step_moves_the_order_and_records_it(seller: Any, seller_owner: Any) -> None:
    order = _order(seller, "inquiry", "inquiry")
    with sdk.in_workspace(seller.id):
        process.move(order, "quote", side="seller", actor=seller_owner, note="3 days")
        sdk.db.session.commit()
        events = sdk.db.session.scalars(sdk.db.select(OrderEvent)).all()
    assert order.status == "quoted"
    assert [(e.transition, e.from_status, e.to_status, e.side) for e in events] == [
        ("quote", "inquiry", "quoted", "seller")
    ]


@pytest.mark.parametrize(
    ("process_name", "status", "name", "side", "code"),
    [
        ("purchase", "awaiting_payment", "quote", "seller", "invalid_transition"),
        ("inquiry", "quoted", "accept", "seller", "forbidden"),
        ("purchase", "paid", "confirm_payment", "operator", "invalid_transition"),
        ("purchase", "awaiting_payment", "expire", "buyer", "forbidden"),
    ],
)
def test_refused_steps_say_what_is_allowed(
    seller: Any, process_name: str, status: str, name: str, side: str, code: str
) -> None:
    order = _order(seller, process_name, status)
    with sdk.in_workspace(seller.id), pytest.raises(process.InvalidTransition) as refused:
        process.move(order, name, side=side)
    assert refused.value.code == code
    assert refused.value.details["allowed"] == process.allowed(order, side)
    assert order.status == status


def test_a_stale_order_loses_the_race(seller: Any) -> None:
    order = _order(seller, "purchase", "awaiting_payment")
    with sdk.in_workspace(seller.id):
        sdk.db.session.execute(
            sdk.db.update(Order).where(Order.id == order.id).values(status="cancelled")
        )
        with pytest.raises(process.InvalidTransition) as refused:
            process.move(order, "pay", side="buyer")
    assert refused.value.code == "invalid_transition"
    assert order.status == "cancelled"
