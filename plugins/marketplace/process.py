"""Transactions as state machines: every order moves through ``move`` and nowhere else.

The three processes share one set of states (``catalogues.ORDER_STATUSES``)::

  inquiry --quote--> quoted --accept--> awaiting_payment --pay--> payment_pending
  purchase and booking start at awaiting_payment (a booking's slot is held meanwhile)
  awaiting_payment | payment_pending --confirm_payment--> paid --deliver--> delivered
  delivered --complete--> completed            paid | delivered --dispute--> disputed
  disputed --resolve--> completed              paid | delivered | disputed --refund--> refunded
  inquiry | quoted | awaiting_payment | payment_pending --cancel | expire--> cancelled | expired
  inquiry | quoted --decline--> declined

Each transition names the sides that may apply it (``buyer``, ``seller``, ``operator``,
``system``: a timeout job or a payment gateway). ``move`` checks the state and the side,
changes the status with a guarded ``UPDATE ... WHERE status = :from`` (of two requests racing
from one state, one passes; the other gets 409 ``invalid_transition``), records an
``OrderEvent``, audits, and runs the effects the parts registered with ``@effect(name)``
(stock given back, money, mails) in the same transaction. The caller commits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ent_plugins.marketplace.models import Order, OrderEvent

from ent_core import sdk

BUYER, SELLER, OPERATOR, SYSTEM = "buyer", "seller", "operator", "system"
OPEN = ("inquiry", "quoted", "awaiting_payment", "payment_pending")


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    sides: tuple[str, ...]
    #: The processes it belongs to (all three when empty).
    processes: tuple[str, ...] = ()


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition("quote", ("inquiry", "quoted"), "quoted", (SELLER,), ("inquiry",)),
        Transition("decline", ("inquiry", "quoted"), "declined", (SELLER,), ("inquiry",)),
        Transition("accept", ("quoted",), "awaiting_payment", (BUYER,), ("inquiry",)),
        Transition("pay", ("awaiting_payment",), "payment_pending", (BUYER,)),
        Transition(
            "confirm_payment", ("awaiting_payment", "payment_pending"), "paid", (OPERATOR, SYSTEM)
        ),
        Transition("deliver", ("paid",), "delivered", (SELLER, SYSTEM)),
        Transition("complete", ("delivered",), "completed", (BUYER, OPERATOR, SYSTEM)),
        Transition(
            "cancel",
            OPEN,
            "cancelled",
            (BUYER, SELLER, OPERATOR),
        ),
        Transition("dispute", ("paid", "delivered"), "disputed", (BUYER, SELLER)),
        Transition("resolve", ("disputed",), "completed", (OPERATOR,)),
        Transition("refund", ("paid", "delivered", "disputed"), "refunded", (OPERATOR,)),
        Transition("expire", OPEN, "expired", (SYSTEM,)),
    )
}

#: Effects of each transition, registered by the parts (``@effect("cancel")``).
_EFFECTS: dict[str, list[Callable[..., None]]] = {}


@dataclass
class Move:
    """What an effect receives: the order (already in its new state) and the context."""

    order: Order
    transition: Transition
    side: str
    actor: Any
    source: str
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)


class InvalidTransition(sdk.UserError):
    """409 ``invalid_transition`` (or 403 ``forbidden`` for the wrong side), with the names
    the caller may apply now in ``details.allowed``."""

    default_status = 409


def effect(name: str) -> Callable[[Callable[[Move], None]], Callable[[Move], None]]:
    """Register ``fn(move)`` to run inside the transaction after ``name`` happened."""
    if name not in TRANSITIONS:
        raise KeyError(f"no marketplace transition is named {name!r}")

    def register(fn: Callable[[Move], None]) -> Callable[[Move], None]:
        if fn not in _EFFECTS.setdefault(name, []):
            _EFFECTS[name].append(fn)
        return fn

    return register


def _applies(order: Order, t: Transition) -> bool:
    return order.status in t.sources and (not t.processes or order.process in t.processes)


def allowed(order: Order, side: str) -> list[str]:
    """The transitions ``side`` may apply to ``order`` now, in the order of ``TRANSITIONS``."""
    return [name for name, t in TRANSITIONS.items() if side in t.sides and _applies(order, t)]


def move(
    order: Order,
    name: str,
    *,
    side: str,
    actor: Any = None,
    note: str = "",
    **data: Any,
) -> Order:
    """Apply transition ``name`` for ``side`` (not committed); ``InvalidTransition`` when
    the state, the process or the side refuses it, or another request moved it first."""
    t = TRANSITIONS.get(name)
    if t is None or not _applies(order, t):
        raise InvalidTransition(
            "invalid_transition",
            sdk._("This step is not possible from the order's current state."),
            details={"allowed": allowed(order, side), "status": order.status},
        )
    if side not in t.sides:
        raise InvalidTransition(
            "forbidden",
            sdk._("This step is not yours to take."),
            403,
            details={"allowed": allowed(order, side), "status": order.status},
        )
    source = order.status
    moved = sdk.db.session.execute(
        sdk.db.update(Order)
        .where(Order.id == order.id, Order.status == source)
        .values(status=t.target, updated_at=sdk.utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        sdk.db.session.refresh(order)
        raise InvalidTransition(
            "invalid_transition",
            sdk._("Someone changed this order at the same time: look at it again."),
            details={"allowed": allowed(order, side), "status": order.status},
        )
    order.status = t.target
    sdk.db.session.add(
        OrderEvent(
            workspace_id=order.workspace_id,
            order_id=order.id,
            transition=name,
            from_status=source,
            to_status=t.target,
            side=side,
            actor_id=getattr(actor, "id", None),
            note=note,
        )
    )
    sdk.audit(
        f"marketplace.order.{name}",
        subject=f"order:{order.id}",
        details={"reference": order.reference, "from": source, "to": t.target, "side": side},
    )
    context = Move(order, t, side, actor, source, note, dict(data))
    for fn in _EFFECTS.get(name, ()):
        fn(context)
    return order
