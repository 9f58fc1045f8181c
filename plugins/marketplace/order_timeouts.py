"""Orders that time out: every minute, open orders past ``expires_at`` expire and delivered
ones past it complete (the system's side).

Idempotent: each order moves in its own transaction inside its seller's workspace through the
guarded ``process.move``; an order someone else moved meanwhile is left as it is.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from ent_plugins.marketplace import process
from ent_plugins.marketplace.models import Order

from ent_core import sdk

log = logging.getLogger(__name__)

#: Open states that expire, and the step each due state takes.
DUE = {status: "expire" for status in process.OPEN} | {"delivered": "complete"}


def due_orders(limit: int = 500) -> list[tuple[int, int]]:
    """(workspace id, order id) of orders whose state timed out, oldest deadline first."""
    with sdk.all_workspaces():
        rows = sdk.db.session.execute(
            sdk.db.select(Order.workspace_id, Order.id)
            .where(Order.status.in_(tuple(DUE)), Order.expires_at <= sdk.utcnow())
            .order_by(Order.expires_at)
            .limit(limit)
        ).all()
    return [(workspace_id, order_id) for workspace_id, order_id in rows]


def time_out(workspace_id: int, order_id: int) -> bool:
    """Move one due order (its own transaction); ``False`` when it is no longer due."""
    with sdk.in_workspace(workspace_id):
        order = sdk.db.session.get(Order, order_id)
        if (
            order is None
            or order.status not in DUE
            or order.expires_at is None
            or order.expires_at > sdk.utcnow()
        ):
            sdk.db.session.rollback()
            return False
        try:
            process.move(order, DUE[order.status], side=process.SYSTEM)
            sdk.db.session.commit()
        except process.InvalidTransition:
            sdk.db.session.rollback()
            return False
    return True


def run_timeouts() -> int:
    """The schedule's job: how many orders moved."""
    moved = 0
    for workspace_id, order_id in due_orders():
        try:
            moved += time_out(workspace_id, order_id)
        except Exception:  # one order's failure must not stop the others
            sdk.db.session.rollback()
            log.exception("marketplace order %s did not time out", order_id)
    return moved


def schedules() -> list[sdk.Schedule]:
    return [sdk.Schedule("marketplace.order_timeouts", run_timeouts, timedelta(minutes=1))]
