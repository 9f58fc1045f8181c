"""Domain events between the core and plugins (docs/plugin_hooks.md, "Events").

The emitter declares each event (``ent_event_types``) and announces it with ``emit``; other
plugins subscribe (``ent_event_subscriptions``), inside the transaction or after commit. Only
the core and the plugins switched on in the event's workspace hear it.
"""

from ent_core.events.dispatch import deliver, emit, heard
from ent_core.events.types import (
    AFTER_COMMIT,
    IN_TRANSACTION,
    Event,
    EventError,
    EventField,
    EventType,
    Subscription,
)

__all__ = [
    "AFTER_COMMIT",
    "IN_TRANSACTION",
    "Event",
    "EventError",
    "EventField",
    "EventType",
    "Subscription",
    "deliver",
    "emit",
    "heard",
]
