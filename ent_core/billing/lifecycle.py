"""The subscription state machine as data: pure functions, no database, no clock of its own.

trialing --pay--> active --lapse--> past_due --pay--> active
   |                 |  ^                 |
   |             cancel  resume           |
   |                 v  |                 |
   |              canceled                |
   |                 |                    |
   +----expire---> expired <---expire-----+     expired --restart--> trialing
                                                expired --restart_paid--> active
"""

from __future__ import annotations

from datetime import datetime

#: transition name -> (states it leaves from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "pay": (frozenset({"trialing", "past_due"}), "active"),
    "renew": (frozenset({"active"}), "active"),
    "lapse": (frozenset({"trialing", "active"}), "past_due"),
    "cancel": (frozenset({"active"}), "canceled"),
    "resume": (frozenset({"canceled"}), "active"),
    "expire": (frozenset({"trialing", "past_due", "canceled"}), "expired"),
    "restart": (frozenset({"expired"}), "trialing"),
    "restart_paid": (frozenset({"expired"}), "active"),
}

LIVE_STATES = frozenset({"trialing", "active", "past_due"})


class InvalidTransition(Exception):
    """A transition the current state refuses; ``allowed`` names the ones it accepts."""

    def __init__(self, state: str, transition: str, allowed: list[str]) -> None:
        super().__init__(
            f"cannot {transition!r} a subscription that is {state!r}; "
            f"allowed: {', '.join(allowed) or 'none'}"
        )
        self.state = state
        self.transition = transition
        self.allowed = allowed


def allowed(state: str) -> list[str]:
    """Names of the transitions ``state`` accepts, sorted."""
    return sorted(name for name, (sources, _) in TRANSITIONS.items() if state in sources)


def apply(state: str, transition: str) -> str:
    """The state after ``transition``; raises :class:`InvalidTransition` when refused."""
    found = TRANSITIONS.get(transition)
    if found is None or state not in found[0]:
        raise InvalidTransition(state, transition, allowed(state))
    return found[1]


def is_live(state: str, period_end: datetime | None, now: datetime) -> bool:
    """Whether a subscription in ``state`` entitles its plan now.

    A canceled subscription stays usable until the end of the period already paid for.
    """
    if state in LIVE_STATES:
        return True
    return state == "canceled" and period_end is not None and now < period_end
