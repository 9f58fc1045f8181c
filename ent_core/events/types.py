"""What an event is: its declared type (name, payload fields, who emits it) and one occurrence."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: A subscriber runs inside the emitter's transaction; its exception aborts the emitter's work.
IN_TRANSACTION = "in_transaction"
#: A subscriber runs as a job once the emitter's transaction committed (never if it rolled back).
AFTER_COMMIT = "after_commit"

#: JSON scalars only: an after-commit job carries the payload, so no ORM objects, no Decimals
#: (amounts travel as decimal strings, dates as ISO 8601 strings).
PAYLOAD_TYPES = (int, str, bool, float)
_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


class EventError(RuntimeError):
    """An event emitted or declared against its declaration: a programming error for tests."""


@dataclass(frozen=True, slots=True)
class EventField:
    """One payload field: its JSON type, what it means, and whether it may be ``None``."""

    type: type
    meaning: str
    optional: bool = False


@dataclass(frozen=True, slots=True)
class EventType:
    """An event a plugin (or the core) announces, returned from ``ent_event_types``.

    ``platform=True``: every installed plugin hears it, not only those switched on in the
    workspace; for what happens before a workspace may switch anything on (its approval).
    """

    name: str
    description: str
    fields: Mapping[str, EventField] = field(default_factory=dict)
    platform: bool = False

    def problems(self) -> list[str]:
        """What is wrong with the declaration itself (checked once, at start-up)."""
        found = []
        if not _NAME.match(self.name):
            found.append(f"event name {self.name!r} must look like 'noun.past_verb'")
        for key, spec in self.fields.items():
            if key == "workspace" or not key.isidentifier():
                found.append(f"{self.name}: payload field {key!r} is not allowed")
            if not isinstance(spec, EventField) or spec.type not in PAYLOAD_TYPES:
                found.append(
                    f"{self.name}.{key}: declare it as EventField(int|str|bool|float, meaning); "
                    "payloads carry JSON scalars (ids, strings, decimal strings)"
                )
        return found

    def check(self, payload: Mapping[str, Any]) -> None:
        """Refuse a payload that does not match the declaration, naming what is wrong."""
        fields = self.fields
        if payload.keys() != fields.keys():
            missing = sorted(fields.keys() - payload.keys())
            extra = sorted(payload.keys() - fields.keys())
            raise EventError(
                f"event {self.name!r}: payload fields missing {missing}, undeclared {extra}"
            )
        for key, value in payload.items():
            spec = fields[key]
            if value is None:
                if spec.optional:
                    continue
            # bool is an int to Python, not to a subscriber reading JSON
            elif type(value) is spec.type or (spec.type is float and type(value) is int):
                continue
            raise EventError(
                f"event {self.name!r}: {key}={value!r} is not a {spec.type.__name__}"
                + (" or None" if spec.optional else "")
            )


@dataclass(frozen=True, slots=True)
class Event:
    """What a subscriber receives: the event's name, workspace, payload and a unique id
    (after-commit subscribers may be retried: the id lets them do their work once)."""

    name: str
    workspace_id: int
    payload: Mapping[str, Any]
    id: str


@dataclass(frozen=True, slots=True)
class Subscription:
    """``Subscription(event, handler, when)``, returned from ``ent_event_subscriptions``.

    ``when`` is :data:`IN_TRANSACTION` (``handler(event)`` runs inside the emitter's
    transaction; an exception aborts the emitter's work) or :data:`AFTER_COMMIT` (a job with
    retries after commit; ``handler`` must be a module-level function, and commits its work).
    ``emitter`` names the plugin that declares the event when it is another, optional one: while
    that plugin is not installed the subscription is left out instead of stopping the start.
    """

    event: str
    handler: Callable[[Event], Any]
    when: str
    emitter: str | None = None
